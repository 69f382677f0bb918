package dev.lanes.runtime.kernels.gemm;

import java.util.Arrays;

/**
 * A row-major (or, with {@code transposed}, column-major) matrix as a GEMM's B operand.
 *
 * @param b          the values
 * @param offset     where B[0][0] is
 * @param ld         the distance between consecutive rows (columns when transposed)
 * @param rows       K
 * @param columns    N
 * @param transposed true when the array holds B transposed ([N x K] row-major)
 */
public record RowMajorB(float[] b, int offset, int ld, int rows, int columns, boolean transposed)
        implements BSource {

    @Override
    public void pack(int k0, int kc, int n0, int nc, float[] dst) {
        int nr = Sgemm.NR;
        for (int p = 0, j0 = 0; j0 < nc; p++, j0 += nr) {
            int w = Math.min(nr, nc - j0);
            int base = p * kc * nr;
            for (int kk = 0; kk < kc; kk++) {
                int d = base + kk * nr;
                if (!transposed) {
                    System.arraycopy(b, offset + (k0 + kk) * ld + n0 + j0, dst, d, w);
                } else {
                    for (int j = 0; j < w; j++) {
                        dst[d + j] = b[offset + (n0 + j0 + j) * ld + k0 + kk];
                    }
                }
                if (w < nr) {
                    Arrays.fill(dst, d + w, d + nr, 0f);
                }
            }
        }
    }
}
