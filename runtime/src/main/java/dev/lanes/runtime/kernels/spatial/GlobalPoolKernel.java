package dev.lanes.runtime.kernels.spatial;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.simd.VectorLoops;
import dev.lanes.runtime.kernels.simd.VectorPool;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;

/**
 * GlobalAveragePool, GlobalMaxPool and GlobalLpPool: one value per (batch, channel) over all
 * spatial axes; the output keeps the rank with spatial sizes 1. Float average and max run as
 * vector reductions ({@link VectorPool}) threaded over the planes when the input is large; the
 * scalar loop (double sum) is their reference, which the average's float sum matches within
 * rounding.
 */
public final class GlobalPoolKernel implements Kernel {
    private final PoolKernel.Type type;
    private final float p;

    /** A global pooling kernel; {@code p} is used by LP only. */
    public GlobalPoolKernel(PoolKernel.Type type, float p) {
        this.type = type;
        this.p = p;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putEnum("type", type).putFloat("p", p);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static GlobalPoolKernel readParams(ParamReader in) {
        return new GlobalPoolKernel(in.getEnum("type", PoolKernel.Type.class), in.getFloat("p"));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        return run(in, ctx, true);
    }

    /** The scalar loop only: the reference of the vector reductions. */
    Tensor[] runReference(Tensor[] in) {
        return run(in, RunContext.serial(), false);
    }

    private Tensor[] run(Tensor[] in, RunContext ctx, boolean vector) {
        Tensor x = in[0];
        int[] xs = x.shapeView();
        if (xs.length < 2) {
            throw new ShapeException("Global pool: input " + Arrays.toString(xs)
                    + " needs rank 2 or more");
        }
        int[] shape = xs.clone();
        Arrays.fill(shape, 2, shape.length, 1);
        int planes = xs[0] * xs[1];
        int size = planes == 0 ? 0 : x.size() / planes;
        Tensor out = x.dtype().isFloat() ? ctx.output(shape) : Tensor.zeros(x.dtype(), shape);
        float[] v = x.floats();
        float[] y = out.floats();
        if (vector && type != PoolKernel.Type.LP) {
            boolean max = type == PoolKernel.Type.MAX;
            java.util.function.IntConsumer plane = pl -> y[pl] = max
                    ? VectorPool.max(v, pl * size, size)
                    : VectorPool.sum(v, pl * size, size) / size;
            if (ctx.threads() > 1 && x.size() >= VectorLoops.PARALLEL_THRESHOLD) {
                ctx.pool().parallelFor(planes, plane);
            } else {
                for (int pl = 0; pl < planes; pl++) {
                    plane.accept(pl);
                }
            }
            return new Tensor[] {out};
        }
        for (int pl = 0; pl < planes; pl++) {
            int base = pl * size;
            double acc = type == PoolKernel.Type.MAX ? Double.NEGATIVE_INFINITY : 0;
            for (int i = 0; i < size; i++) {
                float e = v[base + i];
                switch (type) {
                    case MAX -> acc = Math.max(acc, e);
                    case AVERAGE -> acc += e;
                    case LP -> acc += Math.pow(Math.abs(e), p);
                    default -> throw new IllegalStateException();
                }
            }
            y[pl] = switch (type) {
                case MAX -> (float) acc;
                case AVERAGE -> (float) (acc / size);
                case LP -> (float) Math.pow(acc, 1.0 / p);
            };
        }
        return new Tensor[] {out};
    }
}
