package dev.lanes.errors;

/**
 * A model or tensor file that cannot be read or is not valid: truncated or garbage bytes, a
 * declared size that disagrees with the data, an attribute out of range, a graph that refers to a
 * value nobody produces. The message names the node, op, opset or file offset where useful.
 */
public class ModelFormatException extends LanesException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception whose message names what is wrong and where. */
    public ModelFormatException(String message) {
        super(message);
    }

    /** Creates an exception with a message and the lower-level cause. */
    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
