package dev.lanes.runtime.kernels.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register tiles of an implicit GEMM: a packed A panel times a B that is never packed, whose
 * row {@code kk} is read straight from {@code x[off[kk] + base]} (for a convolution: the tap's
 * place in a padded copy of the input, {@code base} the output vector's place). They serve the
 * convolutions whose K fits one block ({@link Sgemm#KC}), where packing B cost as much as the
 * multiplications (a 3-channel stem has K = 27). One vector of columns wide, like
 * {@link Tiles12x1v}, and for the same reason: each broadcast feeds one fma.
 */
public final class ImplicitTiles {
    private static final VectorSpecies<Float> S = Sgemm.SPECIES;
    private static final int VL = S.length();
    /**
     * A's panel height, a constant here: with the step of A a variable, C2 kept a multiply,
     * two stack loads and two range checks per step, and the loop ran out of issue slots.
     */
    private static final int MR = Sgemm.MR;

    private ImplicitTiles() {
    }

    /**
     * Twelve rows of A (a packed panel from {@code a[ao]}, {@link Sgemm#MR} = 12 values per
     * step of K) times one vector of B, over {@code kc} steps, into {@code out[o + i * ld]}
     * for row {@code i}.
     */
    public static void tile12(float[] a, int ao, float[] x, int[] off, int base,
            int kc, float[] out, int o, int ld) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z;
        FloatVector c6 = z, c7 = z, c8 = z, c9 = z, c10 = z, c11 = z;
        for (int kk = 0; kk < kc; kk++) {
            FloatVector bv = FloatVector.fromArray(S, x, off[kk] + base);
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

    /** {@link #tile12} for eight rows (a panel of eight, or the last rows of a larger one). */
    public static void tile8(float[] a, int ao, float[] x, int[] off, int base,
            int kc, float[] out, int o, int ld) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z;
        for (int kk = 0; kk < kc; kk++) {
            FloatVector bv = FloatVector.fromArray(S, x, off[kk] + base);
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
        c0.intoArray(out, o);
        c1.intoArray(out, o + ld);
        c2.intoArray(out, o + 2 * ld);
        c3.intoArray(out, o + 3 * ld);
        c4.intoArray(out, o + 4 * ld);
        c5.intoArray(out, o + 5 * ld);
        c6.intoArray(out, o + 6 * ld);
        c7.intoArray(out, o + 7 * ld);
    }

    /** The scalar definition of {@link #tile12} and {@link #tile8}, for {@code rows} rows. */
    public static void reference(float[] a, int ao, float[] x, int[] off, int base,
            int kc, float[] out, int o, int ld, int rows) {
        for (int i = 0; i < rows; i++) {
            for (int l = 0; l < VL; l++) {
                float s = 0;
                for (int kk = 0; kk < kc; kk++) {
                    s += a[ao + kk * MR + i] * x[off[kk] + base + l];
                }
                out[o + i * ld + l] = s;
            }
        }
    }

    /** A's panel height the tiles step by. */
    public static int panelHeight() {
        return MR;
    }

    /** Floats per vector of B (the tiles' width). */
    public static int width() {
        return VL;
    }
}
