package dev.lanes.training.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Clipping by global norm over several parameters. */
class GradientClippingTest {
    private static ArrayParam withGrad(String name, float... g) {
        return new ArrayParam(name, new float[g.length], g, true);
    }

    @Test
    void scalesAllGradientsToExactlyTheMaximumNorm() {
        // Global norm of (3, 4) and (12): sqrt(9 + 16 + 144) = 13.
        ArrayParam a = withGrad("a", 3f, 4f);
        ArrayParam b = withGrad("b", 12f);
        double before = GradientClipping.clipByGlobalNorm(List.of(a, b), 1.0);
        assertEquals(13.0, before, 1e-12);
        assertEquals(1.0, GradientClipping.globalNorm(List.of(a, b)), 1e-6);
        // The same factor 1/13 for every element: the direction is kept.
        assertArrayEquals(new float[] {3f / 13, 4f / 13}, a.grad(), 1e-7f);
        assertArrayEquals(new float[] {12f / 13}, b.grad(), 1e-7f);
    }

    @Test
    void leavesSmallGradientsAlone() {
        ArrayParam a = withGrad("a", 0.3f, 0.4f);
        double before = GradientClipping.clipByGlobalNorm(List.of(a), 1.0);
        assertEquals(0.5, before, 1e-7);
        assertArrayEquals(new float[] {0.3f, 0.4f}, a.grad());
    }

    @Test
    void aNormOfExactlyTheMaximumIsNotScaled() {
        ArrayParam a = withGrad("a", 3f, 4f);
        assertEquals(5.0, GradientClipping.clipByGlobalNorm(List.of(a), 5.0));
        assertArrayEquals(new float[] {3f, 4f}, a.grad());
    }

    @Test
    void nonFiniteNormIsReportedAndGradientsKept() {
        ArrayParam a = withGrad("a", Float.NaN, 1f);
        assertEquals(Double.NaN, GradientClipping.clipByGlobalNorm(List.of(a), 1.0));
        assertEquals(1f, a.grad()[1]);
    }

    @Test
    void rejectsAMaximumThatIsNotPositive() {
        assertThrows(IllegalArgumentException.class,
                () -> GradientClipping.clipByGlobalNorm(List.of(withGrad("a", 1f)), 0));
    }
}
