package dev.lanes.runtime.kernels.linalg;

/**
 * The plain float matrix product {@code C += alpha * op(A) * op(B)} with row-major operands at
 * offsets, {@code op} being an optional transpose: the reference twin of the {@code Sgemm}-based
 * Gemm and MatMul kernels. {@link #reference} is the triple loop with double accumulation;
 * {@link #multiply} is the loop-order-optimized scalar form (i-k-j so the inner loop streams
 * contiguous rows of B and C; a transposed B is transposed once, or for few rows of A multiplied
 * as dot products of contiguous rows), kept as a second, independent check.
 */
public final class MatrixMultiply {
    /** Below this many rows of A, a transposed B is used in place (dot products). */
    private static final int TRANSPOSE_B_MIN_ROWS = 8;

    private MatrixMultiply() {
    }

    /**
     * {@code C[m x n] += alpha * op(A)[m x k] * op(B)[k x n]}. A is stored [m x k] (or [k x m]
     * with {@code transA}), B [k x n] (or [n x k] with {@code transB}), C [m x n].
     */
    public static void multiply(float[] a, int aOff, boolean transA, float[] b, int bOff,
            boolean transB, float[] c, int cOff, int m, int n, int k, float alpha) {
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        if (transB && m < TRANSPOSE_B_MIN_ROWS) {
            dotProducts(a, aOff, transA, b, bOff, c, cOff, m, n, k, alpha);
            return;
        }
        float[] bb = b;
        int bo = bOff;
        if (transB) {
            bb = transpose(b, bOff, n, k);
            bo = 0;
        }
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * n;
            for (int p = 0; p < k; p++) {
                float av = alpha * (transA ? a[aOff + p * m + i] : a[aOff + i * k + p]);
                int bp = bo + p * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += av * bb[bp + j];
                }
            }
        }
    }

    /** A [rows x cols] block at {@code off} transposed into a new [cols x rows] array. */
    static float[] transpose(float[] src, int off, int rows, int cols) {
        float[] t = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            int s = off + r * cols;
            for (int col = 0; col < cols; col++) {
                t[col * rows + r] = src[s + col];
            }
        }
        return t;
    }

    private static void dotProducts(float[] a, int aOff, boolean transA, float[] b, int bOff,
            float[] c, int cOff, int m, int n, int k, float alpha) {
        float[] row = new float[k];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                row[p] = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
            }
            for (int j = 0; j < n; j++) {
                int bj = bOff + j * k;
                // Four partial sums break the dependency chain of one accumulator.
                float s0 = 0;
                float s1 = 0;
                float s2 = 0;
                float s3 = 0;
                int p = 0;
                for (; p + 3 < k; p += 4) {
                    s0 += row[p] * b[bj + p];
                    s1 += row[p + 1] * b[bj + p + 1];
                    s2 += row[p + 2] * b[bj + p + 2];
                    s3 += row[p + 3] * b[bj + p + 3];
                }
                for (; p < k; p++) {
                    s0 += row[p] * b[bj + p];
                }
                c[cOff + i * n + j] += alpha * ((s0 + s1) + (s2 + s3));
            }
        }
    }

    /** The plain triple loop (double accumulation) with the same contract as multiply. */
    public static void reference(float[] a, int aOff, boolean transA, float[] b, int bOff,
            boolean transB, float[] c, int cOff, int m, int n, int k, float alpha) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                    float bv = transB ? b[bOff + j * k + p] : b[bOff + p * n + j];
                    s += (double) av * bv;
                }
                c[cOff + i * n + j] += (float) (alpha * s);
            }
        }
    }
}
