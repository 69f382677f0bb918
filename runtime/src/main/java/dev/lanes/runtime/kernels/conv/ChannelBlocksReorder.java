package dev.lanes.runtime.kernels.conv;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Converts a tensor [N, C, spatial...] between the planar layout (NCHW: each channel's plane
 * contiguous) and the channel-block layout of the blocked kernels ({@link #BLOCK} channels
 * interleaved per pixel: NCHWc, value (n, c, p) at {@code ((n * C / BLOCK + c / BLOCK) * P + p)
 * * BLOCK + c % BLOCK} for P pixels). The shape stays the logical one; only the order of the
 * values changes. C must be a multiple of {@link #BLOCK}.
 */
public final class ChannelBlocksReorder implements Kernel {
    private static final VectorSpecies<Float> S = DepthwiseChannelBlocks.S;
    /** Channels per block: the floats of this machine's vector. */
    public static final int BLOCK = DepthwiseChannelBlocks.V;

    private final boolean toBlocks;

    /** A reorder into channel blocks ({@code toBlocks}) or back to planes. */
    public ChannelBlocksReorder(boolean toBlocks) {
        this.toBlocks = toBlocks;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putBool("to_blocks", toBlocks);
        ConvCodecs.writeBlock(out);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static ChannelBlocksReorder readParams(ParamReader in) {
        boolean to = in.getBool("to_blocks");
        ConvCodecs.checkBlock(in);
        return new ChannelBlocksReorder(to);
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        int[] shape = x.shapeView();
        if (shape.length < 3 || shape[1] % BLOCK != 0 || !x.dtype().isFloat()) {
            throw new ShapeException((toBlocks ? "ToChannelBlocks" : "FromChannelBlocks")
                    + ": input " + Arrays.toString(shape) + " " + x.dtype()
                    + " must be FLOAT [N, C, spatial...] with C a multiple of " + BLOCK);
        }
        int n = shape[0];
        int blocks = shape[1] / BLOCK;
        int pixels = x.size() / Math.max(1, n * shape[1]);
        Tensor out = ctx.output(shape.clone());
        float[] xs = x.floats();
        float[] ys = out.floats();
        int[] planes = lanes(pixels);
        int[] pixelsOfChannel = lanes(BLOCK);
        ctx.pool().parallelFor(n * blocks, t -> {
            int base = t * BLOCK * pixels;
            if (toBlocks) {
                toBlocks(xs, ys, base, pixels, planes);
            } else {
                toPlanes(xs, ys, base, pixels, pixelsOfChannel);
            }
        });
        return new Tensor[] {out};
    }

    /** Lane {@code l} at {@code l * step}. */
    static int[] lanes(int step) {
        int[] idx = new int[BLOCK];
        for (int l = 0; l < BLOCK; l++) {
            idx[l] = l * step;
        }
        return idx;
    }

    /** One block's planes at {@code x[base]} into its pixels at {@code y[base]}. */
    static void toBlocks(float[] x, float[] y, int base, int pixels, int[] planes) {
        for (int p = 0; p < pixels; p++) {
            FloatVector.fromArray(S, x, base + p, planes, 0).intoArray(y, base + p * BLOCK);
        }
    }

    /** One block's pixels at {@code x[base]} into its planes at {@code y[base]}. */
    static void toPlanes(float[] x, float[] y, int base, int pixels, int[] pixelsOfChannel) {
        int full = pixels - pixels % BLOCK;
        for (int l = 0; l < BLOCK; l++) {
            int dst = base + l * pixels;
            for (int p = 0; p < full; p += BLOCK) {
                FloatVector.fromArray(S, x, base + p * BLOCK + l, pixelsOfChannel, 0)
                        .intoArray(y, dst + p);
            }
            for (int p = full; p < pixels; p++) {
                y[dst + p] = x[base + p * BLOCK + l];
            }
        }
    }
}
