package dev.lanes.runtime.kernels.tensor;

import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;

/** Returns a fixed tensor (Constant). Callers receive it as a value they must not write. */
public final class ConstantKernel implements Kernel {
    private final Tensor value;

    /** A kernel producing {@code value}. */
    public ConstantKernel(Tensor value) {
        this.value = value;
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        return new Tensor[] {value};
    }
}
