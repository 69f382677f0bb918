package dev.lanes.training;

import java.util.SplittableRandom;

/**
 * Seeded initial values, PyTorch's defaults for convolutions and linear layers: weights and
 * biases uniform in +-1/sqrt(fan_in) (its Kaiming-uniform with a = sqrt(5)), so that recipes
 * tuned there start from the same scale here. He-uniform (bound sqrt(6 / fan_in)) is kept for
 * callers that want it; with batch normalization after most layers, LeNet-BN trained to a lower
 * loss from PyTorch's scale in our runs.
 */
public final class Init {
    private Init() {
    }

    /** A tensor of {@code shape} with He-uniform values for a layer of {@code fanIn} inputs per output. */
    public static Tensor heUniform(SplittableRandom rng, int fanIn, int... shape) {
        return uniform(rng, Math.sqrt(6.0 / fanIn), shape);
    }

    /** A weight tensor of {@code shape} as PyTorch initializes it for a layer of {@code fanIn} inputs per output. */
    public static Tensor pytorchDefault(SplittableRandom rng, int fanIn, int... shape) {
        return uniform(rng, 1.0 / Math.sqrt(fanIn), shape);
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
