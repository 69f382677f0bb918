package dev.lanes.runtime.kernels.linalg;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.Broadcast;
import java.util.Arrays;

/**
 * Gemm: {@code Y = alpha * op(A) * op(B) + beta * C} for 2-D FLOAT A and B, with C (optional)
 * broadcast to [M, N]. Y starts as {@code beta * C} and the product accumulates into it.
 */
public final class GemmKernel implements Kernel {
    private final float alpha;
    private final float beta;
    private final boolean transA;
    private final boolean transB;

    /** A Gemm with the node's attributes. */
    public GemmKernel(float alpha, float beta, boolean transA, boolean transB) {
        this.alpha = alpha;
        this.beta = beta;
        this.transA = transA;
        this.transB = transB;
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor a = in[0];
        Tensor b = in[1];
        Tensor c = in.length > 2 ? in[2] : null;
        if (a.rank() != 2 || b.rank() != 2) {
            throw new ShapeException("Gemm: A and B must be 2-D, got " + text(a) + " and "
                    + text(b));
        }
        int m = transA ? a.dim(1) : a.dim(0);
        int k = transA ? a.dim(0) : a.dim(1);
        int kb = transB ? b.dim(1) : b.dim(0);
        int n = transB ? b.dim(0) : b.dim(1);
        if (k != kb) {
            throw new ShapeException("Gemm: inner dimensions differ: A " + text(a)
                    + (transA ? " (transposed)" : "") + " has " + k + ", B " + text(b)
                    + (transB ? " (transposed)" : "") + " has " + kb);
        }
        Tensor y = Tensor.zeros(a.dtype(), m, n);
        float[] out = y.floats();
        if (c != null && beta != 0) {
            fillBias(c, out, m, n);
        }
        MatrixMultiply.multiply(a.floats(), 0, transA, b.floats(), 0, transB, out, 0, m, n, k,
                alpha);
        return new Tensor[] {y};
    }

    private void fillBias(Tensor c, float[] out, int m, int n) {
        int[] target = {m, n};
        if (c.rank() > 2 || !Arrays.equals(Broadcast.shape(c.shapeView(), target), target)) {
            throw new ShapeException("Gemm: C of shape " + text(c)
                    + " cannot be broadcast to [" + m + ", " + n + "]");
        }
        int[] st = Broadcast.strides(c.shapeView(), target);
        float[] cv = c.floats();
        for (int i = 0; i < m; i++) {
            int row = i * st[0];
            for (int j = 0; j < n; j++) {
                out[i * n + j] = beta * cv[row + j * st[1]];
            }
        }
    }

    private static String text(Tensor t) {
        return Arrays.toString(t.shapeView());
    }
}
