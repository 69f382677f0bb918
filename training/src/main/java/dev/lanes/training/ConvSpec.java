package dev.lanes.training;

/**
 * The geometry of a 2-D convolution besides its weight shape: one stride and one zero padding
 * for both spatial axes, and the number of groups (input and output channels are split into
 * {@code groups} equal parts, each part convolved on its own; depthwise is groups = channels).
 */
public record ConvSpec(int stride, int pad, int groups) {
    /** Checks that stride and groups are positive and the padding is not negative. */
    public ConvSpec {
        if (stride < 1 || pad < 0 || groups < 1) {
            throw new IllegalArgumentException("convolution needs stride >= 1, pad >= 0, groups >= 1;"
                    + " got stride " + stride + ", pad " + pad + ", groups " + groups);
        }
    }

    /** Stride 1, no padding, one group. */
    public static ConvSpec plain() {
        return new ConvSpec(1, 0, 1);
    }

    /** The output extent of an input extent {@code in} under a kernel extent {@code k}. */
    public int outSize(int in, int k) {
        return (in + 2 * pad - k) / stride + 1;
    }
}
