package dev.lanes.training;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The dot product of two float ranges with the Vector API. It exists because the JIT does not
 * vectorize a scalar float sum (that would reorder the additions), and the weight gradient of a
 * convolution is nothing but such sums. The lanes are added in a fixed order, so a result
 * depends only on the inputs and the machine's vector width, not on threads.
 */
final class Dot {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private Dot() {
    }

    /**
     * The lanes added first to last. Not {@code reduceLanes(ADD)}: its order is unspecified and
     * differs between the JIT's intrinsic and the interpreter, so the same run gave gradients
     * that differed in the last bit depending on what had been compiled yet.
     */
    private static float sumLanes(FloatVector v) {
        float s = 0f;
        for (int l = 0; l < SPECIES.length(); l++) {
            s += v.lane(l);
        }
        return s;
    }

    /** sum over i < n of a[ao + i] * b[bo + i]. */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        int i = 0;
        float s = 0f;
        int bound = SPECIES.loopBound(n);
        if (bound > 0) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (; i < bound; i += SPECIES.length()) {
                acc = FloatVector.fromArray(SPECIES, a, ao + i).fma(FloatVector.fromArray(SPECIES, b, bo + i), acc);
            }
            s = sumLanes(acc);
        }
        for (; i < n; i++) {
            s += a[ao + i] * b[bo + i];
        }
        return s;
    }

    /**
     * Four dot products of one range of {@code a} with four ranges of {@code b} (at bo, bo + bs,
     * bo + 2 bs, bo + 3 bs), written to out[oo .. oo + 3]: {@code a} is loaded once for all four,
     * and four independent sums keep the multiply-add unit busy.
     */
    static void dot4(float[] a, int ao, float[] b, int bo, int bs, int n, float[] out, int oo) {
        int i = 0;
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int bound = SPECIES.loopBound(n);
        if (bound > 0) {
            FloatVector acc0 = FloatVector.zero(SPECIES);
            FloatVector acc1 = acc0;
            FloatVector acc2 = acc0;
            FloatVector acc3 = acc0;
            int b1 = bo + bs;
            int b2 = b1 + bs;
            int b3 = b2 + bs;
            for (; i < bound; i += SPECIES.length()) {
                FloatVector av = FloatVector.fromArray(SPECIES, a, ao + i);
                acc0 = av.fma(FloatVector.fromArray(SPECIES, b, bo + i), acc0);
                acc1 = av.fma(FloatVector.fromArray(SPECIES, b, b1 + i), acc1);
                acc2 = av.fma(FloatVector.fromArray(SPECIES, b, b2 + i), acc2);
                acc3 = av.fma(FloatVector.fromArray(SPECIES, b, b3 + i), acc3);
            }
            s0 = sumLanes(acc0);
            s1 = sumLanes(acc1);
            s2 = sumLanes(acc2);
            s3 = sumLanes(acc3);
        }
        for (; i < n; i++) {
            float av = a[ao + i];
            s0 += av * b[bo + i];
            s1 += av * b[bo + bs + i];
            s2 += av * b[bo + 2 * bs + i];
            s3 += av * b[bo + 3 * bs + i];
        }
        out[oo] = s0;
        out[oo + 1] = s1;
        out[oo + 2] = s2;
        out[oo + 3] = s3;
    }
}
