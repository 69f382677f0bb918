package dev.lanes.training;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * C = A B for row-major B and C, with A read through strides so that a transposed A costs no
 * copy. Rows of C are computed four at a time (then two, then one), their sums kept in vector
 * registers while the inner dimension is walked: each row of B is loaded once per four rows of
 * C, and C is only stored. Every element of C adds its terms in index order of the inner
 * dimension starting from zero, whichever rows or columns it is grouped with, so results do not
 * depend on how rows are split over threads. That is also what makes the column tail cheap: the
 * last vector is placed to end at the last column, overlapping columns already computed, and
 * writes them again with the same values instead of finishing column by column.
 */
final class Gemm {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int VL = SPECIES.length();
    /** The floats in one vector: below this many columns the product falls back to scalar loops. */
    static final int VECTOR = VL;

    private Gemm() {
    }

    /**
     * C[r][i] = sum over j of A[r][j] * B[j][i] for r < m, j < kd, i < n, where
     * A[r][j] = a[ao + r * ars + j * acs], B[j][i] = b[bo + j * n + i], C[r][i] = c[co + r * n + i].
     */
    static void multiply(float[] a, int ao, int ars, int acs, int m, int kd, float[] b, int bo, int n, float[] c,
                         int co) {
        int r = 0;
        for (; r + 4 <= m; r += 4) {
            rows4(a, ao + r * ars, ars, acs, kd, b, bo, n, c, co + r * n);
        }
        if (r + 2 <= m) {
            rows2(a, ao + r * ars, ars, acs, kd, b, bo, n, c, co + r * n);
            r += 2;
        }
        if (r < m) {
            rows1(a, ao + r * ars, acs, kd, b, bo, n, c, co + r * n);
        }
    }

    private static void rows4(float[] a, int a0, int ars, int acs, int kd, float[] b, int bo, int n, float[] c,
                              int c0) {
        if (n < VL) {
            scalar(a, a0, ars, acs, 4, kd, b, bo, n, c, c0);
            return;
        }
        int i = 0;
        for (; i + 2 * VL <= n; i += 2 * VL) {
            block4x2(a, a0, ars, acs, kd, b, bo, n, c, c0, i);
        }
        for (; i + VL <= n; i += VL) {
            block4x1(a, a0, ars, acs, kd, b, bo, n, c, c0, i);
        }
        if (i < n) {
            block4x1(a, a0, ars, acs, kd, b, bo, n, c, c0, n - VL);
        }
    }

    private static void rows2(float[] a, int a0, int ars, int acs, int kd, float[] b, int bo, int n, float[] c,
                              int c0) {
        if (n < VL) {
            scalar(a, a0, ars, acs, 2, kd, b, bo, n, c, c0);
            return;
        }
        int i = 0;
        for (; i + 2 * VL <= n; i += 2 * VL) {
            block2x2(a, a0, ars, acs, kd, b, bo, n, c, c0, i);
        }
        for (; i + VL <= n; i += VL) {
            block2x1(a, a0, ars, acs, kd, b, bo, n, c, c0, i);
        }
        if (i < n) {
            block2x1(a, a0, ars, acs, kd, b, bo, n, c, c0, n - VL);
        }
    }

    private static void rows1(float[] a, int a0, int acs, int kd, float[] b, int bo, int n, float[] c, int c0) {
        if (n < VL) {
            scalar(a, a0, 0, acs, 1, kd, b, bo, n, c, c0);
            return;
        }
        int i = 0;
        for (; i + VL <= n; i += VL) {
            block1x1(a, a0, acs, kd, b, bo, n, c, c0, i);
        }
        if (i < n) {
            block1x1(a, a0, acs, kd, b, bo, n, c, c0, n - VL);
        }
    }

