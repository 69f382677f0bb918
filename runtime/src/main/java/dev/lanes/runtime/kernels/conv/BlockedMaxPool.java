package dev.lanes.runtime.kernels.conv;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.spatial.AutoPad;
import dev.lanes.runtime.kernels.spatial.Window;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * 2-D MaxPool of a tensor in channel blocks ({@link ChannelBlocksReorder}), output in blocks
 * too, so a chain of blocked convolutions goes on through the pooling without two reorders.
 * Each output pixel of a block is the lane-wise max of the vectors of its window's in-bounds
 * pixels; padding never wins, as in ONNX. The geometry (strides, dilations, pads, auto_pad,
 * ceil_mode) is the planar pooling's ({@link Window}); the planar
 * {@link dev.lanes.runtime.kernels.spatial.PoolKernel} is its reference.
 */
public final class BlockedMaxPool implements Kernel {
    private static final VectorSpecies<Float> S = DepthwiseChannelBlocks.S;
    private static final int V = ChannelBlocksReorder.BLOCK;

    private final int[] kernelShape;
    private final int[] strides;
    private final int[] dilations;
    private final int[] pads;
    private final AutoPad autoPad;
    private final boolean ceilMode;

    /**
     * @param kernelShape window height and width
     * @param strides     strides, or null for 1
     * @param dilations   dilations, or null for 1
     * @param pads        pads (top, left, bottom, right), or null
     * @param autoPad     padding rule
     * @param ceilMode    round output sizes up
     */
    public BlockedMaxPool(int[] kernelShape, int[] strides, int[] dilations, int[] pads, AutoPad autoPad,
            boolean ceilMode) {
        if (kernelShape.length != 2) {
            throw new IllegalArgumentException("blocked MaxPool is 2-D, got kernel_shape "
                    + Arrays.toString(kernelShape));
        }
        this.kernelShape = kernelShape.clone();
        this.strides = strides == null ? null : strides.clone();
        this.dilations = dilations == null ? null : dilations.clone();
        this.pads = pads == null ? null : pads.clone();
        this.autoPad = autoPad;
        this.ceilMode = ceilMode;
    }

    /** Writes what {@link #readParams} needs (plan files). */
    void writeParams(ParamWriter out) {
        out.putInt("block", V).putInts("kernel_shape", kernelShape).putInts("strides", strides)
                .putInts("dilations", dilations).putInts("pads", pads).putEnum("auto_pad", autoPad)
                .putBool("ceil_mode", ceilMode);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static BlockedMaxPool readParams(ParamReader in) {
        ConvCodecs.checkBlock(in);
        int[] k = in.ints("kernel_shape");
        if (k == null || k.length != 2 || k[0] < 1 || k[1] < 1) {
            throw in.error("kernel_shape", "must be two positive sizes, got " + Arrays.toString(k));
        }
        return new BlockedMaxPool(k, in.ints("strides"), in.ints("dilations"), in.ints("pads"),
                in.getEnum("auto_pad", AutoPad.class), in.getBool("ceil_mode"));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        int[] xs = x.shapeView();
        if (xs.length != 4 || xs[1] % V != 0 || !x.dtype().isFloat()) {
            throw new ShapeException("blocked MaxPool: X " + Arrays.toString(xs) + " " + x.dtype()
                    + " must be FLOAT [N, C, H, W] with C a multiple of " + V);
        }
        // A 2-D window keeps its axes in places 1 and 2 of the Window's three.
        Window win = Window.of(new int[] {xs[2], xs[3]}, kernelShape, strides, dilations, pads, autoPad,
                ceilMode);
        int h = xs[2];
        int w = xs[3];
        int oh = win.out[1];
        int ow = win.out[2];
        Tensor out = ctx.output(new int[] {xs[0], xs[1], oh, ow});
        float[] src = x.floats();
        float[] dst = out.floats();
        int blocks = xs[0] * (xs[1] / V);
        ctx.pool().parallelFor(blocks * oh, task -> {
            int b = task / oh;
            int oy = task % oh;
            int y0 = oy * win.s[1] - win.padBegin[1];
            int plane = b * h * w;
            for (int ox = 0; ox < ow; ox++) {
                int x0 = ox * win.s[2] - win.padBegin[2];
                FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
                for (int ky = 0; ky < win.k[1]; ky++) {
                    int iy = y0 + ky * win.d[1];
                    if (iy < 0 || iy >= h) {
                        continue;
                    }
                    int row = plane + iy * w;
                    for (int kx = 0; kx < win.k[2]; kx++) {
                        int ix = x0 + kx * win.d[2];
                        if (ix >= 0 && ix < w) {
                            acc = acc.lanewise(VectorOperators.MAX, FloatVector.fromArray(S, src, (row + ix) * V));
                        }
                    }
                }
                acc.intoArray(dst, ((b * oh + oy) * ow + ox) * V);
            }
        });
        return new Tensor[] {out};
    }
}
