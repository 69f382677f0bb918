package dev.lanes.runtime.kernels.tensor;

import dev.lanes.runtime.DType;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;

/**
 * The coordinates of the non-zero elements (NonZero): an INT64 tensor of shape
 * {@code [rank, count]}, in row-major order of the elements.
 */
public final class NonZeroKernel implements Kernel {
    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        int n = x.size();
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (x.getDouble(i) != 0) {
                count++;
            }
        }
        int rank = x.rank();
        int[] shape = x.shapeView();
        long[] out = new long[rank * count];
        int[] pos = new int[rank];
        for (int i = 0, k = 0; i < n; i++) {
            if (x.getDouble(i) != 0) {
                for (int d = 0; d < rank; d++) {
                    out[d * count + k] = pos[d];
                }
                k++;
            }
            for (int d = rank - 1; d >= 0; d--) {
                if (++pos[d] < shape[d]) {
                    break;
                }
                pos[d] = 0;
            }
        }
        return new Tensor[] {Tensor.ofLongs(DType.INT64, out, rank, count)};
    }
}
