package dev.lanes.runtime.kernels.linalg;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.Broadcast;
import dev.lanes.runtime.kernels.gemm.Activation;
import dev.lanes.runtime.kernels.gemm.Epilogue;
import dev.lanes.runtime.kernels.gemm.PackedA;
import dev.lanes.runtime.kernels.gemm.RowMajorB;
import dev.lanes.runtime.kernels.gemm.Sgemm;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;

/**
 * Gemm: {@code Y = alpha * op(A) * op(B) + beta * C} for 2-D FLOAT A and B, with C (optional)
 * broadcast to [M, N], on {@link Sgemm}.
 *
 * <p>B is usually a layer's weights. When it is a constant, it is packed once here as the GEMM's
 * left operand and the kernel computes {@code Y^T = op(B)^T op(A)^T}: the rows of that product
 * are output features, so a per-feature bias ({@code C} of shape [N] or [1, N]) and alpha are the
 * per-row shift and scale of the epilogue, and at batch 1 the product is the matrix-vector path.
 * Otherwise {@code op(A)} is packed per run and {@code Y = op(A) op(B)} directly, a per-row C
 * ([M, 1]) fused the same way. Any other C is added through the epilogue's residual.
 * {@link MatrixMultiply#reference} is the plain loop this is tested against.
 */
public final class GemmKernel implements Kernel {
    private final float alpha;
    private final float beta;
    private final boolean transA;
    private final boolean transB;
    /** op(B)^T packed, for the B it was made from; null when B is not constant. */
    private final PackedA packedWeights;
    private final int[] weightsShape;
    /** The constant B as given (or null), kept for saving the plan. */
    private final Tensor weights;
    private final Activation activation;

    /** A Gemm with the node's attributes, packing B per run. */
    public GemmKernel(float alpha, float beta, boolean transA, boolean transB) {
        this(alpha, beta, transA, transB, null);
    }

    /**
     * A Gemm with the node's attributes whose B is the constant {@code weights} (a 2-D FLOAT
     * tensor; null for none), packed here once.
     */
    public GemmKernel(float alpha, float beta, boolean transA, boolean transB, Tensor weights) {
        this(alpha, beta, transA, transB, weights, Activation.NONE);
    }

