package dev.lanes.runtime.kernels.tensor;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes axes of size 1 (Squeeze): the given axes (input 1 from opset 13, an attribute
 * before), or every axis of size 1 when none are given.
 */
public final class SqueezeKernel implements Kernel {
    private final long[] axes;

    /** A kernel removing {@code axes}; null reads input 1, or removes all 1s without it. */
    public SqueezeKernel(long[] axes) {
        this.axes = axes == null ? null : axes.clone();
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putLongs("axes", axes);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static SqueezeKernel readParams(ParamReader in) {
        return new SqueezeKernel(in.longs("axes"));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        long[] a = axes;
        if (a == null && in.length > 1 && in[1] != null) {
            a = Elements.integers(in[1], "Squeeze axes");
        }
        return new Tensor[] {in[0].reshape(shape(in[0].shapeView(), a))};
    }

    /** The squeezed shape; {@code axes} null drops every dimension of size 1. */
    public static int[] shape(int[] in, long[] axes) {
        boolean[] drop = new boolean[in.length];
        if (axes == null) {
            for (int i = 0; i < in.length; i++) {
                drop[i] = in[i] == 1;
            }
        } else {
            for (long a : axes) {
                int i = Elements.axis(a, in.length, "Squeeze axis");
                if (in[i] != 1) {
                    throw new ShapeException("Squeeze axis " + a + " of " + Elements.str(in)
                            + " has size " + in[i] + ", not 1");
                }
                drop[i] = true;
            }
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < in.length; i++) {
            if (!drop[i]) {
                out.add(in[i]);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
