package dev.lanes.training;

/**
 * The geometry of a 2-D pooling window: a square kernel, a stride and a padding for both spatial
 * axes. Padded places never win a max and are not counted in an average (ONNX AveragePool's
 * default, count_include_pad = 0), so the exported graph means the same thing.
 */
public record PoolSpec(int kernel, int stride, int pad) {
    /** Checks the kernel and stride are positive and the padding is below the kernel. */
    public PoolSpec {
        if (kernel < 1 || stride < 1 || pad < 0 || pad >= kernel) {
            throw new IllegalArgumentException("pooling needs kernel >= 1, stride >= 1,"
                    + " 0 <= pad < kernel; got kernel " + kernel + ", stride " + stride
                    + ", pad " + pad);
        }
    }

    /** The output extent of an input extent {@code in}. */
    public int outSize(int in) {
        return (in + 2 * pad - kernel) / stride + 1;
    }
}
