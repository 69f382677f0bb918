package dev.lanes.runtime.kernels.elementwise;

import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.Broadcast;

/** A binary float operation with numpy broadcasting (reference implementation). */
public final class BinaryKernel implements Kernel {
    /** The operation applied to each pair of elements. */
    public enum Op {
        ADD
    }

    private final Op op;

    /** A kernel applying {@code op}. */
    public BinaryKernel(Op op) {
        this.op = op;
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor a = in[0];
        Tensor b = in[1];
        int[] shape = Broadcast.shape(a.shapeView(), b.shapeView());
        int[] sa = Broadcast.strides(a.shapeView(), shape);
        int[] sb = Broadcast.strides(b.shapeView(), shape);
        float[] x = a.floats();
        float[] y = b.floats();
        Tensor out = Tensor.zeros(a.dtype(), shape);
        float[] z = out.floats();
        int rank = shape.length;
        int[] idx = new int[rank];
        int ia = 0;
        int ib = 0;
        for (int i = 0; i < z.length; i++) {
            z[i] = switch (op) {
                case ADD -> x[ia] + y[ib];
            };
            for (int d = rank - 1; d >= 0; d--) {
                idx[d]++;
                ia += sa[d];
                ib += sb[d];
                if (idx[d] < shape[d]) {
                    break;
                }
                ia -= sa[d] * shape[d];
                ib -= sb[d] * shape[d];
                idx[d] = 0;
            }
        }
        return new Tensor[] {out};
    }
}
