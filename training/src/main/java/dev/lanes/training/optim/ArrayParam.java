package dev.lanes.training.optim;

import java.util.Objects;

/**
 * A {@link Param} over two arrays it is given: for code that holds its parameters as plain
 * arrays, and for tests.
 *
 * @param name unique name, see {@link Param#name()}
 * @param value the values
 * @param grad the gradient, as long as {@code value}
 * @param decays whether weight decay applies
 */
public record ArrayParam(String name, float[] value, float[] grad, boolean decays) implements Param {
    /** Checks that the arrays are there and of one length. */
    public ArrayParam {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(grad, "grad");
        if (value.length != grad.length) {
            throw new IllegalArgumentException("parameter " + name + ": " + value.length
                    + " values but " + grad.length + " gradient elements");
        }
    }

    /** A parameter of the given values with a zero gradient of the same length. */
    public static ArrayParam of(String name, boolean decays, float... value) {
        return new ArrayParam(name, value, new float[value.length], decays);
    }
}
