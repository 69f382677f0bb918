package dev.lanes.runtime.kernels.tensor;

import dev.lanes.runtime.DType;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;

/** The number of elements of its input as an INT64 scalar (Size). */
public final class SizeKernel implements Kernel {
    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        return new Tensor[] {Tensor.ofLongs(DType.INT64, new long[] {in[0].size()})};
    }
}
