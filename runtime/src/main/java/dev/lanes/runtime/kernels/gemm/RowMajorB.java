package dev.lanes.runtime.kernels.gemm;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

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
    private static final VectorSpecies<Float> S = Sgemm.SPECIES;
    private static final int VL = S.length();

    @Override
    public void pack(int k0, int kc, int n0, int nc, float[] dst) {
        if (transposed) {
            packTransposed(k0, kc, n0, nc, dst);
            return;
        }
        int nr = Sgemm.NR;
        for (int kk = 0; kk < kc; kk++) {
            int src = offset + (k0 + kk) * ld + n0;
            for (int j0 = 0, d = kk * nr; j0 < nc; j0 += nr, d += kc * nr) {
                int w = Math.min(nr, nc - j0);
                int v = 0;
                for (; v + VL <= w; v += VL) {
                    FloatVector.fromArray(S, b, src + j0 + v).intoArray(dst, d + v);
                }
                // A panel need not be a whole number of vectors wide (12 columns of 8 lanes);
                // the rest is scalar because masked stores are slow on AVX2.
                for (; v < w; v++) {
                    dst[d + v] = b[src + j0 + v];
                }
                for (; v < nr; v++) {
                    dst[d + v] = 0f;
                }
            }
        }
    }

    /** Each column of the panel is a contiguous run of the stored rows: read along it. */
    private void packTransposed(int k0, int kc, int n0, int nc, float[] dst) {
        int nr = Sgemm.NR;
        for (int p = 0, j0 = 0; j0 < nc; p++, j0 += nr) {
            int w = Math.min(nr, nc - j0);
            int base = p * kc * nr;
            for (int j = 0; j < w; j++) {
                int src = offset + (n0 + j0 + j) * ld + k0;
                for (int kk = 0; kk < kc; kk++) {
                    dst[base + kk * nr + j] = b[src + kk];
                }
            }
            if (w < nr) {
                for (int kk = 0; kk < kc; kk++) {
                    Arrays.fill(dst, base + kk * nr + w, base + kk * nr + nr, 0f);
                }
            }
        }
    }
}
