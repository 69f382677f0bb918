package dev.lanes.errors;

/**
 * Base of every error Lanes reports: unchecked, with a message that says what is wrong and where,
 * so a user can act on it without a debugger.
 */
public class LanesException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message that names what is wrong and where. */
    public LanesException(String message) {
        super(message);
    }

    /** Creates an exception with a message and the lower-level cause. */
    public LanesException(String message, Throwable cause) {
        super(message, cause);
    }
}
