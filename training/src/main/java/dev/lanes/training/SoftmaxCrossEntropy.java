package dev.lanes.training;

/**
 * The softmax cross-entropy loss, averaged over the batch. {@link #forward} returns the loss and
 * remembers its gradient; {@link #backward} hands that gradient (with respect to the logits) to
 * the network's backward pass.
 */
public final class SoftmaxCrossEntropy {
    private final Backend backend;
    private Tensor gradient;

    /** A loss computed on {@code backend}. */
    public SoftmaxCrossEntropy(Backend backend) {
        this.backend = backend;
    }

    /** The mean loss of {@code logits} [N, K] for class {@code labels} (each in 0..K-1). */
    public double forward(Tensor logits, int[] labels) {
        Backend.LossResult r = backend.softmaxCrossEntropy(logits, labels);
        gradient = r.gradient();
        return r.loss();
    }

    /** The gradient of the last loss with respect to its logits. */
    public Tensor backward() {
        if (gradient == null) {
            throw new IllegalStateException("softmax cross-entropy: backward called before forward");
        }
        return gradient;
    }
}
