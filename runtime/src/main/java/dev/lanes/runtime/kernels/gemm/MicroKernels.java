package dev.lanes.runtime.kernels.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register tiles of {@link Sgemm} for a 32-register vector file (AVX-512, NEON): eight rows of
 * a packed A panel times one, two or three vectors of a packed B panel, over {@code kc} steps, the accumulators held in registers
 * (one broadcast of A and three fmas per row and step). Each accumulator is a named local, Java
 * having no register arrays; the tile methods stop at writing the accumulators to a small
 * per-thread buffer (an L1 round trip per tile, against {@code kc} steps of fmas) because
 * anything more makes the methods too large for C1, which then leaves them interpreted-slow.
 * {@link #store} then adds or copies the buffer into C through masks for a partial tile.
 * B's rows are {@code ldb} apart: {@code NR} in a packed panel, more in a row-major B read
 * where it lies.
 * ({@link Tiles12x1v} holds the tiles for a 16-register file.)
 */
final class MicroKernels {
    static final VectorSpecies<Float> S = Sgemm.SPECIES;
    static final int VL = S.length();
    static final int MR = Sgemm.MR;
    static final int NR = Sgemm.NR;
    /**
     * Accumulators of {@link #dot}: four for latency, or three when four vectors do not hold a
     * whole number of MR-row groups (6 rows, 8 lanes), so lane {@code l} of accumulator
     * {@code g} always belongs to row {@code (g * VL + l) % MR}.
     */
    static final int DOT_GROUP = (4 * VL) % MR == 0 ? 4 : 3;
    /** Lane sums written by {@link #dot}: {@link #DOT_GROUP} vectors. */
    static final int DOT_LANES = DOT_GROUP * VL;

    private MicroKernels() {
    }

    /** An {@code MR x 3}-vector tile into {@code acc} (row {@code i} at {@code i * NR}). */
    static void tile8x3v(float[] a, int ao, float[] b, int bo, int ldb, int kc, float[] acc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z;
        FloatVector c10 = z, c11 = z, c12 = z;
        FloatVector c20 = z, c21 = z, c22 = z;
        FloatVector c30 = z, c31 = z, c32 = z;
        FloatVector c40 = z, c41 = z, c42 = z;
        FloatVector c50 = z, c51 = z, c52 = z;
        FloatVector c60 = z, c61 = z, c62 = z;
        FloatVector c70 = z, c71 = z, c72 = z;
        for (int kk = 0; kk < kc; kk++) {
            int ak = ao + kk * MR;
            int bk = bo + kk * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bk);
            FloatVector b1 = FloatVector.fromArray(S, b, bk + VL);
            FloatVector b2 = FloatVector.fromArray(S, b, bk + 2 * VL);
            FloatVector a0 = FloatVector.broadcast(S, a[ak]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01); c02 = a0.fma(b2, c02);
            FloatVector a1 = FloatVector.broadcast(S, a[ak + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11); c12 = a1.fma(b2, c12);
            FloatVector a2 = FloatVector.broadcast(S, a[ak + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21); c22 = a2.fma(b2, c22);
            FloatVector a3 = FloatVector.broadcast(S, a[ak + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31); c32 = a3.fma(b2, c32);
            FloatVector a4 = FloatVector.broadcast(S, a[ak + 4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41); c42 = a4.fma(b2, c42);
            FloatVector a5 = FloatVector.broadcast(S, a[ak + 5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51); c52 = a5.fma(b2, c52);
            FloatVector a6 = FloatVector.broadcast(S, a[ak + 6]);
            c60 = a6.fma(b0, c60); c61 = a6.fma(b1, c61); c62 = a6.fma(b2, c62);
            FloatVector a7 = FloatVector.broadcast(S, a[ak + 7]);
            c70 = a7.fma(b0, c70); c71 = a7.fma(b1, c71); c72 = a7.fma(b2, c72);
        }
        c00.intoArray(acc, 0);
        c01.intoArray(acc, VL);
        c02.intoArray(acc, 2 * VL);
        c10.intoArray(acc, 1 * NR);
        c11.intoArray(acc, 1 * NR + VL);
        c12.intoArray(acc, 1 * NR + 2 * VL);
        c20.intoArray(acc, 2 * NR);
        c21.intoArray(acc, 2 * NR + VL);
        c22.intoArray(acc, 2 * NR + 2 * VL);
        c30.intoArray(acc, 3 * NR);
        c31.intoArray(acc, 3 * NR + VL);
        c32.intoArray(acc, 3 * NR + 2 * VL);
        c40.intoArray(acc, 4 * NR);
        c41.intoArray(acc, 4 * NR + VL);
        c42.intoArray(acc, 4 * NR + 2 * VL);
        c50.intoArray(acc, 5 * NR);
        c51.intoArray(acc, 5 * NR + VL);
        c52.intoArray(acc, 5 * NR + 2 * VL);
        c60.intoArray(acc, 6 * NR);
        c61.intoArray(acc, 6 * NR + VL);
        c62.intoArray(acc, 6 * NR + 2 * VL);
        c70.intoArray(acc, 7 * NR);
        c71.intoArray(acc, 7 * NR + VL);
        c72.intoArray(acc, 7 * NR + 2 * VL);
    }

    /** An {@code MR x 2}-vector tile into {@code acc} (row {@code i} at {@code i * NR}). */
    static void tile8x2v(float[] a, int ao, float[] b, int bo, int ldb, int kc, float[] acc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z;
        FloatVector c10 = z, c11 = z;
        FloatVector c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z;
        FloatVector c50 = z, c51 = z;
        FloatVector c60 = z, c61 = z;
        FloatVector c70 = z, c71 = z;
        for (int kk = 0; kk < kc; kk++) {
            int ak = ao + kk * MR;
            int bk = bo + kk * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bk);
            FloatVector b1 = FloatVector.fromArray(S, b, bk + VL);
            FloatVector a0 = FloatVector.broadcast(S, a[ak]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ak + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ak + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ak + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            FloatVector a4 = FloatVector.broadcast(S, a[ak + 4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            FloatVector a5 = FloatVector.broadcast(S, a[ak + 5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
            FloatVector a6 = FloatVector.broadcast(S, a[ak + 6]);
            c60 = a6.fma(b0, c60); c61 = a6.fma(b1, c61);
            FloatVector a7 = FloatVector.broadcast(S, a[ak + 7]);
            c70 = a7.fma(b0, c70); c71 = a7.fma(b1, c71);
        }
        c00.intoArray(acc, 0);
        c01.intoArray(acc, VL);
        c10.intoArray(acc, 1 * NR);
        c11.intoArray(acc, 1 * NR + VL);
        c20.intoArray(acc, 2 * NR);
        c21.intoArray(acc, 2 * NR + VL);
        c30.intoArray(acc, 3 * NR);
        c31.intoArray(acc, 3 * NR + VL);
        c40.intoArray(acc, 4 * NR);
        c41.intoArray(acc, 4 * NR + VL);
        c50.intoArray(acc, 5 * NR);
        c51.intoArray(acc, 5 * NR + VL);
        c60.intoArray(acc, 6 * NR);
        c61.intoArray(acc, 6 * NR + VL);
        c70.intoArray(acc, 7 * NR);
        c71.intoArray(acc, 7 * NR + VL);
    }

    /** An {@code MR x 1}-vector tile into {@code acc} (row {@code i} at {@code i * NR}). */
    static void tile8x1v(float[] a, int ao, float[] b, int bo, int ldb, int kc, float[] acc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z;
        FloatVector c10 = z;
        FloatVector c20 = z;
        FloatVector c30 = z;
        FloatVector c40 = z;
        FloatVector c50 = z;
        FloatVector c60 = z;
        FloatVector c70 = z;
        for (int kk = 0; kk < kc; kk++) {
            int ak = ao + kk * MR;
            int bk = bo + kk * ldb;
            FloatVector b0 = FloatVector.fromArray(S, b, bk);
            FloatVector a0 = FloatVector.broadcast(S, a[ak]);
            c00 = a0.fma(b0, c00);
            FloatVector a1 = FloatVector.broadcast(S, a[ak + 1]);
            c10 = a1.fma(b0, c10);
            FloatVector a2 = FloatVector.broadcast(S, a[ak + 2]);
            c20 = a2.fma(b0, c20);
            FloatVector a3 = FloatVector.broadcast(S, a[ak + 3]);
            c30 = a3.fma(b0, c30);
            FloatVector a4 = FloatVector.broadcast(S, a[ak + 4]);
            c40 = a4.fma(b0, c40);
            FloatVector a5 = FloatVector.broadcast(S, a[ak + 5]);
            c50 = a5.fma(b0, c50);
            FloatVector a6 = FloatVector.broadcast(S, a[ak + 6]);
            c60 = a6.fma(b0, c60);
            FloatVector a7 = FloatVector.broadcast(S, a[ak + 7]);
            c70 = a7.fma(b0, c70);
        }
        c00.intoArray(acc, 0);
        c10.intoArray(acc, 1 * NR);
        c20.intoArray(acc, 2 * NR);
        c30.intoArray(acc, 3 * NR);
        c40.intoArray(acc, 4 * NR);
        c50.intoArray(acc, 5 * NR);
        c60.intoArray(acc, 6 * NR);
        c70.intoArray(acc, 7 * NR);
    }

    /**
     * The first {@code rows} rows and {@code width} columns of a tile in {@code acc} into C at
     * {@code ci}: added to C's values with {@code add} (a later block of K), otherwise stored.
     */
    static void store(float[] acc, float[] c, int ci, int ldc, int rows, int width, boolean add) {
        store(acc, NR, c, ci, ldc, rows, width, add);
    }

    /** {@link #store} of a tile whose rows are {@code accStride} apart in {@code acc}. */
    static void store(float[] acc, int accStride, float[] c, int ci, int ldc, int rows,
            int width, boolean add) {
        int full = S.loopBound(width);
        for (int i = 0; i < rows; i++) {
            int o = ci + i * ldc;
            int t = i * accStride;
            int j = 0;
            for (; j < full; j += VL) {
                FloatVector v = FloatVector.fromArray(S, acc, t + j);
                if (add) {
                    v = v.add(FloatVector.fromArray(S, c, o + j));
                }
                v.intoArray(c, o + j);
            }
            if (j < width) {
                VectorMask<Float> m = S.indexInRange(j, width);
                FloatVector v = FloatVector.fromArray(S, acc, t + j);
                if (add) {
                    v = v.add(FloatVector.fromArray(S, c, o + j, m));
                }
                v.intoArray(c, o + j, m);
            }
        }
    }

    /**
     * Lane sums of {@code a[ao .. ao + len) * x[xo .. xo + len)} into {@code lanes[lo ..
     * lo + DOT_LANES)}: with both in the A panel layout (rows interleaved step by step),
     * {@code lanes[lo + l]} holds a part of row {@code l % MR}'s dot product
     * ({@link #foldRow} adds them up). {@code len} is a multiple of MR.
     */
    static void dot(float[] a, int ao, float[] x, int xo, int len, float[] lanes, int lo) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        int group = DOT_LANES;
        int t = 0;
        for (int end = len - group; t <= end; t += group) {
            s0 = FloatVector.fromArray(S, a, ao + t).fma(FloatVector.fromArray(S, x, xo + t), s0);
            s1 = FloatVector.fromArray(S, a, ao + t + VL)
                    .fma(FloatVector.fromArray(S, x, xo + t + VL), s1);
            s2 = FloatVector.fromArray(S, a, ao + t + 2 * VL)
                    .fma(FloatVector.fromArray(S, x, xo + t + 2 * VL), s2);
            if (DOT_GROUP == 4) {
                s3 = FloatVector.fromArray(S, a, ao + t + 3 * VL)
                        .fma(FloatVector.fromArray(S, x, xo + t + 3 * VL), s3);
            }
        }
        // The tail goes to the accumulators in order, keeping each lane on its row.
        if (t < len) {
            s0 = s0.add(tailProduct(a, ao, x, xo, t, len));
        }
        if (t + VL < len) {
            s1 = s1.add(tailProduct(a, ao, x, xo, t + VL, len));
        }
        if (t + 2 * VL < len) {
            s2 = s2.add(tailProduct(a, ao, x, xo, t + 2 * VL, len));
        }
        if (DOT_GROUP == 4 && t + 3 * VL < len) {
            s3 = s3.add(tailProduct(a, ao, x, xo, t + 3 * VL, len));
        }
        s0.intoArray(lanes, lo);
        s1.intoArray(lanes, lo + VL);
        s2.intoArray(lanes, lo + 2 * VL);
        if (DOT_GROUP == 4) {
            s3.intoArray(lanes, lo + 3 * VL);
        }
    }

    private static FloatVector tailProduct(float[] a, int ao, float[] x, int xo, int t, int len) {
        VectorMask<Float> m = S.indexInRange(t, len);
        return FloatVector.fromArray(S, a, ao + t, m).mul(FloatVector.fromArray(S, x, xo + t, m));
    }

    /** Row {@code i}'s share of the lane sums {@link #dot} wrote at {@code lanes[lo..]}. */
    static float foldRow(float[] lanes, int lo, int i) {
        float s = 0;
        for (int l = i; l < DOT_LANES; l += MR) {
            s += lanes[lo + l];
        }
        return s;
    }

    /** Column {@code j} of a packed B panel in the A panel layout: each value MR times. */
    static void expandColumn(float[] b, int bo, int j, int kc, float[] x, int xo) {
        for (int kk = 0; kk < kc; kk++) {
            float v = b[bo + kk * NR + j];
            int o = xo + kk * MR;
            for (int i = 0; i < MR; i++) {
                x[o + i] = v;
            }
        }
    }

    /**
     * Column {@code j} of a tile as dot products, for a last panel only a few columns wide
     * where a vector tile would waste most of its lanes: the A panel against the column
     * expanded by {@link #expandColumn}, its lane sums folded into {@code acc[i * NR + j]}.
     */
    static void column(float[] a, int ao, float[] x, int xo, int kc, float[] acc, int j) {
        int lo = MR * NR;
        dot(a, ao, x, xo, kc * MR, acc, lo);
        for (int i = 0; i < MR; i++) {
            acc[i * NR + j] = foldRow(acc, lo, i);
        }
    }
}
