package dev.lanes.runtime.kernels.tensor;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;

/**
 * A 2-D tensor of its input's shape with ones on diagonal {@code k} (above the main one when
 * positive) and zeros elsewhere (EyeLike).
 */
public final class EyeLikeKernel implements Kernel {
    private final DType dtype;
    private final long k;

    /** A kernel of output dtype {@code dtype} (null: the input's) and diagonal {@code k}. */
    public EyeLikeKernel(DType dtype, long k) {
        this.dtype = dtype;
        this.k = k;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putEnum("dtype", dtype).putInt("k", k);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static EyeLikeKernel readParams(ParamReader in) {
        return new EyeLikeKernel(in.getEnum("dtype", DType.class), in.getLong("k"));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        if (x.rank() != 2) {
            throw new ShapeException("EyeLike needs a 2-D input, got " + Elements.str(
                    x.shapeView()));
        }
        Tensor out = Elements.output(dtype == null ? x.dtype() : dtype, x.shapeView(), ctx);
        // A recycled output holds anything: zero it all before setting the diagonal.
        if (out.dtype().isFloat()) {
            Arrays.fill(out.floats(), 0, out.size(), 0f);
        } else {
            Arrays.fill(out.longs(), 0, out.size(), 0L);
        }
        int rows = x.dim(0);
        int cols = x.dim(1);
        for (long r = Math.max(0, -k); r < rows && r + k < cols; r++) {
            int i = (int) (r * cols + r + k);
            if (out.dtype().isFloat()) {
                out.floats()[i] = 1;
            } else {
                out.longs()[i] = 1;
            }
        }
        return new Tensor[] {out};
    }
}
