package dev.lanes.training.optim;

/**
 * One trainable array as the optimizers see it: its values, the gradient of the loss with
 * respect to them, a name and whether weight decay applies. Optimizers work on these plain
 * arrays so that they need nothing from the layers or the backend; a layer's parameter
 * implements or adapts to this interface.
 *
 * <p>{@link #value()} and {@link #grad()} must return the same arrays on every call (the
 * optimizer updates them in place and keeps state of the same length), and the two have the
 * same length.
 */
public interface Param {
    /** The parameter's values, updated in place by an optimizer step. */
    float[] value();

    /** The gradient of the loss with respect to {@link #value()}, element by element. */
    float[] grad();

    /**
     * A name unique among the parameters of one optimizer (e.g. {@code conv1.weight}); the
     * optimizer's exported state is keyed by it, so a checkpoint survives reordering.
     */
    String name();

    /**
     * Whether weight decay applies. Convolution and linear weights decay; biases and
     * BatchNorm scales and shifts usually do not (decaying them only fights the normalization).
     */
    boolean decays();
}
