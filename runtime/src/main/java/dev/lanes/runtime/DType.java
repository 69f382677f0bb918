package dev.lanes.runtime;

import dev.lanes.formats.ElementType;

/**
 * Element types a runtime {@link Tensor} can hold. FLOAT is held in {@code float[]}; the integer
 * types and BOOL in {@code long[]} (the value, or 0/1 for BOOL), which keeps shape arithmetic,
 * indices and comparisons in one code path.
 */
public enum DType {
    FLOAT(ElementType.FLOAT),
    INT64(ElementType.INT64),
    INT32(ElementType.INT32),
    INT16(ElementType.INT16),
    INT8(ElementType.INT8),
    UINT8(ElementType.UINT8),
    UINT16(ElementType.UINT16),
    UINT32(ElementType.UINT32),
    UINT64(ElementType.UINT64),
    BOOL(ElementType.BOOL);

    private final ElementType element;

    DType(ElementType element) {
        this.element = element;
    }

    /** The file-format element type of this dtype. */
    public ElementType element() {
        return element;
    }

    /** True when values are held in {@code float[]}. */
    public boolean isFloat() {
        return this == FLOAT;
    }

    /** The dtype for a file-format element type, or null when the runtime cannot hold it. */
    public static DType of(ElementType t) {
        for (DType d : values()) {
            if (d.element == t) {
                return d;
            }
        }
        return null;
    }

    /** Wraps an integer into this type's range, as a cast to it does (BOOL: non-zero is 1). */
    public long wrap(long v) {
        return switch (this) {
            case INT32 -> (int) v;
            case INT16 -> (short) v;
            case INT8 -> (byte) v;
            case UINT8 -> v & 0xFF;
            case UINT16 -> v & 0xFFFF;
            case UINT32 -> v & 0xFFFFFFFFL;
            case BOOL -> v != 0 ? 1 : 0;
            default -> v;
        };
    }
}
