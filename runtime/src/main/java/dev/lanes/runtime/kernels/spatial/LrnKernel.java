package dev.lanes.runtime.kernels.spatial;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;

/**
 * LRN, local response normalization across channels:
 * y = x / (bias + alpha / size * sum of x^2 over the channel window)^beta, the window spanning
 * floor((size - 1) / 2) channels before and ceil((size - 1) / 2) after.
 */
public final class LrnKernel implements Kernel {
    private final float alpha;
    private final float beta;
    private final float bias;
    private final int size;

    /** An LRN kernel with the given attributes. */
    public LrnKernel(float alpha, float beta, float bias, int size) {
        this.alpha = alpha;
        this.beta = beta;
        this.bias = bias;
        this.size = size;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putFloat("alpha", alpha).putFloat("beta", beta).putFloat("bias", bias)
                .putInt("size", size);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static LrnKernel readParams(ParamReader in) {
        return new LrnKernel(in.getFloat("alpha"), in.getFloat("beta"), in.getFloat("bias"),
                SpatialCodecs.positive(in, "size"));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        int[] xs = x.shapeView();
        if (xs.length < 2) {
            throw new ShapeException("LRN: X " + Arrays.toString(xs) + " needs rank 2 or more");
        }
        int n = xs[0];
        int c = xs[1];
        int inner = n * c == 0 ? 0 : x.size() / (n * c);
        int before = (size - 1) / 2;
        int after = size - 1 - before;
        // Every element is written, so the output may be a recycled array.
        Tensor out = ctx.output(xs);
        float[] v = x.floats();
        float[] y = out.floats();
        double[] sq = new double[inner];
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                Arrays.fill(sq, 0);
                for (int j = Math.max(0, ch - before); j <= Math.min(c - 1, ch + after); j++) {
                    int off = (b * c + j) * inner;
                    for (int i = 0; i < inner; i++) {
                        double e = v[off + i];
                        sq[i] += e * e;
                    }
                }
                int off = (b * c + ch) * inner;
                for (int i = 0; i < inner; i++) {
                    y[off + i] = (float) (v[off + i]
                            / Math.pow(bias + alpha / size * sq[i], beta));
                }
            }
        }
        return new Tensor[] {out};
    }
}
