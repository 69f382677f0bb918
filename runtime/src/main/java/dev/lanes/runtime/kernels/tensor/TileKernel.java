package dev.lanes.runtime.kernels.tensor;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;

/**
 * Repeats its input {@code repeats[i]} times along each axis (Tile). Opset 6 on, the repeats
 * are input 1; before, inputs 1 and 2 are a count and the one axis it applies to.
 */
public final class TileKernel implements Kernel {
    private final boolean countAndAxis;

    /** A kernel reading the repeats of every axis from input 1 (opset 6 on). */
    public TileKernel() {
        this(false);
    }

    /** A kernel reading either per-axis repeats or (when {@code countAndAxis}) count and axis. */
    public TileKernel(boolean countAndAxis) {
        this.countAndAxis = countAndAxis;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putBool("count_and_axis", countAndAxis);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static TileKernel readParams(ParamReader in) {
        return new TileKernel(in.getBool("count_and_axis"));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        if (in.length < 2 || in[1] == null) {
            throw new ShapeException("Tile needs its repeats input");
        }
        int rank = x.rank();
        long[] reps;
        if (countAndAxis) {
            if (in.length < 3 || in[2] == null || in[1].size() != 1 || in[2].size() != 1) {
                throw new ShapeException("Tile (opset 1) needs a scalar count and a scalar axis");
            }
            reps = new long[rank];
            Arrays.fill(reps, 1);
            reps[Elements.axis(Elements.integers(in[2], "Tile axis")[0], rank, "Tile axis")] =
                    Elements.integers(in[1], "Tile tiles")[0];
        } else {
            reps = Elements.integers(in[1], "Tile repeats");
        }
        if (reps.length != rank) {
            throw new ShapeException("Tile repeats " + Arrays.toString(reps) + " has "
                    + reps.length + " entries but the input " + Elements.str(x.shapeView())
                    + " has rank " + rank);
        }
        // Read as a view of shape [r0, d0, r1, d1, ...] with stride 0 on the repeat axes.
        int[] src = Elements.strides(x.shapeView());
        int[] view = new int[2 * rank];
        int[] strides = new int[2 * rank];
        int[] shape = new int[rank];
        for (int i = 0; i < rank; i++) {
            if (reps[i] < 0) {
                throw new ShapeException("Tile repeats " + Arrays.toString(reps)
                        + " has a negative entry");
            }
            view[2 * i] = Elements.dim(reps[i], "Tile repeats");
            view[2 * i + 1] = x.dim(i);
            strides[2 * i + 1] = src[i];
            shape[i] = Elements.dim(reps[i] * x.dim(i), "Tile output");
        }
        // The copy writes every element, so the output may be a recycled array.
        Tensor out = Elements.output(x.dtype(), shape, ctx);
        Elements.copyView(Elements.array(x), 0, strides, view, Elements.array(out));
        return new Tensor[] {out};
    }
}
