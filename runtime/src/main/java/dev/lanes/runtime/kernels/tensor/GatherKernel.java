package dev.lanes.runtime.kernels.tensor;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;

/**
 * Picks slices of its data along one axis by index (Gather): the output shape is
 * {@code data[:axis] + indices.shape + data[axis+1:]}. Negative indices count from the end.
 */
public final class GatherKernel implements Kernel {
    private final long axis;

    /** A kernel gathering along {@code axis}. */
    public GatherKernel(long axis) {
        this.axis = axis;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putInt("axis", axis);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static GatherKernel readParams(ParamReader in) {
        return new GatherKernel(in.getLong("axis"));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor data = in[0];
        Tensor indices = in[1];
        int rank = data.rank();
        int ax = Elements.axis(axis, rank, "Gather axis");
        long[] idx = Elements.integers(indices, "Gather indices");
        int[] ds = data.shapeView();
        int[] is = indices.shapeView();
        int[] shape = new int[rank - 1 + is.length];
        System.arraycopy(ds, 0, shape, 0, ax);
        System.arraycopy(is, 0, shape, ax, is.length);
        System.arraycopy(ds, ax + 1, shape, ax + is.length, rank - ax - 1);
        int n = ds[ax];
        int outer = Elements.product(ds, 0, ax);
        int inner = Elements.product(ds, ax + 1, rank);
        int[] rows = new int[idx.length];
        for (int j = 0; j < idx.length; j++) {
            rows[j] = index(idx[j], n, "Gather");
        }
        // The rows copied cover every element, so the output may be a recycled array.
        Tensor out = Elements.output(data.dtype(), shape, ctx);
        Object src = Elements.array(data);
        Object dst = Elements.array(out);
        for (int o = 0, pos = 0; o < outer; o++) {
            for (int j = 0; j < rows.length; j++, pos += inner) {
                System.arraycopy(src, (o * n + rows[j]) * inner, dst, pos, inner);
            }
        }
        return new Tensor[] {out};
    }

    /** An index in {@code [-n, n)} made non-negative; else a {@link ShapeException}. */
    static int index(long i, int n, String op) {
        if (i < -n || i >= n) {
            throw new ShapeException(op + " index " + i + " is out of range for an axis of size "
                    + n);
        }
        return (int) (i < 0 ? i + n : i);
    }
}
