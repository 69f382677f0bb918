package dev.lanes.runtime.kernels.spatial;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Tensor;
import java.util.Arrays;

/**
 * The output size and padding of a ConvTranspose. The result is expressed as the {@link Window}
 * of the equivalent forward convolution: its input is the ConvTranspose output and its output is
 * the ConvTranspose input, since ConvTranspose is the adjoint of that convolution.
 */
public final class ConvTransposeGeometry {
    private ConvTransposeGeometry() {
    }

    /** The window of a ConvTranspose of X with W ([C, M/group, k...]), checking the shapes. */
    public static Window of(ConvAttributes a, Tensor x, Tensor w) {
        int[] xs = x.shapeView();
        int[] ws = w.shapeView();
        if (xs.length < 3 || xs.length > 5 || ws.length != xs.length) {
            throw new ShapeException("ConvTranspose: X " + Arrays.toString(xs) + " and W "
                    + Arrays.toString(ws) + " must have the same rank, 3 to 5");
        }
        if (xs[1] != ws[0]) {
            throw new ShapeException("ConvTranspose: X has " + xs[1] + " channels but W "
                    + Arrays.toString(ws) + " expects " + ws[0]);
        }
        if (ws[0] % a.group() != 0) {
            throw new ShapeException("ConvTranspose: W " + Arrays.toString(ws)
                    + " input channels are not divisible by group " + a.group());
        }
        int r = xs.length - 2;
        int[] k = Arrays.copyOfRange(ws, 2, ws.length);
        if (a.kernelShape() != null && !Arrays.equals(a.kernelShape(), k)) {
            throw new ShapeException("ConvTranspose: kernel_shape "
                    + Arrays.toString(a.kernelShape()) + " does not match W "
                    + Arrays.toString(ws));
        }
        int[] s = orOnes(a.strides(), r, "strides");
        int[] d = orOnes(a.dilations(), r, "dilations");
        int[] op = a.outputPadding() == null ? new int[r] : a.outputPadding();
        if (op.length != r) {
            throw new ShapeException("ConvTranspose: output_padding has " + op.length
                    + " values, expected " + r);
        }
        int[] requested = a.outputShape();
        if (requested != null && requested.length == r + 2) {
            requested = Arrays.copyOfRange(requested, 2, r + 2);
        }
        if (requested != null && requested.length != r) {
            throw new ShapeException("ConvTranspose: output_shape has " + requested.length
                    + " values, expected " + r);
        }
        int[] pb = new int[r];
        int[] pe = new int[r];
        int[] out = new int[r];
        int[] in = Arrays.copyOfRange(xs, 2, xs.length);
        for (int i = 0; i < r; i++) {
            if (s[i] < 1 || d[i] < 1 || op[i] < 0) {
                throw new ShapeException("ConvTranspose: strides and dilations must be positive"
                        + " and output_padding non-negative, got " + s[i] + ", " + d[i] + ", "
                        + op[i]);
            }
            long fullLong = (long) s[i] * (in[i] - 1) + op[i] + (long) (k[i] - 1) * d[i] + 1;
            if (fullLong > Integer.MAX_VALUE / 4) {
                throw new ShapeException("ConvTranspose: output size " + fullLong
                        + " on spatial axis " + i + " is too large");
            }
            int full = (int) fullLong;
            boolean same = a.autoPad() == AutoPad.SAME_UPPER || a.autoPad() == AutoPad.SAME_LOWER;
            if (requested != null || same) {
                out[i] = requested != null ? requested[i] : in[i] * s[i];
                if (out[i] < 1 || out[i] > Integer.MAX_VALUE / 4) {
                    throw new ShapeException("ConvTranspose: output size " + out[i]
                            + " on spatial axis " + i + " is out of range");
                }
                int total = full - out[i];
                if (a.autoPad() == AutoPad.SAME_UPPER) {
                    pb[i] = Math.floorDiv(total, 2);
                    pe[i] = total - pb[i];
                } else {
                    pe[i] = Math.floorDiv(total, 2);
                    pb[i] = total - pe[i];
                }
            } else {
                if (a.autoPad() == AutoPad.NOTSET && a.pads() != null) {
                    if (a.pads().length != 2 * r) {
                        throw new ShapeException("ConvTranspose: pads has " + a.pads().length
                                + " values, expected " + 2 * r);
                    }
                    pb[i] = a.pads()[i];
                    pe[i] = a.pads()[i + r];
                    if (Math.abs((long) pb[i]) + Math.abs((long) pe[i]) > Integer.MAX_VALUE / 4) {
                        throw new ShapeException("ConvTranspose: pads " + pb[i] + ", " + pe[i]
                                + " are too large");
                    }
                }
                out[i] = full - pb[i] - pe[i];
            }
            if (out[i] < 1) {
                throw new ShapeException("ConvTranspose: output size on spatial axis " + i
                        + " would be " + out[i]);
            }
        }
        return Window.explicit(out, k, s, d, pb, pe, in);
    }

    private static int[] orOnes(int[] v, int r, String what) {
        if (v == null) {
            int[] ones = new int[r];
            Arrays.fill(ones, 1);
            return ones;
        }
        if (v.length != r) {
            throw new ShapeException("ConvTranspose: " + what + " has " + v.length
                    + " values, expected " + r);
        }
        return v;
    }

    /** The output shape [N, M, spatial...]. */
    public static int[] outShape(int n, int m, Window win) {
        int[] o = new int[2 + win.rank];
        o[0] = n;
        o[1] = m;
        System.arraycopy(win.in, 3 - win.rank, o, 2, win.rank);
        return o;
    }
}
