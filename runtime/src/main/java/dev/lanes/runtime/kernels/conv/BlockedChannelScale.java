package dev.lanes.runtime.kernels.conv;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A tensor in channel blocks ({@link ChannelBlocksReorder}) times one value per image and
 * channel (squeeze-and-excite's Mul): X [N, C, spatial...] blocked, S [N or 1, C, 1...],
 * output blocked like X.
 */
public final class BlockedChannelScale implements Kernel {
    private static final VectorSpecies<Float> SP = DepthwiseChannelBlocks.S;
    private static final int V = ChannelBlocksReorder.BLOCK;

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        Tensor s = in[1];
        int[] xs = x.shapeView();
        int[] ss = s.shapeView();
        boolean ok = xs.length >= 3 && xs[1] % V == 0 && x.dtype().isFloat()
                && s.dtype().isFloat() && ss.length == xs.length && ss[1] == xs[1]
                && (ss[0] == xs[0] || ss[0] == 1) && s.size() == ss[0] * ss[1];
        if (!ok) {
            throw new ShapeException("blocked channel scale: X " + Arrays.toString(xs)
                    + " times " + Arrays.toString(ss) + " needs FLOAT [N, C, spatial...], C a"
                    + " multiple of " + V + ", and a scale [N or 1, C, 1...]");
        }
        int c = xs[1];
        int blocks = xs[0] * c / V;
        int pixels = x.size() / Math.max(1, xs[0] * c);
        boolean perImage = ss[0] == xs[0];
        Tensor out = ctx.output(xs.clone());
        float[] xv = x.floats();
        float[] sv = s.floats();
        float[] yv = out.floats();
        ctx.pool().parallelFor(blocks, b -> {
            // Block b is image b / (c / V), channels (b % (c / V)) * V onward.
            int so = perImage ? b * V : b % (c / V) * V;
            FloatVector scale = FloatVector.fromArray(SP, sv, so);
            int base = b * pixels * V;
            for (int p = 0; p < pixels * V; p += V) {
                FloatVector.fromArray(SP, xv, base + p).mul(scale).intoArray(yv, base + p);
            }
        });
        return new Tensor[] {out};
    }
}
