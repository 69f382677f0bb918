package dev.lanes.runtime.kernels.elementwise;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;

/**
 * Clip: {@code min(max(x, lo), hi)}, so a {@code lo} above {@code hi} gives {@code hi}
 * everywhere. The bounds come from the constructor (opset 1..10 attributes) or, when given, from
 * scalar inputs 1 and 2 (opset 11 on); an absent bound does not limit.
 */
public final class ClipKernel implements Kernel {
    private final float min;
    private final float max;

    /** A kernel with fixed bounds (use infinities for "none"); inputs 1 and 2 override them. */
    public ClipKernel(float min, float max) {
        this.min = min;
        this.max = max;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putFloat("min", min).putFloat("max", max);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static ClipKernel readParams(ParamReader in) {
        return new ClipKernel(in.getFloat("min"), in.getFloat("max"));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        Tensor lo = in.length > 1 ? in[1] : null;
        Tensor hi = in.length > 2 ? in[2] : null;
        // Every element is written, so a float output may be a recycled array.
        Tensor out = x.dtype().isFloat() ? ctx.output(x.shapeView())
                : Tensor.zeros(x.dtype(), x.shapeView());
        if (x.dtype().isFloat()) {
            float a = lo == null ? min : scalar(lo, "min").floats()[0];
            float b = hi == null ? max : scalar(hi, "max").floats()[0];
            float[] s = x.floats();
            float[] d = out.floats();
            for (int i = 0, n = x.size(); i < n; i++) {
                d[i] = Math.min(Math.max(s[i], a), b);
            }
        } else {
            long a = lo == null ? Long.MIN_VALUE : scalar(lo, "min").longs()[0];
            long b = hi == null ? Long.MAX_VALUE : scalar(hi, "max").longs()[0];
            long[] s = x.longs();
            long[] d = out.longs();
            for (int i = 0; i < s.length; i++) {
                d[i] = Math.min(Math.max(s[i], a), b);
            }
        }
        return new Tensor[] {out};
    }

    private static Tensor scalar(Tensor t, String what) {
        if (t.size() != 1) {
            throw new ShapeException("Clip: input '" + what + "' must be a scalar, got shape "
                    + Arrays.toString(t.shapeView()));
        }
        return t;
    }
}
