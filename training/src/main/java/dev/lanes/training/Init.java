package dev.lanes.training;

import java.util.SplittableRandom;

/**
 * Seeded initial values. Weights are He-uniform (bound sqrt(6 / fan_in)), which keeps the
 * activations' scale through ReLU layers; biases are uniform in +-1/sqrt(fan_in), as PyTorch's
 * defaults, so a recipe tuned there starts from similar values.
 */
public final class Init {
    private Init() {
    }

    /** A tensor of {@code shape} with He-uniform values for a layer of {@code fanIn} inputs per output. */
    public static Tensor heUniform(SplittableRandom rng, int fanIn, int... shape) {
        return uniform(rng, Math.sqrt(6.0 / fanIn), shape);
    }

    /** A bias vector for a layer of {@code fanIn} inputs per output. */
    public static Tensor bias(SplittableRandom rng, int fanIn, int size) {
        return uniform(rng, 1.0 / Math.sqrt(fanIn), size);
    }

    /** Values uniform in [-bound, bound). */
    public static Tensor uniform(SplittableRandom rng, double bound, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
        return t;
    }
}
