package dev.lanes.runtime.kernels.tensor;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;

/**
 * Views its input as a matrix (Flatten): the dimensions before {@code axis} become the rows,
 * the rest the columns. Axis 0 gives one row; a negative axis counts from the end.
 */
public final class FlattenKernel implements Kernel {
    private final long axis;

    /** A kernel flattening at {@code axis}, in {@code [-rank, rank]}. */
    public FlattenKernel(long axis) {
        this.axis = axis;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putInt("axis", axis);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static FlattenKernel readParams(ParamReader in) {
        return new FlattenKernel(in.getLong("axis"));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        int[] s = in[0].shapeView();
        int a = (int) (axis < 0 ? axis + s.length : axis);
        if (axis < -s.length || axis > s.length) {
            throw new ShapeException("Flatten axis " + axis + " is out of range for rank "
                    + s.length + " (must be in [" + -s.length + ", " + s.length + "])");
        }
        return new Tensor[] {in[0].reshape(Elements.product(s, 0, a),
                Elements.product(s, a, s.length))};
    }
}
