package dev.lanes.runtime.kernels.conv;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * GlobalAveragePool of a tensor in channel blocks ({@link ChannelBlocksReorder}): X
 * [N, C, spatial...] blocked, Y [N, C, 1...]. A single pixel per channel is laid out the same
 * in both layouts, so Y is an ordinary tensor (squeeze-and-excite reads it planar).
 */
public final class BlockedGlobalAveragePool implements Kernel {
    private static final VectorSpecies<Float> S = DepthwiseChannelBlocks.S;
    private static final int V = ChannelBlocksReorder.BLOCK;

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        int[] shape = x.shapeView();
        if (shape.length < 3 || shape[1] % V != 0 || !x.dtype().isFloat()) {
            throw new ShapeException("blocked GlobalAveragePool: X " + Arrays.toString(shape)
                    + " " + x.dtype() + " must be FLOAT [N, C, spatial...] with C a multiple of "
                    + V);
        }
        int[] outShape = shape.clone();
        Arrays.fill(outShape, 2, outShape.length, 1);
        int blocks = shape[0] * shape[1] / V;
        int pixels = x.size() / Math.max(1, shape[0] * shape[1]);
        Tensor out = ctx.output(outShape);
        float[] xs = x.floats();
        float[] ys = out.floats();
        float inv = 1f / pixels;
        ctx.pool().parallelFor(blocks, b -> {
            int base = b * pixels * V;
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            int p = 0;
            for (; p + 1 < pixels; p += 2) {
                a0 = a0.add(FloatVector.fromArray(S, xs, base + p * V));
                a1 = a1.add(FloatVector.fromArray(S, xs, base + (p + 1) * V));
            }
            if (p < pixels) {
                a0 = a0.add(FloatVector.fromArray(S, xs, base + p * V));
            }
            a0.add(a1).mul(inv).intoArray(ys, b * V);
        });
        return new Tensor[] {out};
    }
}
