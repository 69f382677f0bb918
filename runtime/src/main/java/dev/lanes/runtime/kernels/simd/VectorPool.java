package dev.lanes.runtime.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector loops of MaxPool and AveragePool over one 2-D plane (via {@link PaddedRows}: padding
 * is -infinity for max, 0 for the average's sum, so every window is unconditional loads), and
 * of the global poolings over one contiguous plane.
 */
public final class VectorPool {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();

    private VectorPool() {
    }

    /**
     * Pools the plane {@code x[xOff]} into {@code y[yOff]} ([outH, outW]). Max: the largest
     * value of each window (NaN propagates). Average: the window's sum divided by
     * {@code rowCount[oy] * colCount[ox]} ({@code colCount} has at least
     * {@code outW} rounded up to whole vectors entries, the extra ones 1).
     *
     * @param buf       scratch of at least {@link PaddedRows#bufferSize()} floats
     * @param padsReady true when {@code buf} already holds this layout's padding for max
     *                  (or average, as called)
     */
    public static void plane(boolean max, PaddedRows rows, float[] x, int xOff, float[] buf,
            boolean padsReady, float[] y, int yOff, float[] rowCount, float[] colCount) {
        int outW = rows.outW;
        int nt = rows.kh * rows.kw;
        int full = rows.fullW;
        VectorMask<Float> tail = rows.tailMask;
        int planeEnd = yOff + rows.outH * outW;
        float pad = max ? Float.NEGATIVE_INFINITY : 0f;
        for (int oy0 = 0; oy0 < rows.outH; oy0 += rows.band) {
            int oy1 = Math.min(rows.outH, oy0 + rows.band);
            rows.fillBand(x, xOff, buf, oy0, oy1, pad, padsReady);
            for (int oy = oy0; oy < oy1; oy++) {
                int rb = rows.rowBase(oy, oy0);
                int yr = yOff + oy * outW;
                for (int ox = 0; ox < outW; ox += V) {
                    int p = rb + ox;
                    FloatVector acc = FloatVector.fromArray(S, buf, p + rows.tap(0));
                    for (int t = 1; t < nt; t++) {
                        FloatVector v = FloatVector.fromArray(S, buf, p + rows.tap(t));
                        // The larger, NaN if either is (v != v), as a compare and a blend:
                        // FloatVector.max costs five instructions on AVX2.
                        acc = max ? acc.blend(v, acc.compare(VectorOperators.LT, v)
                                .or(v.compare(VectorOperators.NE, v))) : acc.add(v);
                    }
                    if (!max) {
                        acc = acc.div(FloatVector.fromArray(S, colCount, ox).mul(rowCount[oy]));
                    }
                    // Past a row's end a whole vector writes into the next rows, computed after;
                    // only one that would leave the plane needs the (on AVX2, slow) masked store.
                    if (ox < full || yr + ox + V <= planeEnd) {
                        acc.intoArray(y, yr + ox);
                    } else {
                        acc.intoArray(y, yr + ox, tail);
                    }
                }
            }
        }
    }

    /** The largest of {@code x[from, from + n)} (NaN propagates); -infinity when empty. */
    public static float max(float[] x, int from, int n) {
        FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i <= n - V; i += V) {
            FloatVector v = FloatVector.fromArray(S, x, from + i);
            acc = acc.blend(v, acc.compare(VectorOperators.LT, v)
                    .or(v.compare(VectorOperators.NE, v)));
        }
        float m = acc.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            m = Math.max(m, x[from + i]);
        }
        return m;
    }

    /** The sum of {@code x[from, from + n)}, in float with four vector accumulators. */
    public static float sum(float[] x, int from, int n) {
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        FloatVector a2 = FloatVector.zero(S);
        FloatVector a3 = FloatVector.zero(S);
        int i = 0;
        for (; i <= n - 4 * V; i += 4 * V) {
            a0 = a0.add(FloatVector.fromArray(S, x, from + i));
            a1 = a1.add(FloatVector.fromArray(S, x, from + i + V));
            a2 = a2.add(FloatVector.fromArray(S, x, from + i + 2 * V));
            a3 = a3.add(FloatVector.fromArray(S, x, from + i + 3 * V));
        }
        for (; i <= n - V; i += V) {
            a0 = a0.add(FloatVector.fromArray(S, x, from + i));
        }
        float s = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += x[from + i];
        }
        return s;
    }
}
