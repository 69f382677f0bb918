package dev.lanes.runtime.kernels.tensor;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;

/**
 * Inserts axes of size 1 (Unsqueeze) at the given positions of the output (input 1 from opset
 * 13, an attribute before); negative positions count from the end of the output.
 */
public final class UnsqueezeKernel implements Kernel {
    private final long[] axes;

    /** A kernel inserting {@code axes}; null reads them from input 1. */
    public UnsqueezeKernel(long[] axes) {
        this.axes = axes == null ? null : axes.clone();
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putLongs("axes", axes);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static UnsqueezeKernel readParams(ParamReader in) {
        return new UnsqueezeKernel(in.longs("axes"));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        long[] a = axes;
        if (a == null) {
            if (in.length < 2 || in[1] == null) {
                throw new ShapeException("Unsqueeze needs its axes input");
            }
            a = Elements.integers(in[1], "Unsqueeze axes");
        }
        return new Tensor[] {in[0].reshape(shape(in[0].shapeView(), a))};
    }

    /** Which output positions are the inserted axes, for an input rank. */
    public static boolean[] inserted(int inRank, long[] axes) {
        int rank = inRank + axes.length;
        boolean[] ins = new boolean[rank];
        for (long a : axes) {
            int i = Elements.axis(a, rank, "Unsqueeze axis");
            if (ins[i]) {
                throw new ShapeException("Unsqueeze axes " + Arrays.toString(axes)
                        + " name axis " + i + " twice");
            }
            ins[i] = true;
        }
        return ins;
    }

    /** The unsqueezed shape. */
    public static int[] shape(int[] in, long[] axes) {
        boolean[] ins = inserted(in.length, axes);
        int[] out = new int[ins.length];
        for (int i = 0, k = 0; i < out.length; i++) {
            out[i] = ins[i] ? 1 : in[k++];
        }
        return out;
    }
}
