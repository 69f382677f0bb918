package dev.lanes.runtime.plan;

import dev.lanes.errors.ModelFormatException;

/**
 * Where in a plan file a reader is, for its errors: the file, then the part of it, such as
 * {@code "resnet18.lanes: step 3 'conv1' (FusedConv, kernel conv.winograd_f4x4_3x3)"}.
 */
final class Where {
    private final String file;
    private final String part;

    Where(String file) {
        this(file, null);
    }

    private Where(String file, String part) {
        this.file = file;
        this.part = part;
    }

    /** A place inside this one: {@code "file: step 3"} then {@code "file: step 3, input 1"}. */
    Where in(String more) {
        return new Where(file, part == null ? more : part + ", " + more);
    }

    /** The place without the file, such as {@code "step 3 'conv1' (Conv, ...)"}. */
    String part() {
        return part == null ? "the file" : part;
    }

    /** The error for a problem here. */
    ModelFormatException error(String problem) {
        return new ModelFormatException(this + ": " + problem);
    }

    /** The error for a problem here that an exception describes. */
    ModelFormatException error(String problem, Throwable cause) {
        return new ModelFormatException(this + ": " + problem, cause);
    }

    @Override
    public String toString() {
        return part == null ? file : file + ": " + part;
    }
}
