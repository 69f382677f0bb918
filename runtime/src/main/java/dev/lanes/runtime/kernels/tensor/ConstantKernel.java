package dev.lanes.runtime.kernels.tensor;

import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;

/** Returns a fixed tensor (Constant). Callers receive it as a value they must not write. */
public final class ConstantKernel implements Kernel {
    private final Tensor value;

    /** A kernel producing {@code value}. */
    public ConstantKernel(Tensor value) {
        this.value = value;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putTensor("value", value);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static ConstantKernel readParams(ParamReader in) {
        return new ConstantKernel(in.requireTensor("value"));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        return new Tensor[] {value};
    }
}
