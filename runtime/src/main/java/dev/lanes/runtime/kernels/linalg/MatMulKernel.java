package dev.lanes.runtime.kernels.linalg;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.Broadcast;
import dev.lanes.runtime.kernels.gemm.Epilogue;
import dev.lanes.runtime.kernels.gemm.PackedA;
import dev.lanes.runtime.kernels.gemm.RowMajorB;
import dev.lanes.runtime.kernels.gemm.Sgemm;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;

/**
 * MatMul with numpy semantics over FLOAT: the last two axes are matrices, leading axes broadcast
 * as batches; a 1-D A is a row vector and a 1-D B a column vector, their added axis removed from
 * the result. When B has no batch axes, A's batches are folded into its rows (one product).
 * Products run on {@link Sgemm} with A packed per run; a constant 2-D B (weights) is also packed
 * once, transposed, so that products with few rows (a vector, batch 1) run as
 * {@code Y^T = B^T A^T}, the matrix-vector path for a single row.
 * {@link MatrixMultiply#reference} is the plain loop this is tested against.
 */
public final class MatMulKernel implements Kernel {
    /** Below this many rows of A, a packed B^T is the left operand. */
    private static final int TRANSPOSED_MAX_ROWS = 4 * Sgemm.MR;

    private final PackedA packedWeightsT;
    private final int[] weightsShape;
    /** The constant B as given (or null), kept for saving the plan. */
    private final Tensor weights;

    /** A MatMul whose operands are both given per run. */
    public MatMulKernel() {
        this(null);
    }

    /** A MatMul whose B is the constant {@code weights} (null for none), packed once. */
    public MatMulKernel(Tensor weights) {
        this.weights = weights;
        if (weights != null && weights.rank() == 2 && weights.dtype() == DType.FLOAT) {
            this.packedWeightsT = PackedA.pack(weights.floats(), 0, weights.dim(1),
                    weights.dim(1), weights.dim(0), true);
            this.weightsShape = weights.shape();
        } else {
            this.packedWeightsT = null;
            this.weightsShape = null;
        }
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putTensor("weights", weights);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters, packing its weights again. */
    static MatMulKernel readParams(ParamReader in) {
        return new MatMulKernel(in.tensor("weights"));
    }

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
        // The products write every element (an empty K stores zeros), so the output may be a
        // recycled array.
        Tensor y = ctx.output(full);
        float[] av = a.floats();
        float[] bv = b.floats();
        float[] yv = y.floats();
        if (Tensor.checkedSize(bBatch) == 1) {
            int aBatches = Tensor.checkedSize(aBatch);
            if (aBatches == batches) {
                if (packedWeightsT != null && Arrays.equals(weightsShape, b.shapeView())
                        && batches * m < TRANSPOSED_MAX_ROWS) {
                    transposedProduct(av, yv, batches * m, n, k, ctx);
                } else {
                    product(av, 0, bv, 0, yv, 0, batches * m, n, k, ctx);
                }
                return new Tensor[] {y.reshape(resultShape(a, b, batch, m, n))};
            }
        }
        int[] sa = Broadcast.strides(aBatch, batch);
        int[] sb = Broadcast.strides(bBatch, batch);
        int[] idx = new int[batch.length];
        int oa = 0;
        int ob = 0;
        for (int t = 0; t < batches; t++) {
            product(av, oa * m * k, bv, ob * k * n, yv, t * m * n, m, n, k, ctx);
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

    /** {@code Y[m x n] = A[m x k] B[k x n]}, all row-major at offsets. */
    private static void product(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff,
            int m, int n, int k, RunContext ctx) {
        if (m == 0 || n == 0) {
            return;
        }
        Sgemm.multiply(PackedA.pack(a, aOff, k, m, k, false), new RowMajorB(b, bOff, n, k, n,
                false), y, yOff, n, Epilogue.NONE, null, 0, 0, ctx);
    }

    /** {@code Y^T = B^T A^T} with the packed constant B^T; Y is [rows x n]. */
    private void transposedProduct(float[] a, float[] y, int rows, int n, int k,
            RunContext ctx) {
        if (rows == 0 || n == 0) {
            return;
        }
        RowMajorB x = new RowMajorB(a, 0, k, k, rows, true);
        if (rows == 1) {
            Sgemm.multiply(packedWeightsT, x, y, 0, 1, Epilogue.NONE, null, 0, 0, ctx);
            return;
        }
        float[] yt = ctx.scratch(n * rows);
        Sgemm.multiply(packedWeightsT, x, yt, 0, rows, Epilogue.NONE, null, 0, 0, ctx);
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < rows; i++) {
                y[i * n + j] = yt[j * rows + i];
            }
        }
        ctx.releaseScratch(yt);
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
