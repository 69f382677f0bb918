package dev.lanes.training;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The loops of the per-channel operations over one contiguous strip (one channel of one image).
 * Sums keep float partial sums in the vector lanes, each lane summing every lane-th value, and
 * return them added first lane to last in double: a fixed order (the same on every thread and
 * whether the loop is compiled or not), and each float partial adds only strip / lanes terms, so
 * the caller's double sum over strips keeps the digits batch statistics need.
 */
final class ChannelKernels {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private ChannelKernels() {
    }

    private static double lanesInOrder(FloatVector v) {
        double s = 0;
        for (int l = 0; l < SPECIES.length(); l++) {
            s += v.lane(l);
        }
        return s;
    }

    /** sum of a[off .. off + len). */
    static double sum(float[] a, int off, int len) {
        int bound = SPECIES.loopBound(len);
        int i = 0;
        double s = 0;
        if (bound > 0) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (; i < bound; i += SPECIES.length()) {
                acc = acc.add(FloatVector.fromArray(SPECIES, a, off + i));
            }
            s = lanesInOrder(acc);
        }
        for (; i < len; i++) {
            s += a[off + i];
        }
        return s;
    }

    /** sum of (a[i] - centre)^2 over [off, off + len). */
    static double centredSquares(float[] a, int off, int len, float centre) {
        int bound = SPECIES.loopBound(len);
        int i = 0;
        double s = 0;
        if (bound > 0) {
            FloatVector m = FloatVector.broadcast(SPECIES, centre);
            FloatVector acc = FloatVector.zero(SPECIES);
            for (; i < bound; i += SPECIES.length()) {
                FloatVector d = FloatVector.fromArray(SPECIES, a, off + i).sub(m);
                acc = d.fma(d, acc);
            }
            s = lanesInOrder(acc);
        }
        for (; i < len; i++) {
            double d = a[off + i] - centre;
            s += d * d;
        }
        return s;
    }

    /** sum of g[i] * (x[i] - centre) over [off, off + len). */
    static double centredDot(float[] g, float[] x, int off, int len, float centre) {
        int bound = SPECIES.loopBound(len);
        int i = 0;
        double s = 0;
        if (bound > 0) {
            FloatVector m = FloatVector.broadcast(SPECIES, centre);
            FloatVector acc = FloatVector.zero(SPECIES);
            for (; i < bound; i += SPECIES.length()) {
                FloatVector d = FloatVector.fromArray(SPECIES, x, off + i).sub(m);
                acc = d.fma(FloatVector.fromArray(SPECIES, g, off + i), acc);
            }
            s = lanesInOrder(acc);
        }
        for (; i < len; i++) {
            s += (double) g[off + i] * (x[off + i] - centre);
        }
        return s;
    }

    /** out[i] = x[i] * scale + shift over [off, off + len). */
    static void affine(float[] x, float scale, float shift, float[] out, int off, int len) {
        int bound = SPECIES.loopBound(len);
        int i = 0;
        FloatVector sv = FloatVector.broadcast(SPECIES, scale);
        FloatVector tv = FloatVector.broadcast(SPECIES, shift);
        for (; i < bound; i += SPECIES.length()) {
            FloatVector.fromArray(SPECIES, x, off + i).fma(sv, tv).intoArray(out, off + i);
        }
        for (; i < len; i++) {
            out[off + i] = Math.fma(x[off + i], scale, shift);
        }
    }

    /** out[i] = a[i] * sa + (b[i] - centre) * sb + shift over [off, off + len). */
    static void combine(float[] a, float sa, float[] b, float centre, float sb, float shift, float[] out, int off,
                        int len) {
        int bound = SPECIES.loopBound(len);
        int i = 0;
        FloatVector sav = FloatVector.broadcast(SPECIES, sa);
        FloatVector sbv = FloatVector.broadcast(SPECIES, sb);
        FloatVector cv = FloatVector.broadcast(SPECIES, centre);
        FloatVector tv = FloatVector.broadcast(SPECIES, shift);
        for (; i < bound; i += SPECIES.length()) {
            FloatVector bc = FloatVector.fromArray(SPECIES, b, off + i).sub(cv);
            FloatVector.fromArray(SPECIES, a, off + i).fma(sav, bc.fma(sbv, tv)).intoArray(out, off + i);
        }
        for (; i < len; i++) {
            out[off + i] = Math.fma(a[off + i], sa, Math.fma(b[off + i] - centre, sb, shift));
        }
    }

    /** out[i] = max(x[i], 0) over [from, to); NaN becomes 0, as the comparison x > 0 fails for it. */
    static void relu(float[] x, float[] out, int from, int to) {
        int i = from;
        int bound = from + SPECIES.loopBound(to - from);
        FloatVector zero = FloatVector.zero(SPECIES);
        for (; i < bound; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, x, i);
            zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(out, i);
        }
        for (; i < to; i++) {
            out[i] = x[i] > 0f ? x[i] : 0f;
        }
    }

    /** out[i] = dy[i] where y[i] > 0, else 0, over [from, to). */
    static void reluBackward(float[] dy, float[] y, float[] out, int from, int to) {
        int i = from;
        int bound = from + SPECIES.loopBound(to - from);
        FloatVector zero = FloatVector.zero(SPECIES);
        for (; i < bound; i += SPECIES.length()) {
            FloatVector v = FloatVector.fromArray(SPECIES, y, i);
            zero.blend(FloatVector.fromArray(SPECIES, dy, i), v.compare(VectorOperators.GT, 0f)).intoArray(out, i);
        }
        for (; i < to; i++) {
            out[i] = y[i] > 0f ? dy[i] : 0f;
        }
    }
}
