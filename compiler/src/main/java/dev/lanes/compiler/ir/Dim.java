package dev.lanes.compiler.ir;

/**
 * One dimension of a value's shape: a known size, a named symbol (such as the batch "N"), or
 * unknown.
 *
 * @param value  the size, or -1 when not known at compile time
 * @param symbol the symbol naming a free dimension, or null
 */
public record Dim(long value, String symbol) {
    private static final Dim UNKNOWN = new Dim(-1, null);

    /** A fixed size. */
    public static Dim of(long value) {
        return new Dim(value, null);
    }

    /** A free dimension named by a symbol. */
    public static Dim symbol(String name) {
        return new Dim(-1, name);
    }

    /** A dimension about which nothing is known. */
    public static Dim unknown() {
        return UNKNOWN;
    }

    /** True when the size is known. */
    public boolean isKnown() {
        return value >= 0;
    }

    @Override
    public String toString() {
        return value >= 0 ? Long.toString(value) : symbol != null ? symbol : "?";
    }
}
