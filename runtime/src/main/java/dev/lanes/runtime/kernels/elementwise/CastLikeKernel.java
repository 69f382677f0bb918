package dev.lanes.runtime.kernels.elementwise;

import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;

/** CastLike: casts input 0 to the element type of input 1 (as {@link Cast} does). */
public final class CastLikeKernel implements Kernel {
    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        return new Tensor[] {Cast.convert(in[0], in[1].dtype())};
    }
}
