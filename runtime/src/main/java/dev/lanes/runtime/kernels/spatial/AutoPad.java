package dev.lanes.runtime.kernels.spatial;

/** How a convolution or pooling window derives its padding (the ONNX {@code auto_pad} values). */
public enum AutoPad {
    /** Explicit pads (the {@code pads} attribute). */
    NOTSET,
    /** Output size ceil(in / stride); an odd total padding puts the extra cell at the end. */
    SAME_UPPER,
    /** Output size ceil(in / stride); an odd total padding puts the extra cell at the start. */
    SAME_LOWER,
    /** No padding. */
    VALID;

    /** Parses an ONNX auto_pad string; null for an unknown value. */
    public static AutoPad parse(String s) {
        for (AutoPad a : values()) {
            if (a.name().equals(s)) {
                return a;
            }
        }
        return null;
    }
}
