package dev.lanes.runtime.kernels.spatial;

import dev.lanes.errors.ShapeException;
import java.util.Arrays;

/**
 * The geometry of a sliding window (convolution or pooling) over up to three spatial axes,
 * normalized to three (D, H, W): leading unused axes have size 1, kernel 1, stride 1 and no
 * padding, so every kernel runs one 3-D loop nest for 1-D, 2-D and 3-D inputs.
 */
public final class Window {
    /** Bound on padded extents, so index arithmetic in int cannot overflow. */
    private static final long LIMIT = Integer.MAX_VALUE / 4;

    /** Input sizes (D, H, W). */
    public final int[] in = new int[3];
    /** Kernel sizes. */
    public final int[] k = new int[3];
    /** Strides. */
    public final int[] s = new int[3];
    /** Dilations. */
    public final int[] d = new int[3];
    /** Padding before each axis. */
    public final int[] padBegin = new int[3];
    /** Padding after each axis. */
    public final int[] padEnd = new int[3];
    /** Output sizes. */
    public final int[] out = new int[3];
    /** The number of real spatial axes (1, 2 or 3). */
    public final int rank;

    private Window(int rank) {
        this.rank = rank;
    }

    /**
     * Computes the window geometry.
     *
     * @param inSpatial the input's spatial sizes (1 to 3 of them)
     * @param kernel    the kernel sizes
     * @param strides   strides, or null for all 1
     * @param dilations dilations, or null for all 1
     * @param pads      explicit pads (begins then ends), or null for none; ignored unless NOTSET
     * @param autoPad   how padding is chosen
     * @param ceilMode  round the output size up (pooling) instead of down
     */
    public static Window of(int[] inSpatial, int[] kernel, int[] strides, int[] dilations,
            int[] pads, AutoPad autoPad, boolean ceilMode) {
        int r = inSpatial.length;
        if (r < 1 || r > 3) {
            throw new ShapeException("spatial rank must be 1 to 3, got " + r + " (input spatial "
                    + "shape " + Arrays.toString(inSpatial) + ")");
        }
        check("kernel_shape", kernel, r);
        check("strides", strides, r);
        check("dilations", dilations, r);
        if (pads != null && pads.length != 2 * r) {
            throw new ShapeException("pads has " + pads.length + " values, expected " + 2 * r
                    + " for " + r + " spatial axes");
        }
        Window w = new Window(r);
        int off = 3 - r;
        Arrays.fill(w.in, 1);
        Arrays.fill(w.k, 1);
        Arrays.fill(w.s, 1);
        Arrays.fill(w.d, 1);
        Arrays.fill(w.out, 1);
        for (int i = 0; i < r; i++) {
            int a = off + i;
            w.in[a] = inSpatial[i];
            w.k[a] = kernel[i];
            w.s[a] = strides == null ? 1 : strides[i];
            w.d[a] = dilations == null ? 1 : dilations[i];
            if (w.k[a] < 1 || w.s[a] < 1 || w.d[a] < 1) {
                throw new ShapeException("kernel_shape, strides and dilations must be positive, got "
                        + Arrays.toString(kernel) + ", " + Arrays.toString(strides) + ", "
                        + Arrays.toString(dilations));
            }
            long eff = (long) (w.k[a] - 1) * w.d[a] + 1;
            int n = w.in[a];
            if (eff > LIMIT) {
                throw new ShapeException("window extent " + eff + " on spatial axis " + i
                        + " (kernel " + w.k[a] + ", dilation " + w.d[a] + ") is too large");
            }
            switch (autoPad) {
                case SAME_UPPER, SAME_LOWER -> {
                    int o = (int) (((long) n + w.s[a] - 1) / w.s[a]);
                    int total = (int) Math.min(LIMIT, Math.max(0, (long) (o - 1) * w.s[a] + eff
                            - n));
                    int small = total / 2;
                    w.padBegin[a] = autoPad == AutoPad.SAME_UPPER ? small : total - small;
                    w.padEnd[a] = total - w.padBegin[a];
                    w.out[a] = o;
                }
                case VALID, NOTSET -> {
                    if (autoPad == AutoPad.NOTSET && pads != null) {
                        w.padBegin[a] = pads[i];
                        w.padEnd[a] = pads[i + r];
                    }
                    if ((long) n + Math.abs((long) w.padBegin[a]) + Math.abs((long) w.padEnd[a])
                            > LIMIT) {
                        throw new ShapeException("pads " + w.padBegin[a] + ", " + w.padEnd[a]
                                + " on spatial axis " + i + " are too large");
                    }
                    long span = (long) n + w.padBegin[a] + w.padEnd[a] - eff;
                    if (span < 0) {
                        throw new ShapeException("window of extent " + eff + " on axis " + i
                                + " is larger than the padded input (" + n + " + pads "
                                + w.padBegin[a] + "," + w.padEnd[a] + ")");
                    }
                    long o;
                    if (ceilMode) {
                        o = (span + w.s[a] - 1) / w.s[a] + 1;
                        // The last window must start inside the input or its leading padding.
                        if ((o - 1) * w.s[a] >= (long) n + w.padBegin[a]) {
                            o--;
                        }
                    } else {
                        o = span / w.s[a] + 1;
                    }
                    w.out[a] = (int) o;
                }
                default -> throw new IllegalStateException();
            }
        }
        return w;
    }

    /**
     * A window with every size given (no derivation), for ConvTranspose, whose output plays the
     * role of the window's input. Arrays hold one value per real spatial axis.
     */
    public static Window explicit(int[] inSpatial, int[] kernel, int[] strides, int[] dilations,
            int[] padBegin, int[] padEnd, int[] outSpatial) {
        int r = inSpatial.length;
        Window w = new Window(r);
        int off = 3 - r;
        Arrays.fill(w.in, 1);
        Arrays.fill(w.k, 1);
        Arrays.fill(w.s, 1);
        Arrays.fill(w.d, 1);
        Arrays.fill(w.out, 1);
        for (int i = 0; i < r; i++) {
            w.in[off + i] = inSpatial[i];
            w.k[off + i] = kernel[i];
            w.s[off + i] = strides[i];
            w.d[off + i] = dilations[i];
            w.padBegin[off + i] = padBegin[i];
            w.padEnd[off + i] = padEnd[i];
            w.out[off + i] = outSpatial[i];
        }
        return w;
    }

    private static void check(String what, int[] v, int r) {
        if (v != null && v.length != r) {
            throw new ShapeException(what + " has " + v.length + " values, expected " + r
                    + " (one per spatial axis)");
        }
    }

    /** The product of the three input sizes. */
    public int inSize() {
        return in[0] * in[1] * in[2];
    }

    /** The product of the three output sizes. */
    public int outSize() {
        return out[0] * out[1] * out[2];
    }

    /** The product of the three kernel sizes. */
    public int kernelSize() {
        return k[0] * k[1] * k[2];
    }

    /** The real spatial output sizes (without the padding axes). */
    public int[] outSpatial() {
        return Arrays.copyOfRange(out, 3 - rank, 3);
    }
}
