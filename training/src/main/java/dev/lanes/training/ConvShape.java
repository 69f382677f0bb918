package dev.lanes.training;

import dev.lanes.errors.ShapeException;

/**
 * The sizes of one convolution, checked once, for the backends: input [n, c, h, w], weight
 * [oc, c / groups, kh, kw], output [n, oc, oh, ow].
 */
public record ConvShape(int n, int c, int h, int w, int oc, int kh, int kw, int oh, int ow, int groups, int stride,
                        int pad) {
    /** Input channels per group. */
    public int cg() {
        return c / groups;
    }

    /** Output channels per group. */
    public int ocg() {
        return oc / groups;
    }

    /** The patch length: rows of one group's patch matrix. */
    public int k() {
        return cg() * kh * kw;
    }

    /** Output places per image. */
    public int p() {
        return oh * ow;
    }

    /** The shape of a convolution of input {@code xs} by weight {@code ws}; a mismatch names {@code op}. */
    public static ConvShape of(String op, int[] xs, int[] ws, ConvSpec s) {
        if (xs.length != 4 || ws.length != 4) {
            throw new ShapeException(op + ": input must be [N, C, H, W] and weight [OC, C/groups, KH, KW]; got input "
                    + Tensor.shapeString(xs) + ", weight " + Tensor.shapeString(ws));
        }
        int g = s.groups();
        if (xs[1] % g != 0 || ws[0] % g != 0 || ws[1] * g != xs[1]) {
            throw new ShapeException(op + ": input " + Tensor.shapeString(xs) + " and weight "
                    + Tensor.shapeString(ws) + " do not fit " + g + " groups (axis 1: expected input channels "
                    + ws[1] * g + ", got " + xs[1] + "; output channels must divide by groups)");
        }
        if (xs[2] + 2 * s.pad() < ws[2] || xs[3] + 2 * s.pad() < ws[3]) {
            throw new ShapeException(op + ": kernel " + ws[2] + "x" + ws[3] + " is larger than the padded input "
                    + Tensor.shapeString(xs) + " with pad " + s.pad());
        }
        return new ConvShape(xs[0], xs[1], xs[2], xs[3], ws[0], ws[2], ws[3], s.outSize(xs[2], ws[2]),
                s.outSize(xs[3], ws[3]), g, s.stride(), s.pad());
    }
}
