package dev.lanes.runtime.kernels.spatial;

/**
 * The row-major matrix product the convolutions are built on, blocked so a panel of B and one
 * row segment of C stay in cache, with the innermost loop over contiguous columns (the JIT
 * vectorizes it).
 */
final class Gemm {
    private static final int COL_BLOCK = 512;
    private static final int DEPTH_BLOCK = 64;

    private Gemm() {
    }

    /**
     * C[m][j] += sum_k A[m][k] * B[k][j] for an M x K matrix A (row stride K), a K x P matrix B
     * (row stride P) and an M x P matrix C (row stride P).
     */
    static void multiplyAdd(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m,
            int k, int p) {
        for (int j0 = 0; j0 < p; j0 += COL_BLOCK) {
            int j1 = Math.min(p, j0 + COL_BLOCK);
            for (int k0 = 0; k0 < k; k0 += DEPTH_BLOCK) {
                int k1 = Math.min(k, k0 + DEPTH_BLOCK);
                for (int i = 0; i < m; i++) {
                    int cRow = cOff + i * p;
                    int aRow = aOff + i * k;
                    int kk = k0;
                    // Four rows of B per pass: one load and store of C per four multiply-adds.
                    for (; kk + 3 < k1; kk += 4) {
                        float a0 = a[aRow + kk];
                        float a1 = a[aRow + kk + 1];
                        float a2 = a[aRow + kk + 2];
                        float a3 = a[aRow + kk + 3];
                        int b0 = bOff + kk * p;
                        int b1 = b0 + p;
                        int b2 = b1 + p;
                        int b3 = b2 + p;
                        for (int j = j0; j < j1; j++) {
                            c[cRow + j] += a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j]
                                    + a3 * b[b3 + j];
                        }
                    }
                    for (; kk < k1; kk++) {
                        float av = a[aRow + kk];
                        int bRow = bOff + kk * p;
                        for (int j = j0; j < j1; j++) {
                            c[cRow + j] += av * b[bRow + j];
                        }
                    }
                }
            }
        }
    }

    /**
     * C[i][j] += sum_k A[k][i] * B[k][j]: the product with A transposed, for a K x M matrix A
     * (row stride M), a K x P matrix B and an M x P matrix C.
     */
    static void multiplyAddTransposedA(float[] a, int aOff, float[] b, int bOff, float[] c,
            int cOff, int m, int k, int p) {
        for (int j0 = 0; j0 < p; j0 += COL_BLOCK) {
            int j1 = Math.min(p, j0 + COL_BLOCK);
            for (int k0 = 0; k0 < k; k0 += DEPTH_BLOCK) {
                int k1 = Math.min(k, k0 + DEPTH_BLOCK);
                for (int i = 0; i < m; i++) {
                    int cRow = cOff + i * p;
                    for (int kk = k0; kk < k1; kk++) {
                        float av = a[aOff + kk * m + i];
                        int bRow = bOff + kk * p;
                        for (int j = j0; j < j1; j++) {
                            c[cRow + j] += av * b[bRow + j];
                        }
                    }
                }
            }
        }
    }
}
