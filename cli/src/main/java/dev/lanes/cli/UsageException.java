package dev.lanes.cli;

/** A command line that cannot be understood: unknown option, missing argument, bad number. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
