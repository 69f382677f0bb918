package dev.lanes.training;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * C += A B for row-major B and C, with A read through strides so that a transposed A costs no
 * copy. Four rows of C are computed together, their partial sums kept in vector registers while
 * the inner dimension is walked: each row of B is loaded once per four rows of C, and C is
 * loaded and stored once. Every element of C adds its terms in index order of the inner
 * dimension, whichever rows it is grouped with, so results do not depend on how the rows are
 * split over threads.
 */
final class Gemm {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int ROWS = 4;

    private Gemm() {
    }

    /**
     * C[r][i] += sum over j of A[r][j] * B[j][i] for r < m, j < kd, i < n, where
     * A[r][j] = a[ao + r * ars + j * acs], B[j][i] = b[bo + j * n + i], C[r][i] = c[co + r * n + i].
     */
    static void multiplyAdd(float[] a, int ao, int ars, int acs, int m, int kd, float[] b, int bo, int n, float[] c,
                            int co) {
        int vl = SPECIES.length();
        int bound = SPECIES.loopBound(n);
        int r = 0;
        for (; r + ROWS <= m; r += ROWS) {
            int a0 = ao + r * ars;
            int a1 = a0 + ars;
            int a2 = a1 + ars;
            int a3 = a2 + ars;
            int c0 = co + r * n;
            int c1 = c0 + n;
            int c2 = c1 + n;
            int c3 = c2 + n;
            int i = 0;
            // Two vectors per row where they fit: each broadcast of A then feeds two
            // multiply-adds, and eight independent sums hide the multiply-add latency.
            for (; i + 2 * vl <= n; i += 2 * vl) {
                FloatVector s0 = FloatVector.fromArray(SPECIES, c, c0 + i);
                FloatVector s1 = FloatVector.fromArray(SPECIES, c, c1 + i);
                FloatVector s2 = FloatVector.fromArray(SPECIES, c, c2 + i);
                FloatVector s3 = FloatVector.fromArray(SPECIES, c, c3 + i);
                FloatVector t0 = FloatVector.fromArray(SPECIES, c, c0 + i + vl);
                FloatVector t1 = FloatVector.fromArray(SPECIES, c, c1 + i + vl);
                FloatVector t2 = FloatVector.fromArray(SPECIES, c, c2 + i + vl);
                FloatVector t3 = FloatVector.fromArray(SPECIES, c, c3 + i + vl);
                for (int j = 0; j < kd; j++) {
                    int bj = bo + j * n + i;
                    FloatVector bv = FloatVector.fromArray(SPECIES, b, bj);
                    FloatVector bw = FloatVector.fromArray(SPECIES, b, bj + vl);
                    int aj = j * acs;
                    FloatVector x0 = FloatVector.broadcast(SPECIES, a[a0 + aj]);
                    FloatVector x1 = FloatVector.broadcast(SPECIES, a[a1 + aj]);
                    FloatVector x2 = FloatVector.broadcast(SPECIES, a[a2 + aj]);
                    FloatVector x3 = FloatVector.broadcast(SPECIES, a[a3 + aj]);
                    s0 = bv.fma(x0, s0);
                    s1 = bv.fma(x1, s1);
                    s2 = bv.fma(x2, s2);
                    s3 = bv.fma(x3, s3);
                    t0 = bw.fma(x0, t0);
                    t1 = bw.fma(x1, t1);
                    t2 = bw.fma(x2, t2);
                    t3 = bw.fma(x3, t3);
                }
                s0.intoArray(c, c0 + i);
                s1.intoArray(c, c1 + i);
                s2.intoArray(c, c2 + i);
                s3.intoArray(c, c3 + i);
                t0.intoArray(c, c0 + i + vl);
                t1.intoArray(c, c1 + i + vl);
                t2.intoArray(c, c2 + i + vl);
                t3.intoArray(c, c3 + i + vl);
            }
            for (; i < bound; i += vl) {
                FloatVector s0 = FloatVector.fromArray(SPECIES, c, c0 + i);
                FloatVector s1 = FloatVector.fromArray(SPECIES, c, c1 + i);
                FloatVector s2 = FloatVector.fromArray(SPECIES, c, c2 + i);
                FloatVector s3 = FloatVector.fromArray(SPECIES, c, c3 + i);
                for (int j = 0; j < kd; j++) {
                    FloatVector bv = FloatVector.fromArray(SPECIES, b, bo + j * n + i);
                    int aj = j * acs;
                    s0 = bv.fma(FloatVector.broadcast(SPECIES, a[a0 + aj]), s0);
                    s1 = bv.fma(FloatVector.broadcast(SPECIES, a[a1 + aj]), s1);
                    s2 = bv.fma(FloatVector.broadcast(SPECIES, a[a2 + aj]), s2);
                    s3 = bv.fma(FloatVector.broadcast(SPECIES, a[a3 + aj]), s3);
                }
                s0.intoArray(c, c0 + i);
                s1.intoArray(c, c1 + i);
                s2.intoArray(c, c2 + i);
                s3.intoArray(c, c3 + i);
            }
            for (; i < n; i++) {
                float s0 = c[c0 + i];
                float s1 = c[c1 + i];
                float s2 = c[c2 + i];
                float s3 = c[c3 + i];
                for (int j = 0; j < kd; j++) {
                    float bv = b[bo + j * n + i];
                    int aj = j * acs;
                    s0 = Math.fma(bv, a[a0 + aj], s0);
                    s1 = Math.fma(bv, a[a1 + aj], s1);
                    s2 = Math.fma(bv, a[a2 + aj], s2);
                    s3 = Math.fma(bv, a[a3 + aj], s3);
                }
                c[c0 + i] = s0;
                c[c1 + i] = s1;
                c[c2 + i] = s2;
                c[c3 + i] = s3;
            }
        }
        for (; r < m; r++) {
            int a0 = ao + r * ars;
            int c0 = co + r * n;
            int i = 0;
            for (; i < bound; i += vl) {
                FloatVector s0 = FloatVector.fromArray(SPECIES, c, c0 + i);
                for (int j = 0; j < kd; j++) {
                    s0 = FloatVector.fromArray(SPECIES, b, bo + j * n + i).fma(FloatVector.broadcast(SPECIES, a[a0 + j * acs]), s0);
                }
                s0.intoArray(c, c0 + i);
            }
            for (; i < n; i++) {
                float s0 = c[c0 + i];
                for (int j = 0; j < kd; j++) {
                    s0 = Math.fma(b[bo + j * n + i], a[a0 + j * acs], s0);
                }
                c[c0 + i] = s0;
            }
        }
    }
}
