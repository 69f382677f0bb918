package dev.lanes.training;

import java.util.List;

/**
 * A layer of a network: a forward pass that remembers what its backward pass needs, and a
 * backward pass that, given the gradient of the loss with respect to the layer's last output,
 * adds the gradients of its parameters and returns the gradient with respect to its input.
 * A layer holds the state of one forward pass at a time: call backward before the next forward.
 */
public interface Layer {
    /** The output for {@code x}; remembers what {@link #backward} needs. */
    Tensor forward(Tensor x);

    /** The gradient with respect to the last forward's input, given {@code dy} for its output. */
    Tensor backward(Tensor dy);

    /**
     * The backward pass of a layer whose input gradient nobody reads (the first layer of a
     * network, whose input is the data): adds the parameter gradients and may skip computing
     * the input's, which for a first convolution is a third of its backward work.
     */
    default void backwardParametersOnly(Tensor dy) {
        backward(dy);
    }

    /** The trainable parameters, in a fixed order. */
    default List<Parameter> parameters() {
        return List.of();
    }

    /** Switches between training (batch statistics, dropout on) and evaluation mode. */
    default void setTraining(boolean training) {
    }

    /**
     * Tells the layer which training step (from 0, counted over the whole run) the next forward
     * pass is. Random layers (Dropout) draw from the seed and the step rather than from a
     * generator's running state, so a run resumed from a checkpoint draws what the
     * uninterrupted run drew.
     */
    default void setStep(long step) {
    }

    /** The name used in parameter names and error messages. */
    String name();
}
