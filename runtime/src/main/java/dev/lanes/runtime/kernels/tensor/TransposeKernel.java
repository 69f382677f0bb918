package dev.lanes.runtime.kernels.tensor;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;

/**
 * Permutes the axes of its input (Transpose): output axis {@code i} is input axis
 * {@code perm[i]}; without a permutation the axes are reversed.
 */
public final class TransposeKernel implements Kernel {
    private final int[] perm;

    /** A kernel applying {@code perm}, or reversing the axes when it is null. */
    public TransposeKernel(int[] perm) {
        this.perm = perm == null ? null : perm.clone();
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putInts("perm", perm);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static TransposeKernel readParams(ParamReader in) {
        return new TransposeKernel(in.ints("perm"));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        int rank = x.rank();
        int[] p = permutation(perm, rank);
        int[] src = Elements.strides(x.shapeView());
        int[] shape = new int[rank];
        int[] strides = new int[rank];
        for (int i = 0; i < rank; i++) {
            shape[i] = x.dim(p[i]);
            strides[i] = src[p[i]];
        }
        // The copy writes every element, so the output may be a recycled array.
        Tensor out = Elements.output(x.dtype(), shape, ctx);
        Elements.copyView(Elements.array(x), 0, strides, shape, Elements.array(out));
        return new Tensor[] {out};
    }

    /** The permutation for a rank: {@code perm} checked, or the reversal when null. */
    public static int[] permutation(int[] perm, int rank) {
        if (perm == null) {
            int[] p = new int[rank];
            for (int i = 0; i < rank; i++) {
                p[i] = rank - 1 - i;
            }
            return p;
        }
        if (perm.length != rank) {
            throw new ShapeException("Transpose perm " + Arrays.toString(perm) + " has "
                    + perm.length + " entries but the input has rank " + rank);
        }
        boolean[] seen = new boolean[rank];
        int[] p = new int[rank];
        for (int i = 0; i < rank; i++) {
            int a = Elements.axis(perm[i], rank, "Transpose perm entry");
            if (seen[a]) {
                throw new ShapeException("Transpose perm " + Arrays.toString(perm)
                        + " is not a permutation");
            }
            seen[a] = true;
            p[i] = a;
        }
        return p;
    }
}
