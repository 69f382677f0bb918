package dev.lanes.runtime.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/** {@link Clamp} against {@code Math.max} and {@code Math.min} over ordinary and special values. */
class ClampTest {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final float[] VALUES = {Float.NaN, Float.NEGATIVE_INFINITY,
        Float.POSITIVE_INFINITY, -0f, 0f, -7.5f, -1f, 0.25f, 1f, 5.9f, 6f, 6.1f, 100f,
        Float.MIN_VALUE, -Float.MAX_VALUE};

    @Test
    void clampMatchesMaxThenMin() {
        float[][] bounds = {{0f, 6f}, {0f, Float.POSITIVE_INFINITY}, {-1f, 1f}, {2f, -2f}};
        for (float[] b : bounds) {
            for (int i = 0; i < VALUES.length; i++) {
                float[] x = lanes(i);
                float[] got = new float[S.length()];
                Clamp.clamp(FloatVector.fromArray(S, x, 0), b[0], b[1]).intoArray(got, 0);
                for (int l = 0; l < got.length; l++) {
                    // Equal as numbers: a zero may keep its sign (0f == -0f).
                    float want = Math.min(Math.max(x[l], b[0]), b[1]);
                    assertEquals(want, got[l], 0f,
                            "clamp(" + x[l] + ", " + b[0] + ", " + b[1] + ")");
                }
            }
        }
    }

    @Test
    void maxMatchesMathMaxNaNIncluded() {
        for (int i = 0; i < VALUES.length; i++) {
            for (int j = 0; j < VALUES.length; j++) {
                float[] a = lanes(i);
                float[] b = lanes(j);
                float[] got = new float[S.length()];
                Clamp.max(FloatVector.fromArray(S, a, 0), FloatVector.fromArray(S, b, 0))
                        .intoArray(got, 0);
                for (int l = 0; l < got.length; l++) {
                    assertEquals(Math.max(a[l], b[l]), got[l], 0f,
                            "max(" + a[l] + ", " + b[l] + ")");
                }
            }
        }
    }

    /** A vector's worth of the values, starting at the i-th and wrapping around. */
    private static float[] lanes(int i) {
        float[] x = new float[S.length()];
        for (int l = 0; l < x.length; l++) {
            x[l] = VALUES[(i + l * 3) % VALUES.length];
        }
        return x;
    }
}
