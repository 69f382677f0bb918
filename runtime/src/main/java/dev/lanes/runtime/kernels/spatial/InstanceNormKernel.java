package dev.lanes.runtime.kernels.spatial;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;

/**
 * InstanceNormalization: each (batch, channel) plane is normalized by its own mean and variance,
 * then scaled and shifted per channel. Inputs X [N, C, ...], scale [C], B [C].
 */
public final class InstanceNormKernel implements Kernel {
    private final float epsilon;

    /** An instance normalization with the given epsilon. */
    public InstanceNormKernel(float epsilon) {
        this.epsilon = epsilon;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putFloat("epsilon", epsilon);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static InstanceNormKernel readParams(ParamReader in) {
        return new InstanceNormKernel(in.getFloat("epsilon"));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        int[] xs = x.shapeView();
        if (xs.length < 3) {
            throw new ShapeException("InstanceNormalization: X " + Arrays.toString(xs)
                    + " needs rank 3 or more");
        }
        int n = xs[0];
        int c = xs[1];
        if (in[1].size() != c || in[2].size() != c) {
            throw new ShapeException("InstanceNormalization: scale and B must have " + c
                    + " values, got " + in[1].size() + " and " + in[2].size());
        }
        int inner = n * c == 0 ? 0 : x.size() / (n * c);
        float[] scale = in[1].floats();
        float[] bias = in[2].floats();
        // Every element is written, so the output may be a recycled array.
        Tensor out = ctx.output(xs);
        float[] v = x.floats();
        float[] y = out.floats();
        for (int pl = 0; pl < n * c; pl++) {
            int off = pl * inner;
            double sum = 0;
            for (int i = 0; i < inner; i++) {
                sum += v[off + i];
            }
            double mean = sum / inner;
            double sq = 0;
            for (int i = 0; i < inner; i++) {
                double dlt = v[off + i] - mean;
                sq += dlt * dlt;
            }
            double inv = 1.0 / Math.sqrt(sq / inner + epsilon);
            int ch = pl % c;
            float a = (float) (scale[ch] * inv);
            float b = (float) (bias[ch] - mean * scale[ch] * inv);
            for (int i = 0; i < inner; i++) {
                y[off + i] = v[off + i] * a + b;
            }
        }
        return new Tensor[] {out};
    }
}
