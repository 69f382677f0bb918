package dev.lanes.training.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

/** The fixed three-element parameter and gradient sequence the optimizer tests share. */
final class Steps {
    /** Starting values of the parameter. */
    static final float[] START = {1.0f, -2.0f, 0.5f};
    /** The gradient of steps 1, 2 and 3. */
    static final float[][] GRADS = {{0.1f, -0.2f, 0.3f}, {-0.5f, 0.4f, 0.0f}, {0.2f, 0.2f, -0.1f}};
    /**
     * The optimizers compute in float; the expected numbers are exact decimals of the update
     * rules. Values near 1 carry a float rounding of about 1e-7 per operation, so a few steps
     * stay well inside 1e-6.
     */
    static final double TOL = 1e-6;

    private Steps() {
    }

    static ArrayParam param(boolean decays) {
        return ArrayParam.of("w", decays, START.clone());
    }

    /** Runs step {@code k} (0-based): sets the gradient and steps. */
    static void step(Optimizer opt, ArrayParam p, int k) {
        System.arraycopy(GRADS[k], 0, p.grad(), 0, 3);
        opt.step();
    }

    static void assertValues(double[] expected, float[] actual, String what) {
        for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], actual[j], TOL, what + " element " + j);
        }
    }

    static List<ArrayParam> list(ArrayParam p) {
        return List.of(p);
    }
}
