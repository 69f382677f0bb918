package dev.lanes.training.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Exporting and importing optimizer state: a loaded optimizer continues exactly. */
class OptimizerStateTest {
    @Test
    void stateIsPlainArraysKeyedByBufferAndParameter() {
        ArrayParam w = ArrayParam.of("conv1.weight", true, 1f, 2f);
        ArrayParam bias = ArrayParam.of("conv1.bias", false, 0f);
        Adam adam = new Adam(List.of(w, bias), 0.01);
        OptimizerState s = adam.state();
        assertEquals("adam", s.kind());
        assertEquals(0, s.steps());
        assertEquals(List.of("m/conv1.weight", "m/conv1.bias", "v/conv1.weight", "v/conv1.bias"),
                List.copyOf(s.buffers().keySet()));
        assertEquals(2, s.buffer("m/conv1.weight").length);
    }

    @Test
    void loadedAdamContinuesAsTheOriginal() {
        ArrayParam a = Steps.param(true);
        Adam original = new Adam(List.of(a), 0.01);
        Steps.step(original, a, 0);
        Steps.step(original, a, 1);

        ArrayParam b = ArrayParam.of("w", true, a.value().clone());
        Adam resumed = new Adam(List.of(b), 0.01);
        resumed.load(original.state());
        assertEquals(2, resumed.steps());

        Steps.step(original, a, 2);
        Steps.step(resumed, b, 2);
        // Same arithmetic on the same numbers: bit for bit, not just close.
        assertArrayEquals(a.value(), b.value());
    }

    @Test
    void exportedStateIsACopy() {
        ArrayParam a = Steps.param(true);
        Sgd sgd = new Sgd(List.of(a), 0.1, 0.9, false, 0);
        Steps.step(sgd, a, 0);
        OptimizerState s = sgd.state();
        float[] before = s.buffer("momentum/w");
        Steps.step(sgd, a, 1);
        assertArrayEquals(before, s.buffer("momentum/w"), "a later step does not change the export");
        assertNotSame(s.buffer("momentum/w"), s.buffer("momentum/w"));
    }

    @Test
    void mismatchedStatesAreClearErrors() {
        ArrayParam a = Steps.param(true);
        Adam adam = new Adam(List.of(a), 0.01);
        Sgd sgd = new Sgd(List.of(a), 0.1, 0.9, false, 0);
        IllegalArgumentException kind = assertThrows(IllegalArgumentException.class,
                () -> sgd.load(adam.state()));
        assertTrue(kind.getMessage().contains("adam"), kind.getMessage());

        OptimizerState shortBuffer = new OptimizerState("sgd", 1, Map.of("momentum/w", new float[2]));
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> sgd.load(shortBuffer));
        assertTrue(length.getMessage().contains("momentum/w"), length.getMessage());

        OptimizerState other = new OptimizerState("sgd", 1, Map.of("momentum/x", new float[3]));
        assertThrows(IllegalArgumentException.class, () -> sgd.load(other));
        assertEquals(0, sgd.steps(), "a failed load changes nothing");
    }
}
