package dev.lanes.runtime.kernels.spatial;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;

/**
 * The attributes of a convolution (Conv or ConvTranspose), already resolved by the compiler.
 *
 * @param kernelShape   the kernel's spatial sizes, or null to take them from the weights
 * @param strides       strides, or null for all 1
 * @param dilations     dilations, or null for all 1
 * @param pads          explicit pads (begins then ends), or null for none
 * @param autoPad       how padding is chosen
 * @param group         number of groups (1 or more)
 * @param outputPadding ConvTranspose only: extra cells at the end of each axis, or null
 * @param outputShape   ConvTranspose only: the requested spatial output sizes, or null
 */
public record ConvAttributes(int[] kernelShape, int[] strides, int[] dilations, int[] pads,
        AutoPad autoPad, int group, int[] outputPadding, int[] outputShape) {

    /** Copies the arrays. */
    public ConvAttributes {
        kernelShape = kernelShape == null ? null : kernelShape.clone();
        strides = strides == null ? null : strides.clone();
        dilations = dilations == null ? null : dilations.clone();
        pads = pads == null ? null : pads.clone();
        outputPadding = outputPadding == null ? null : outputPadding.clone();
        outputShape = outputShape == null ? null : outputShape.clone();
        if (group < 1) {
            throw new IllegalArgumentException("group must be 1 or more, got " + group);
        }
    }

    /** Conv attributes (no output padding or shape). */
    public static ConvAttributes conv(int[] kernelShape, int[] strides, int[] dilations, int[] pads,
            AutoPad autoPad, int group) {
        return new ConvAttributes(kernelShape, strides, dilations, pads, autoPad, group, null,
                null);
    }

    /** Writes the attributes as a plan-file record (see {@link #readFrom}). */
    public void writeTo(ParamWriter out) {
        out.putInts("kernel_shape", kernelShape).putInts("strides", strides)
                .putInts("dilations", dilations).putInts("pads", pads)
                .putEnum("auto_pad", autoPad).putInt("group", group)
                .putInts("output_padding", outputPadding).putInts("output_shape", outputShape);
    }

    /**
     * Reads attributes written by {@link #writeTo}, with the checks the compiler makes of a
     * node's attributes: kernel sizes, strides and dilations positive.
     */
    public static ConvAttributes readFrom(ParamReader in) {
        int[] k = in.ints("kernel_shape");
        int[] s = in.ints("strides");
        int[] d = in.ints("dilations");
        int[] p = in.ints("pads");
        AutoPad autoPad = in.getEnum("auto_pad", AutoPad.class);
        int group = in.getInt("group");
        int[] op = in.ints("output_padding");
        int[] os = in.ints("output_shape");
        SpatialCodecs.positive(in, "kernel_shape", k);
        SpatialCodecs.positive(in, "strides", s);
        SpatialCodecs.positive(in, "dilations", d);
        if (group < 1) {
            throw in.error("group", "is " + group + ", must be 1 or more");
        }
        return new ConvAttributes(k, s, d, p, autoPad, group, op, os);
    }

    /**
     * The window of a Conv over input {@code x} with weights {@code w} ([M, C/group, k...]),
     * checking that the shapes fit together.
     */
    public Window convWindow(Tensor x, Tensor w) {
        int[] xs = x.shapeView();
        int[] ws = w.shapeView();
        if (xs.length < 3 || xs.length > 5 || ws.length != xs.length) {
            throw new ShapeException("Conv: X " + Arrays.toString(xs) + " and W "
                    + Arrays.toString(ws) + " must have the same rank, 3 to 5");
        }
        if (xs[1] != ws[1] * group || ws[0] % group != 0) {
            throw new ShapeException("Conv: X has " + xs[1] + " channels and W is "
                    + Arrays.toString(ws) + " with group " + group
                    + " (needs X channels = W[1] * group and W[0] divisible by group)");
        }
        int[] k = Arrays.copyOfRange(ws, 2, ws.length);
        if (kernelShape != null && !Arrays.equals(kernelShape, k)) {
            throw new ShapeException("Conv: kernel_shape " + Arrays.toString(kernelShape)
                    + " does not match W " + Arrays.toString(ws));
        }
        return Window.of(Arrays.copyOfRange(xs, 2, xs.length), k, strides, dilations, pads,
                autoPad, false);
    }

    /** Checks an optional bias against the number of output channels; its values or null. */
    public static float[] bias(Tensor b, int m) {
        if (b == null) {
            return null;
        }
        if (b.size() != m) {
            throw new ShapeException("Conv: bias B has " + b.size() + " values, expected " + m);
        }
        return b.floats();
    }

    /** The output shape [N, M, out...] of a window. */
    public static int[] outShape(int n, int m, Window win) {
        int[] o = new int[2 + win.rank];
        o[0] = n;
        o[1] = m;
        System.arraycopy(win.outSpatial(), 0, o, 2, win.rank);
        return o;
    }
}
