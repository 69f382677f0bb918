package dev.lanes.runtime.kernels.linalg;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.Broadcast;
import java.util.Arrays;

/**
 * MatMul with numpy semantics over FLOAT: the last two axes are matrices, leading axes broadcast
 * as batches; a 1-D A is a row vector and a 1-D B a column vector, their added axis removed from
 * the result. When B has no batch axes, A's batches are folded into its rows (one product).
 */
public final class MatMulKernel implements Kernel {
    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor a = in[0];
        Tensor b = in[1];
        if (a.rank() == 0 || b.rank() == 0) {
            throw new ShapeException("MatMul: operands must have rank 1 or more, got "
                    + text(a) + " and " + text(b));
        }
        int[] as = a.rank() == 1 ? new int[] {1, a.dim(0)} : a.shape();
        int[] bs = b.rank() == 1 ? new int[] {b.dim(0), 1} : b.shape();
        int m = as[as.length - 2];
        int k = as[as.length - 1];
        int n = bs[bs.length - 1];
        if (bs[bs.length - 2] != k) {
            throw new ShapeException("MatMul: inner dimensions differ: A " + text(a) + " has "
                    + k + ", B " + text(b) + " has " + bs[bs.length - 2]);
        }
        int[] aBatch = Arrays.copyOf(as, as.length - 2);
        int[] bBatch = Arrays.copyOf(bs, bs.length - 2);
        int[] batch = Broadcast.shape(aBatch, bBatch);
        int batches = Tensor.checkedSize(batch);
        int[] full = Arrays.copyOf(batch, batch.length + 2);
        full[batch.length] = m;
        full[batch.length + 1] = n;
        Tensor y = Tensor.zeros(a.dtype(), full);
        float[] av = a.floats();
        float[] bv = b.floats();
        float[] yv = y.floats();
        if (Tensor.checkedSize(bBatch) == 1) {
            int aBatches = Tensor.checkedSize(aBatch);
            if (aBatches == batches) {
                MatrixMultiply.multiply(av, 0, false, bv, 0, false, yv, 0, batches * m, n, k, 1f);
                return new Tensor[] {y.reshape(resultShape(a, b, batch, m, n))};
            }
        }
        int[] sa = Broadcast.strides(aBatch, batch);
        int[] sb = Broadcast.strides(bBatch, batch);
        int[] idx = new int[batch.length];
        int oa = 0;
        int ob = 0;
        for (int t = 0; t < batches; t++) {
            MatrixMultiply.multiply(av, oa * m * k, false, bv, ob * k * n, false, yv, t * m * n,
                    m, n, k, 1f);
            for (int d = batch.length - 1; d >= 0; d--) {
                idx[d]++;
                oa += sa[d];
                ob += sb[d];
                if (idx[d] < batch[d]) {
                    break;
                }
                oa -= sa[d] * batch[d];
                ob -= sb[d] * batch[d];
                idx[d] = 0;
            }
        }
        return new Tensor[] {y.reshape(resultShape(a, b, batch, m, n))};
    }

    private static int[] resultShape(Tensor a, Tensor b, int[] batch, int m, int n) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        int r = batch.length;
        if (a.rank() != 1) {
            s[r++] = m;
        }
        if (b.rank() != 1) {
            s[r++] = n;
        }
        return Arrays.copyOf(s, r);
    }

    private static String text(Tensor t) {
        return Arrays.toString(t.shapeView());
    }
}
