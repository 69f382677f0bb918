package dev.lanes.runtime.kernels.tensor;

import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;

/**
 * The shape of its input as a 1-D INT64 tensor (Shape), optionally only the dimensions
 * {@code [start, end)} (opset 15; negative values count from the end, both are clamped).
 */
public final class ShapeKernel implements Kernel {
    private final long start;
    private final long end;

    /** A kernel returning the whole shape. */
    public ShapeKernel() {
        this(0, Long.MAX_VALUE);
    }

    /** A kernel returning dimensions {@code [start, end)}. */
    public ShapeKernel(long start, long end) {
        this.start = start;
        this.end = end;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putInt("start", start).putInt("end", end);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static ShapeKernel readParams(ParamReader in) {
        return new ShapeKernel(in.getLong("start"), in.getLong("end"));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        int[] s = in[0].shapeView();
        int[] r = range(s.length, start, end);
        long[] v = new long[r[1] - r[0]];
        for (int i = 0; i < v.length; i++) {
            v[i] = s[r[0] + i];
        }
        return new Tensor[] {Tensor.vector(v)};
    }

    /** The clamped {@code [from, to)} of dimensions that Shape returns for a rank. */
    public static int[] range(int rank, long start, long end) {
        long s = Math.clamp(start < 0 ? start + rank : start, 0, rank);
        long e = Math.clamp(end < 0 ? end + rank : end, 0, rank);
        return new int[] {(int) s, (int) Math.max(s, e)};
    }
}
