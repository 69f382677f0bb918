package dev.lanes.training.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The recipe's defaults, checks and round trip through its stored form. */
class RecipeTest {
    @Test
    void defaultsAreTheTutorialsFullRecipe() {
        Recipe r = Recipe.defaults();
        assertEquals("lenet-bn", r.model());
        assertEquals("adamw", r.optimizer());
        assertEquals(0.002, r.lr());
        assertEquals(0.05, r.weightDecay());
        assertEquals("cosine", r.schedule());
        assertEquals(1.0, r.warmup());
        assertEquals(1.0, r.clip());
        assertEquals(Set.of("crop", "flip"), r.augment());
        assertEquals(2, r.cropPadding());
        assertEquals(64, r.batch());
    }

    @Test
    void theStoredFormGivesTheSameRecipeBack() {
        Recipe r = Recipe.defaults().with("optimizer", "sgd").with("nesterov", "true").with("augment", "flip,crop")
                .with("seed", "-3").with("epochs", "7");
        assertEquals(r, Recipe.of(r.asMap()));
        assertEquals("crop,flip", r.get("augment"));
        assertEquals(-3, r.seed());
        assertEquals(Set.of(), Recipe.defaults().with("augment", "none").augment());
        // A stored recipe lacking settings (an older file) takes the defaults for them.
        assertEquals(Recipe.defaults().with("lr", "0.1"), Recipe.of(Map.of("lr", "0.1")));
    }

    @Test
    void badSettingsAreRefusedByName() {
        Recipe r = Recipe.defaults();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> r.with("learning-rate", "1")).getMessage()
                .contains("no training setting 'learning-rate'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> r.with("lr", "0")).getMessage()
                .contains("lr: must be above 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> r.with("lr", "NaN")).getMessage()
                .contains("lr: expected a number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> r.with("epochs", "0")).getMessage()
                .contains("epochs: expected a whole number of at least 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> r.with("momentum", "1")).getMessage()
                .contains("momentum: must be in [0, 1)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> r.with("schedule", "linear")).getMessage()
                .contains("[constant, cosine, step]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> r.with("nesterov", "yes please")).getMessage()
                .contains("nesterov"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Recipe.of(Map.of("batch", "-1"))).getMessage()
                .contains("batch"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> r.with("batch", "60000")).getMessage()
                .contains("at most " + Recipe.MAX_BATCH));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> r.with("crop-padding", "1073741824"))
                .getMessage().contains("crop-padding: at most"));
    }
}
