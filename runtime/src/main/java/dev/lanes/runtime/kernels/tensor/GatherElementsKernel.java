package dev.lanes.runtime.kernels.tensor;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;

/**
 * Picks single elements along one axis (GatherElements): the output has the indices' shape and
 * {@code out[i0..ik] = data[i0..][indices[i0..ik]][..ik]} with the index replacing the
 * coordinate on {@code axis}.
 */
public final class GatherElementsKernel implements Kernel {
    private final long axis;

    /** A kernel gathering along {@code axis}. */
    public GatherElementsKernel(long axis) {
        this.axis = axis;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putInt("axis", axis);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static GatherElementsKernel readParams(ParamReader in) {
        return new GatherElementsKernel(in.getLong("axis"));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor data = in[0];
        Tensor indices = in[1];
        int rank = data.rank();
        int ax = Elements.axis(axis, rank, "GatherElements axis");
        int[] ds = data.shapeView();
        int[] is = indices.shapeView();
        if (is.length != rank) {
            throw new ShapeException("GatherElements indices " + Elements.str(is)
                    + " must have the rank of data " + Elements.str(ds));
        }
        for (int d = 0; d < rank; d++) {
            if (d != ax && is[d] > ds[d]) {
                throw new ShapeException("GatherElements indices " + Elements.str(is)
                        + " exceed data " + Elements.str(ds) + " on axis " + d);
            }
        }
        long[] idx = Elements.integers(indices, "GatherElements indices");
        int[] st = Elements.strides(ds);
        int[] map = new int[idx.length];
        int[] pos = new int[rank];
        for (int i = 0; i < idx.length; i++) {
            int off = 0;
            for (int d = 0; d < rank; d++) {
                int c = d == ax ? GatherKernel.index(idx[i], ds[ax], "GatherElements") : pos[d];
                off += c * st[d];
            }
            map[i] = off;
            for (int d = rank - 1; d >= 0; d--) {
                if (++pos[d] < is[d]) {
                    break;
                }
                pos[d] = 0;
            }
        }
        // One value gathered per element, so the output may be a recycled array.
        Tensor out = Elements.output(data.dtype(), is, ctx);
        Elements.gather(Elements.array(data), map, Elements.array(out));
        return new Tensor[] {out};
    }
}
