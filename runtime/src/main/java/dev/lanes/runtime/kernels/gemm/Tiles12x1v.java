package dev.lanes.runtime.kernels.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register tiles of {@link Sgemm} for a 16-register vector file (AVX2): twelve rows of a
 * packed A panel times one vector of B. Twelve accumulators, the B vector and one broadcast fit
 * the sixteen registers, and each broadcast feeds a single fma.
 *
 * <p>Why one vector wide: C2 schedules all of a step's broadcasts ahead of their fmas, so a
 * tile that reuses each broadcast across vectors (6 rows x 2 vectors: 12 accumulators + 6
 * broadcasts + 2 B vectors) runs out of registers, spills an accumulator and, through that
 * loop-carried chain via the stack, measured 40% of peak; this shape measured near peak.
 * Accumulators are rows of the C tile: a whole tile goes straight into C, partial ones into
 * the tile buffer ({@code acc[i * NR]} for row {@code i}) for {@link MicroKernels#store}.
 * B's rows are {@code ldb} apart: {@code NR} in a packed panel, B's own row length when the
 * tile reads a row-major B where it lies.
 */
final class Tiles12x1v {
    static final VectorSpecies<Float> S = Sgemm.SPECIES;
    static final int VL = S.length();
    static final int MR = 12;
    static final int NR = VL;

    private Tiles12x1v() {
    }

    /**
     * A {@code 12 x 1}-vector tile into {@code out} at {@code o}, rows {@code ld} apart, added
     * to what is there with {@code add}: straight into C for a whole tile (no round trip through
     * a buffer), or into the tile buffer ({@code ld = NR}) for a partial one.
     */
    static void tile12x1v(float[] a, int ao, float[] b, int bo, int ldb, int kc, float[] out,
            int o, int ld, boolean add) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z;
        FloatVector c6 = z, c7 = z, c8 = z, c9 = z, c10 = z, c11 = z;
        for (int kk = 0; kk < kc; kk++) {
            FloatVector bv = FloatVector.fromArray(S, b, bo + kk * ldb);
            int ak = ao + kk * MR;
            c0 = FloatVector.broadcast(S, a[ak]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, a[ak + 1]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, a[ak + 2]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, a[ak + 3]).fma(bv, c3);
            c4 = FloatVector.broadcast(S, a[ak + 4]).fma(bv, c4);
            c5 = FloatVector.broadcast(S, a[ak + 5]).fma(bv, c5);
            c6 = FloatVector.broadcast(S, a[ak + 6]).fma(bv, c6);
            c7 = FloatVector.broadcast(S, a[ak + 7]).fma(bv, c7);
            c8 = FloatVector.broadcast(S, a[ak + 8]).fma(bv, c8);
            c9 = FloatVector.broadcast(S, a[ak + 9]).fma(bv, c9);
            c10 = FloatVector.broadcast(S, a[ak + 10]).fma(bv, c10);
            c11 = FloatVector.broadcast(S, a[ak + 11]).fma(bv, c11);
        }
        if (add) {
            c0 = c0.add(FloatVector.fromArray(S, out, o));
            c1 = c1.add(FloatVector.fromArray(S, out, o + ld));
            c2 = c2.add(FloatVector.fromArray(S, out, o + 2 * ld));
            c3 = c3.add(FloatVector.fromArray(S, out, o + 3 * ld));
            c4 = c4.add(FloatVector.fromArray(S, out, o + 4 * ld));
            c5 = c5.add(FloatVector.fromArray(S, out, o + 5 * ld));
            c6 = c6.add(FloatVector.fromArray(S, out, o + 6 * ld));
            c7 = c7.add(FloatVector.fromArray(S, out, o + 7 * ld));
            c8 = c8.add(FloatVector.fromArray(S, out, o + 8 * ld));
            c9 = c9.add(FloatVector.fromArray(S, out, o + 9 * ld));
            c10 = c10.add(FloatVector.fromArray(S, out, o + 10 * ld));
            c11 = c11.add(FloatVector.fromArray(S, out, o + 11 * ld));
        }
        c0.intoArray(out, o);
        c1.intoArray(out, o + ld);
        c2.intoArray(out, o + 2 * ld);
        c3.intoArray(out, o + 3 * ld);
        c4.intoArray(out, o + 4 * ld);
        c5.intoArray(out, o + 5 * ld);
        c6.intoArray(out, o + 6 * ld);
        c7.intoArray(out, o + 7 * ld);
        c8.intoArray(out, o + 8 * ld);
        c9.intoArray(out, o + 9 * ld);
        c10.intoArray(out, o + 10 * ld);
        c11.intoArray(out, o + 11 * ld);
    }

    /**
     * {@link #tile12x1v} over a packed B panel (rows {@code NR} apart). With the row distance a
     * constant, every read of the loop steps linearly with one index and C2 checks the bounds
     * once before the loop; with a variable distance it checked B's index every step (36
     * instructions per 12 fmas, 33 here). Measured 0-13% faster on ResNet and MobileNet GEMM
     * shapes.
     */
    static void tile12x1vPacked(float[] a, int ao, float[] b, int bo, int kc, float[] out, int o,
            int ld, boolean add) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z;
        FloatVector c6 = z, c7 = z, c8 = z, c9 = z, c10 = z, c11 = z;
        for (int kk = 0; kk < kc; kk++) {
            FloatVector bv = FloatVector.fromArray(S, b, bo + kk * NR);
            int ak = ao + kk * MR;
            c0 = FloatVector.broadcast(S, a[ak]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, a[ak + 1]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, a[ak + 2]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, a[ak + 3]).fma(bv, c3);
            c4 = FloatVector.broadcast(S, a[ak + 4]).fma(bv, c4);
            c5 = FloatVector.broadcast(S, a[ak + 5]).fma(bv, c5);
            c6 = FloatVector.broadcast(S, a[ak + 6]).fma(bv, c6);
            c7 = FloatVector.broadcast(S, a[ak + 7]).fma(bv, c7);
            c8 = FloatVector.broadcast(S, a[ak + 8]).fma(bv, c8);
            c9 = FloatVector.broadcast(S, a[ak + 9]).fma(bv, c9);
            c10 = FloatVector.broadcast(S, a[ak + 10]).fma(bv, c10);
            c11 = FloatVector.broadcast(S, a[ak + 11]).fma(bv, c11);
        }
        if (add) {
            c0 = c0.add(FloatVector.fromArray(S, out, o));
            c1 = c1.add(FloatVector.fromArray(S, out, o + ld));
            c2 = c2.add(FloatVector.fromArray(S, out, o + 2 * ld));
            c3 = c3.add(FloatVector.fromArray(S, out, o + 3 * ld));
            c4 = c4.add(FloatVector.fromArray(S, out, o + 4 * ld));
            c5 = c5.add(FloatVector.fromArray(S, out, o + 5 * ld));
            c6 = c6.add(FloatVector.fromArray(S, out, o + 6 * ld));
            c7 = c7.add(FloatVector.fromArray(S, out, o + 7 * ld));
            c8 = c8.add(FloatVector.fromArray(S, out, o + 8 * ld));
            c9 = c9.add(FloatVector.fromArray(S, out, o + 9 * ld));
            c10 = c10.add(FloatVector.fromArray(S, out, o + 10 * ld));
            c11 = c11.add(FloatVector.fromArray(S, out, o + 11 * ld));
        }
        c0.intoArray(out, o);
        c1.intoArray(out, o + ld);
        c2.intoArray(out, o + 2 * ld);
        c3.intoArray(out, o + 3 * ld);
        c4.intoArray(out, o + 4 * ld);
        c5.intoArray(out, o + 5 * ld);
        c6.intoArray(out, o + 6 * ld);
        c7.intoArray(out, o + 7 * ld);
        c8.intoArray(out, o + 8 * ld);
        c9.intoArray(out, o + 9 * ld);
        c10.intoArray(out, o + 10 * ld);
        c11.intoArray(out, o + 11 * ld);
    }

    /** The first eight rows of a tile, for a last row panel at most eight high. */
    static void tile8x1v(float[] a, int ao, float[] b, int bo, int ldb, int kc, float[] acc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
        for (int kk = 0; kk < kc; kk++) {
            FloatVector bv = FloatVector.fromArray(S, b, bo + kk * ldb);
            int ak = ao + kk * MR;
            c0 = FloatVector.broadcast(S, a[ak]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, a[ak + 1]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, a[ak + 2]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, a[ak + 3]).fma(bv, c3);
            c4 = FloatVector.broadcast(S, a[ak + 4]).fma(bv, c4);
            c5 = FloatVector.broadcast(S, a[ak + 5]).fma(bv, c5);
            c6 = FloatVector.broadcast(S, a[ak + 6]).fma(bv, c6);
            c7 = FloatVector.broadcast(S, a[ak + 7]).fma(bv, c7);
        }
        c0.intoArray(acc, 0);
        c1.intoArray(acc, NR);
        c2.intoArray(acc, 2 * NR);
        c3.intoArray(acc, 3 * NR);
        c4.intoArray(acc, 4 * NR);
        c5.intoArray(acc, 5 * NR);
        c6.intoArray(acc, 6 * NR);
        c7.intoArray(acc, 7 * NR);
    }

    /**
     * The first four rows of two neighbouring tiles (B panels at {@code bo} and
     * {@code bo1}), for a last row panel at most four high: eight accumulators keep
     * the fma pipes busy where a single four-row tile waits on their latency. Row {@code i}
     * goes to {@code acc[i * 2 * NR]}, both panels side by side.
     */
    static void tile4x2v(float[] a, int ao, float[] b, int bo, int bo1, int ldb, int kc,
            float[] acc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        for (int kk = 0; kk < kc; kk++) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo + kk * ldb);
            FloatVector b1 = FloatVector.fromArray(S, b, bo1 + kk * ldb);
            int ak = ao + kk * MR;
            FloatVector a0 = FloatVector.broadcast(S, a[ak]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ak + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ak + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ak + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        c00.intoArray(acc, 0);
        c01.intoArray(acc, NR);
        c10.intoArray(acc, 2 * NR);
        c11.intoArray(acc, 3 * NR);
        c20.intoArray(acc, 4 * NR);
        c21.intoArray(acc, 5 * NR);
        c30.intoArray(acc, 6 * NR);
        c31.intoArray(acc, 7 * NR);
    }

    /** The first four rows of a tile, for a last row panel at most four high. */
    static void tile4x1v(float[] a, int ao, float[] b, int bo, int ldb, int kc, float[] acc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z;
        for (int kk = 0; kk < kc; kk++) {
            FloatVector bv = FloatVector.fromArray(S, b, bo + kk * ldb);
            int ak = ao + kk * MR;
            c0 = FloatVector.broadcast(S, a[ak]).fma(bv, c0);
            c1 = FloatVector.broadcast(S, a[ak + 1]).fma(bv, c1);
            c2 = FloatVector.broadcast(S, a[ak + 2]).fma(bv, c2);
            c3 = FloatVector.broadcast(S, a[ak + 3]).fma(bv, c3);
        }
        c0.intoArray(acc, 0);
        c1.intoArray(acc, NR);
        c2.intoArray(acc, 2 * NR);
        c3.intoArray(acc, 3 * NR);
    }
}