    /** Four rows by two vectors: each broadcast of A feeds two multiply-adds, eight sums hide their latency. */
    private static void block4x2(float[] a, int a0, int ars, int acs, int kd, float[] b, int bo, int n, float[] c,
                                 int c0, int i) {
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        FloatVector t0 = s0;
        FloatVector t1 = s0;
        FloatVector t2 = s0;
        FloatVector t3 = s0;
        int a1 = a0 + ars;
        int a2 = a1 + ars;
        int a3 = a2 + ars;
        for (int j = 0; j < kd; j++) {
            int bj = bo + j * n + i;
            FloatVector bv = FloatVector.fromArray(SPECIES, b, bj);
            FloatVector bw = FloatVector.fromArray(SPECIES, b, bj + VL);
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
        s1.intoArray(c, c0 + n + i);
        s2.intoArray(c, c0 + 2 * n + i);
        s3.intoArray(c, c0 + 3 * n + i);
        t0.intoArray(c, c0 + i + VL);
        t1.intoArray(c, c0 + n + i + VL);
        t2.intoArray(c, c0 + 2 * n + i + VL);
        t3.intoArray(c, c0 + 3 * n + i + VL);
    }

    private static void block4x1(float[] a, int a0, int ars, int acs, int kd, float[] b, int bo, int n, float[] c,
                                 int c0, int i) {
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int a1 = a0 + ars;
        int a2 = a1 + ars;
        int a3 = a2 + ars;
        for (int j = 0; j < kd; j++) {
            FloatVector bv = FloatVector.fromArray(SPECIES, b, bo + j * n + i);
            int aj = j * acs;
            s0 = bv.fma(FloatVector.broadcast(SPECIES, a[a0 + aj]), s0);
            s1 = bv.fma(FloatVector.broadcast(SPECIES, a[a1 + aj]), s1);
            s2 = bv.fma(FloatVector.broadcast(SPECIES, a[a2 + aj]), s2);
            s3 = bv.fma(FloatVector.broadcast(SPECIES, a[a3 + aj]), s3);
        }
        s0.intoArray(c, c0 + i);
        s1.intoArray(c, c0 + n + i);
        s2.intoArray(c, c0 + 2 * n + i);
        s3.intoArray(c, c0 + 3 * n + i);
    }

    private static void block2x2(float[] a, int a0, int ars, int acs, int kd, float[] b, int bo, int n, float[] c,
                                 int c0, int i) {
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = s0;
        FloatVector t0 = s0;
        FloatVector t1 = s0;
        int a1 = a0 + ars;
        for (int j = 0; j < kd; j++) {
            int bj = bo + j * n + i;
            FloatVector bv = FloatVector.fromArray(SPECIES, b, bj);
            FloatVector bw = FloatVector.fromArray(SPECIES, b, bj + VL);
            int aj = j * acs;
            FloatVector x0 = FloatVector.broadcast(SPECIES, a[a0 + aj]);
            FloatVector x1 = FloatVector.broadcast(SPECIES, a[a1 + aj]);
            s0 = bv.fma(x0, s0);
            s1 = bv.fma(x1, s1);
            t0 = bw.fma(x0, t0);
            t1 = bw.fma(x1, t1);
        }
        s0.intoArray(c, c0 + i);
        s1.intoArray(c, c0 + n + i);
        t0.intoArray(c, c0 + i + VL);
        t1.intoArray(c, c0 + n + i + VL);
    }

    private static void block2x1(float[] a, int a0, int ars, int acs, int kd, float[] b, int bo, int n, float[] c,
                                 int c0, int i) {
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = s0;
        int a1 = a0 + ars;
        for (int j = 0; j < kd; j++) {
            FloatVector bv = FloatVector.fromArray(SPECIES, b, bo + j * n + i);
            int aj = j * acs;
            s0 = bv.fma(FloatVector.broadcast(SPECIES, a[a0 + aj]), s0);
            s1 = bv.fma(FloatVector.broadcast(SPECIES, a[a1 + aj]), s1);
        }
        s0.intoArray(c, c0 + i);
        s1.intoArray(c, c0 + n + i);
    }

    private static void block1x1(float[] a, int a0, int acs, int kd, float[] b, int bo, int n, float[] c, int c0,
                                 int i) {
        FloatVector s0 = FloatVector.zero(SPECIES);
        for (int j = 0; j < kd; j++) {
            s0 = FloatVector.fromArray(SPECIES, b, bo + j * n + i).fma(FloatVector.broadcast(SPECIES, a[a0 + j * acs]), s0);
        }
        s0.intoArray(c, c0 + i);
    }

    /** Rows narrower than a vector, element by element in the same order (Math.fma rounds as the vector fma). */
    private static void scalar(float[] a, int a0, int ars, int acs, int rows, int kd, float[] b, int bo, int n,
                               float[] c, int c0) {
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < n; i++) {
                float s = 0f;
                for (int j = 0; j < kd; j++) {
                    s = Math.fma(b[bo + j * n + i], a[a0 + r * ars + j * acs], s);
                }
                c[c0 + r * n + i] = s;
            }
        }
    }
}
