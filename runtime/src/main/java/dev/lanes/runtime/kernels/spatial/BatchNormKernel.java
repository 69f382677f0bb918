package dev.lanes.runtime.kernels.spatial;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.simd.VectorLoops;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;

/**
 * BatchNormalization in inference form: y = (x - mean) / sqrt(var + epsilon) * scale + bias.
 * Inputs X [N, C, ...], scale, B, mean, var. The four parameters hold either one value per
 * channel or (the legacy {@code spatial=0} form) one value per element of X[0] (shape [C, ...]).
 * Per channel it is a vectorized scale-and-shift of each plane ({@link VectorLoops}), threaded
 * over the planes when X is large; the scalar loop is its reference (same result exactly).
 */
public final class BatchNormKernel implements Kernel {
    private final float epsilon;

    /** A batch normalization with the given epsilon. */
    public BatchNormKernel(float epsilon) {
        this.epsilon = epsilon;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putFloat("epsilon", epsilon);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static BatchNormKernel readParams(ParamReader in) {
        return new BatchNormKernel(in.getFloat("epsilon"));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        return run(in, ctx, true);
    }

    /** The scalar loop only: the reference of the vector loop. */
    Tensor[] runReference(Tensor[] in) {
        return run(in, RunContext.serial(), false);
    }

    private Tensor[] run(Tensor[] in, RunContext ctx, boolean vector) {
        Tensor x = in[0];
        int[] xs = x.shapeView();
        if (xs.length < 2) {
            throw new ShapeException("BatchNormalization: X " + Arrays.toString(xs)
                    + " needs rank 2 or more");
        }
        int n = xs[0];
        int c = xs[1];
        int inner = n * c == 0 ? 0 : x.size() / (n * c);
        int params = in[1].size();
        boolean perElement = params != c && params == c * inner;
        if (!perElement && params != c) {
            throw new ShapeException("BatchNormalization: scale has " + params
                    + " values, expected " + c + " (channels of X " + Arrays.toString(xs) + ")");
        }
        float[] scale = in[1].floats();
        float[] bias = in[2].floats();
        float[] mean = in[3].floats();
        float[] var = in[4].floats();
        for (int i = 2; i <= 4; i++) {
            if (in[i].size() != params) {
                throw new ShapeException("BatchNormalization: input " + i + " has "
                        + in[i].size() + " values, expected " + params);
            }
        }
        // Fold into y = x * a + b per parameter.
        float[] a = new float[params];
        float[] b = new float[params];
        for (int i = 0; i < params; i++) {
            a[i] = (float) (scale[i] / Math.sqrt((double) var[i] + epsilon));
            b[i] = bias[i] - mean[i] * a[i];
        }
        // Both loops write every element, each from the input element at its own index: the
        // output may be a recycled array, or the input's.
        Tensor out = ctx.outputOver(x, xs);
        float[] v = x.floats();
        float[] y = out.floats();
        if (vector && !perElement) {
            java.util.function.IntConsumer plane = t -> VectorLoops.scaleShift(v, t * inner, y,
                    t * inner, inner, a[t % c], b[t % c]);
            if (ctx.threads() > 1 && x.size() >= VectorLoops.PARALLEL_THRESHOLD) {
                ctx.pool().parallelFor(n * c, plane);
            } else {
                for (int t = 0; t < n * c; t++) {
                    plane.accept(t);
                }
            }
            return new Tensor[] {out};
        }
        for (int bn = 0; bn < n; bn++) {
            for (int ch = 0; ch < c; ch++) {
                int off = (bn * c + ch) * inner;
                if (perElement) {
                    int pOff = ch * inner;
                    for (int i = 0; i < inner; i++) {
                        y[off + i] = v[off + i] * a[pOff + i] + b[pOff + i];
                    }
                } else {
                    float ac = a[ch];
                    float bc = b[ch];
                    for (int i = 0; i < inner; i++) {
                        y[off + i] = v[off + i] * ac + bc;
                    }
                }
            }
        }
        return new Tensor[] {out};
    }
}
