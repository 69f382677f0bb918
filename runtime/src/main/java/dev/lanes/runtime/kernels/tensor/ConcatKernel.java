package dev.lanes.runtime.kernels.tensor;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;

/** Concatenates its inputs along one axis (Concat); inputs may be empty along that axis. */
public final class ConcatKernel implements Kernel {
    private final long axis;

    /** A kernel concatenating along {@code axis} (negative counts from the end). */
    public ConcatKernel(long axis) {
        this.axis = axis;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putInt("axis", axis);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static ConcatKernel readParams(ParamReader in) {
        return new ConcatKernel(in.getLong("axis"));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        if (in.length == 0 || in[0] == null) {
            throw new ShapeException("Concat needs at least one input");
        }
        Elements.sameDType(in, "Concat");
        int rank = in[0].rank();
        int ax = Elements.axis(axis, rank, "Concat axis");
        int[] shape = in[0].shape();
        long total = 0;
        for (int k = 0; k < in.length; k++) {
            int[] s = in[k].shapeView();
            if (s.length != rank) {
                throw new ShapeException("Concat input " + k + " has rank " + s.length
                        + " but input 0 has rank " + rank);
            }
            for (int d = 0; d < rank; d++) {
                if (d != ax && s[d] != shape[d]) {
                    throw new ShapeException("Concat input " + k + " has shape "
                            + Elements.str(s) + ", which differs from input 0 "
                            + Elements.str(in[0].shapeView()) + " on axis " + d);
                }
            }
            total += s[ax];
        }
        shape[ax] = Elements.dim(total, "Concat output");
        // The inputs cover every element of the output, so a recycled array is fine.
        Tensor out = Elements.output(in[0].dtype(), shape, ctx);
        Object dst = Elements.array(out);
        int outer = Elements.product(shape, 0, ax);
        int inner = Elements.product(shape, ax + 1, rank);
        int outRow = shape[ax] * inner;
        int pos = 0;
        for (Tensor t : in) {
            int chunk = t.dim(ax) * inner;
            Object src = Elements.array(t);
            for (int o = 0; o < outer; o++) {
                System.arraycopy(src, o * chunk, dst, o * outRow + pos, chunk);
            }
            pos += chunk;
        }
        return new Tensor[] {out};
    }
}
