package dev.lanes.errors;

/**
 * A tensor whose name, rank, dimension or element type is not what a model or operator expects.
 * The message names the input, the axis, what was expected and what came.
 */
public class ShapeException extends LanesException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception whose message names the input, axis, expected and actual values. */
    public ShapeException(String message) {
        super(message);
    }
}
