package dev.lanes.runtime.kernels.tensor;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.Broadcast;

/**
 * Broadcasts its input to a shape (Expand): the output shape is the numpy broadcast of the
 * input's shape and the requested one (input 1), so a requested 1 keeps the input's size.
 */
public final class ExpandKernel implements Kernel {
    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        if (in.length < 2 || in[1] == null) {
            throw new ShapeException("Expand needs its shape input");
        }
        long[] spec = Elements.integers(in[1], "Expand shape");
        int[] want = new int[spec.length];
        for (int i = 0; i < spec.length; i++) {
            want[i] = Elements.dim(spec[i], "Expand shape");
        }
        int[] shape = Broadcast.shape(x.shapeView(), want);
        // The copy writes every element, so the output may be a recycled array.
        Tensor out = Elements.output(x.dtype(), shape, ctx);
        Elements.copyView(Elements.array(x), 0, Broadcast.strides(x.shapeView(), shape), shape,
                Elements.array(out));
        return new Tensor[] {out};
    }
}
