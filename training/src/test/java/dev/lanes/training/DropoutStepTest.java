package dev.lanes.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Dropout's masks depend on the seed and the training step only, not on how many masks the
 * layer drew before: a run resumed from a checkpoint (a fresh layer told the step) draws what the
 * uninterrupted run drew.
 */
class DropoutStepTest {
    private static final CpuBackend BACKEND = new CpuBackend(1);

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    private static float[] maskAt(Dropout d, long step) {
        Tensor ones = Tensor.zeros(4, 50);
        Arrays.fill(ones.data(), 1f);
        d.setStep(step);
        return d.forward(ones).data();
    }

    @Test
    void aFreshLayerAtStepSevenDrawsTheMaskTheLongRunningOneDrew() {
        Dropout running = new Dropout(BACKEND, "drop", 0.3, 42);
        float[] atSeven = null;
        for (long step = 0; step <= 7; step++) {
            atSeven = maskAt(running, step);
        }
        Dropout fresh = new Dropout(BACKEND, "drop", 0.3, 42);
        assertArrayEquals(atSeven, maskAt(fresh, 7));
        assertFalse(Arrays.equals(atSeven, maskAt(fresh, 8)), "another step, another mask");
        assertFalse(Arrays.equals(atSeven, maskAt(new Dropout(BACKEND, "drop", 0.3, 43), 7)),
                "another seed, another mask");
    }
}
