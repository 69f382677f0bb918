package dev.lanes.runtime.kernels.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ActivationClampTest {
    private static final float[] XS = {-1e30f, -7f, -1f, -0.25f, 0f, 0.5f, 3f, 6f, 9f, 1e30f};

    @Test
    void clampActivationsAreTheirBoundsAppliedToTheInput() {
        Activation[] clamps = {Activation.NONE, Activation.of(Activation.Kind.RELU),
            new Activation(Activation.Kind.CLIP, 0f, 6f),
            new Activation(Activation.Kind.CLIP, -1.5f, 2.5f)};
        for (Activation a : clamps) {
            assertTrue(a.isClamp(), a.toString());
            for (float x : XS) {
                float clamped = Math.min(Math.max(x, a.clampLow()), a.clampHigh());
                assertEquals(a.apply(x), clamped, 0f, a + " at " + x);
            }
        }
    }

    @Test
    void otherActivationsAreNotClampsAndLeaveTheBoundsOpen() {
        for (Activation.Kind k : Activation.Kind.values()) {
            if (k == Activation.Kind.NONE || k == Activation.Kind.RELU
                    || k == Activation.Kind.CLIP) {
                continue;
            }
            Activation a = new Activation(k, 0.2f, 0.5f);
            assertFalse(a.isClamp(), k.toString());
            assertEquals(Float.NEGATIVE_INFINITY, a.clampLow(), k.toString());
            assertEquals(Float.POSITIVE_INFINITY, a.clampHigh(), k.toString());
        }
    }
}
