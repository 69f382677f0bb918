package dev.lanes.training;

import java.util.SplittableRandom;

/**
 * Inverted dropout: in training mode each element is zeroed with probability p and the rest are
 * scaled by 1 / (1 - p), so evaluation mode is the identity (and exports as nothing). The mask
 * comes from the layer's own seeded generator, so a run is repeatable.
 */
public final class Dropout implements Layer {
    private final Backend backend;
    private final String name;
    private final double p;
    private final long seed;
    private long step;
    private boolean training = true;
    private Tensor mask;
    private int[] outputShape;

    /** Dropout with probability {@code p} in [0, 1), its masks drawn from {@code seed}. */
    public Dropout(Backend backend, String name, double p, long seed) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException(name + ": dropout probability must be in [0, 1), got " + p);
        }
        this.backend = backend;
        this.name = name;
        this.p = p;
        this.seed = seed;
    }

    @Override
    public void setStep(long step) {
        this.step = step;
    }

    @Override
    public Tensor forward(Tensor x) {
        outputShape = x.shape();
        if (!training || p == 0) {
            mask = null;
            return x;
        }
        mask = Tensor.zeros(x.shape());
        float[] m = mask.data();
        float keep = (float) (1 / (1 - p));
        // The masks of a step depend on the seed and the step only: see Layer.setStep.
        SplittableRandom rng = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (step + 1)));
        for (int i = 0; i < m.length; i++) {
            m[i] = rng.nextDouble() < p ? 0f : keep;
        }
        return backend.mul(x, mask);
    }

    @Override
    public Tensor backward(Tensor dy) {
        Layers.forwardDone(name, outputShape);
        Layers.sameAsOutput(name, dy, outputShape);
        return mask == null ? dy : backend.mul(dy, mask);
    }

    @Override
    public void setTraining(boolean training) {
        this.training = training;
    }

    /** The drop probability. */
    public double p() {
        return p;
    }

    @Override
    public String name() {
        return name;
    }
}