    /**
     * A Gemm with constant weights (or null) whose result goes through {@code activation} before
     * it is stored (a fused activation).
     */
    public GemmKernel(float alpha, float beta, boolean transA, boolean transB, Tensor weights,
            Activation activation) {
        this.activation = activation;
        this.weights = weights;
        this.alpha = alpha;
        this.beta = beta;
        this.transA = transA;
        this.transB = transB;
        if (weights != null && weights.rank() == 2 && weights.dtype() == DType.FLOAT) {
            int k = transB ? weights.dim(1) : weights.dim(0);
            int n = transB ? weights.dim(0) : weights.dim(1);
            // op(B)^T is [N x K]: B itself when transB, else B read transposed.
            this.packedWeights = PackedA.pack(weights.floats(), 0, weights.dim(1), n, k, !transB);
            this.weightsShape = weights.shape();
        } else {
            this.packedWeights = null;
            this.weightsShape = null;
        }
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putFloat("alpha", alpha).putFloat("beta", beta).putBool("trans_a", transA)
                .putBool("trans_b", transB).putTensor("weights", weights)
                .putRecord("activation", activation, Activation::writeTo);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters, packing its weights again. */
    static GemmKernel readParams(ParamReader in) {
        return new GemmKernel(in.getFloat("alpha"), in.getFloat("beta"), in.getBool("trans_a"),
                in.getBool("trans_b"), in.tensor("weights"),
                in.requireRecord("activation", Activation::readFrom));
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
        if (c != null && beta != 0) {
            int[] target = {m, n};
            if (c.rank() > 2 || !Arrays.equals(Broadcast.shape(c.shapeView(), target), target)) {
                throw new ShapeException("Gemm: C of shape " + text(c)
                        + " cannot be broadcast to [" + m + ", " + n + "]");
            }
        } else {
            c = null;
        }
        if (m == 0 || n == 0) {
            return new Tensor[] {Tensor.zeros(a.dtype(), m, n)};
        }
        // Both products below write every element of Y.
        Tensor y = ctx.output(m, n);
        boolean packed = packedWeights != null && Arrays.equals(weightsShape, b.shapeView());
        if (packed || m < Sgemm.MR) {
            transposedProduct(a, b, c, y.floats(), m, n, k, packed, ctx);
        } else {
            directProduct(a, b, c, y.floats(), m, n, k, ctx);
        }
        return new Tensor[] {y};
    }

    /** {@code Y^T = op(B)^T op(A)^T}: features are rows, the batch is columns. */
    private void transposedProduct(Tensor a, Tensor b, Tensor c, float[] out, int m, int n,
            int k, boolean packed, RunContext ctx) {
        PackedA w = packed ? packedWeights
                : PackedA.pack(b.floats(), 0, b.dim(1), n, k, !transB);
        // op(A)^T [K x M]: A itself when transA, else A read transposed.
        RowMajorB x = new RowMajorB(a.floats(), 0, a.dim(1), k, m, !transA);
        float[] shift = null;
        float[] residual = null;
        if (c != null) {
            int[] st = Broadcast.strides(c.shapeView(), new int[] {m, n});
            if (st[0] == 0) {
                shift = scaled(c.floats(), st[1], n);
            } else {
                residual = broadcast(c, m, n, true);
            }
        }
        Epilogue ep = new Epilogue(alpha == 1f ? null : filled(n, alpha), shift, activation);
        if (m == 1) {
            Sgemm.multiply(w, x, out, 0, 1, ep, residual, 0, 1, ctx);
            return;
        }
        float[] yt = ctx.scratch(n * m);
        Sgemm.multiply(w, x, yt, 0, m, ep, residual, 0, m, ctx);
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                out[i * n + j] = yt[j * m + i];
            }
        }
        ctx.releaseScratch(yt);
    }

    /** {@code Y = op(A) op(B)} with op(A) packed for this run. */
    private void directProduct(Tensor a, Tensor b, Tensor c, float[] out, int m, int n, int k,
            RunContext ctx) {
        PackedA pa = PackedA.pack(a.floats(), 0, a.dim(1), m, k, transA);
        RowMajorB rb = new RowMajorB(b.floats(), 0, b.dim(1), k, n, transB);
        float[] shift = null;
        float[] residual = null;
        if (c != null) {
            int[] st = Broadcast.strides(c.shapeView(), new int[] {m, n});
            if (st[1] == 0) {
                shift = scaled(c.floats(), st[0], m);
            } else {
                residual = broadcast(c, m, n, false);
            }
        }
        Epilogue ep = new Epilogue(alpha == 1f ? null : filled(m, alpha), shift, activation);
        Sgemm.multiply(pa, rb, out, 0, n, ep, residual, 0, n, ctx);
    }

    /** {@code beta * v[i * stride]} for {@code i < count} (stride 0: a scalar repeated). */
    private float[] scaled(float[] v, int stride, int count) {
        float[] s = new float[count];
        for (int i = 0; i < count; i++) {
            s[i] = beta * v[i * stride];
        }
        return s;
    }

    /** {@code beta * C} broadcast to [M, N], or to its transpose [N, M]. */
    private float[] broadcast(Tensor c, int m, int n, boolean transposed) {
        int[] st = Broadcast.strides(c.shapeView(), new int[] {m, n});
        float[] cv = c.floats();
        float[] r = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                r[transposed ? j * m + i : i * n + j] = beta * cv[i * st[0] + j * st[1]];
            }
        }
        return r;
    }

    private static float[] filled(int count, float value) {
        float[] v = new float[count];
        Arrays.fill(v, value);
        return v;
    }

    private static String text(Tensor t) {
        return Arrays.toString(t.shapeView());
    }
}
