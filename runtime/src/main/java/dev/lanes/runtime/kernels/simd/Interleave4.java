package dev.lanes.runtime.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Four-way interleaving of vectors, in registers: the phase split of a row (the values at
 * columns {@code 4 j + p}, for each phase {@code p}, as a run over {@code j}) and its inverse.
 * Winograd F(4x4, 3x3) works on four-column tiles: it writes its output rows merged back from
 * the tile layout and reads a residual's rows split into it. Each direction is two rounds of two-vector rearranges
 * (zips or unzips of pairs), eight in all for {@code 4 L} values, where the scalar form is a
 * load and a store per value.
 */
public final class Interleave4 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Lanes of a vector; each call moves four vectors. */
    public static final int L = S.length();
    /** Lanes 0, 1, 2.. of two vectors alternating: a0 b0 a1 b1 ... (low halves). */
    private static final VectorShuffle<Float> ZIP_LOW = shuffle(0);
    /** The same of the high halves. */
    private static final VectorShuffle<Float> ZIP_HIGH = shuffle(1);
    /** The even lanes of two vectors one after the other: a0 a2 .. b0 b2 .. */
    private static final VectorShuffle<Float> EVENS = shuffle(2);
    /** The odd lanes likewise. */
    private static final VectorShuffle<Float> ODDS = shuffle(3);

    private Interleave4() {
    }

    /**
     * {@code out[o + 4 l + p] = v_p[l]} for the four vectors {@code v_0..v_3} and every lane
     * {@code l}: four phase runs back into {@code 4 L} consecutive columns.
     */
    public static void merge(FloatVector v0, FloatVector v1, FloatVector v2, FloatVector v3,
            float[] out, int o) {
        FloatVector lo02 = v0.rearrange(ZIP_LOW, v2);
        FloatVector hi02 = v0.rearrange(ZIP_HIGH, v2);
        FloatVector lo13 = v1.rearrange(ZIP_LOW, v3);
        FloatVector hi13 = v1.rearrange(ZIP_HIGH, v3);
        lo02.rearrange(ZIP_LOW, lo13).intoArray(out, o);
        lo02.rearrange(ZIP_HIGH, lo13).intoArray(out, o + L);
        hi02.rearrange(ZIP_LOW, hi13).intoArray(out, o + 2 * L);
        hi02.rearrange(ZIP_HIGH, hi13).intoArray(out, o + 3 * L);
    }

    /**
     * {@code out[o + p * step + l] = x[xo + 4 l + p]} for phases {@code p < 4} and lanes
     * {@code l < L}: {@code 4 L} consecutive columns split into their four phase runs.
     */
    public static void split(float[] x, int xo, float[] out, int o, int step) {
        FloatVector x0 = FloatVector.fromArray(S, x, xo);
        FloatVector x1 = FloatVector.fromArray(S, x, xo + L);
        FloatVector x2 = FloatVector.fromArray(S, x, xo + 2 * L);
        FloatVector x3 = FloatVector.fromArray(S, x, xo + 3 * L);
        // Columns 0, 2, 4.. and 1, 3, 5.. of each half, then every other of those.
        FloatVector e01 = x0.rearrange(EVENS, x1);
        FloatVector o01 = x0.rearrange(ODDS, x1);
        FloatVector e23 = x2.rearrange(EVENS, x3);
        FloatVector o23 = x2.rearrange(ODDS, x3);
        e01.rearrange(EVENS, e23).intoArray(out, o);
        o01.rearrange(EVENS, o23).intoArray(out, o + step);
        e01.rearrange(ODDS, e23).intoArray(out, o + 2 * step);
        o01.rearrange(ODDS, o23).intoArray(out, o + 3 * step);
    }

    /**
     * Source lanes over two vectors (indexes {@code L..2L-1} name the second), of the kinds
     * above: 0 zip low, 1 zip high, 2 evens, 3 odds.
     */
    private static VectorShuffle<Float> shuffle(int kind) {
        int[] idx = new int[L];
        for (int i = 0; i < L; i++) {
            int half = kind == 1 ? L / 2 : 0;
            idx[i] = switch (kind) {
                case 0, 1 -> (i % 2 == 0 ? 0 : L) + half + i / 2;
                case 2 -> 2 * i;
                default -> 2 * i + 1;
            };
        }
        return VectorShuffle.fromArray(S, idx, 0);
    }
}
