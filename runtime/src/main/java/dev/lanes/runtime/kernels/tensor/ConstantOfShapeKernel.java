package dev.lanes.runtime.kernels.tensor;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;

/**
 * A tensor of the shape given by input 0, filled with one value (ConstantOfShape); the value's
 * dtype is the output's.
 */
public final class ConstantOfShapeKernel implements Kernel {
    private final Tensor value;

    /** A kernel filling with the single element of {@code value}. */
    public ConstantOfShapeKernel(Tensor value) {
        if (value.size() != 1) {
            throw new ShapeException("ConstantOfShape value must hold one element, has "
                    + value.size());
        }
        this.value = value.copy();
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putTensor("value", value);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static ConstantOfShapeKernel readParams(ParamReader in) {
        return new ConstantOfShapeKernel(in.requireTensor("value"));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        long[] spec = Elements.integers(in[0], "ConstantOfShape shape");
        int[] shape = new int[spec.length];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = Elements.dim(spec[i], "ConstantOfShape shape " + Arrays.toString(spec));
        }
        // Filled over its size only: a recycled output array may be longer.
        Tensor out = Elements.output(value.dtype(), shape, ctx);
        if (value.dtype().isFloat()) {
            Arrays.fill(out.floats(), 0, out.size(), value.floats()[0]);
        } else {
            Arrays.fill(out.longs(), 0, out.size(), value.longs()[0]);
        }
        return new Tensor[] {out};
    }
}
