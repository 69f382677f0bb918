package dev.lanes.runtime.kernels.elementwise;

import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;

/** CastLike: casts input 0 to the element type of input 1 (as {@link Cast} does). */
public final class CastLikeKernel implements Kernel {
    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        // Through Cast's kernel, so that a FLOAT result comes from the run's memory plan.
        return new Cast(in[1].dtype()).run(new Tensor[] {in[0]}, ctx);
    }
}
