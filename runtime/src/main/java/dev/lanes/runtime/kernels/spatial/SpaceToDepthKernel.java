package dev.lanes.runtime.kernels.spatial;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;

/**
 * SpaceToDepth: [N, C, H, W] to [N, C * b^2, H / b, W / b], the block offset forming the outer
 * part of the output channel index (the inverse of DepthToSpace in DCR mode).
 */
public final class SpaceToDepthKernel implements Kernel {
    private final int block;

    /** A SpaceToDepth with block size {@code block}. */
    public SpaceToDepthKernel(int block) {
        this.block = block;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putInt("block", block);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static SpaceToDepthKernel readParams(ParamReader in) {
        return new SpaceToDepthKernel(SpatialCodecs.positive(in, "block"));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        int[] xs = x.shapeView();
        if (xs.length != 4 || xs[2] % block != 0 || xs[3] % block != 0) {
            throw new ShapeException("SpaceToDepth: input " + Arrays.toString(xs)
                    + " must be 4-D with H and W divisible by blocksize " + block);
        }
        int n = xs[0];
        int c = xs[1];
        int h = xs[2];
        int w = xs[3];
        int oh = h / block;
        int ow = w / block;
        long channels = (long) c * block * block;
        if (channels > Integer.MAX_VALUE) {
            throw new ShapeException("SpaceToDepth: " + channels + " output channels is too many");
        }
        // Every element is written, so a float output may be a recycled array.
        int[] ys = {n, (int) channels, oh, ow};
        Tensor out = x.dtype().isFloat() ? ctx.output(ys) : Tensor.zeros(x.dtype(), ys);
        int o = 0;
        for (int b = 0; b < n; b++) {
            for (int by = 0; by < block; by++) {
                for (int bx = 0; bx < block; bx++) {
                    for (int ch = 0; ch < c; ch++) {
                        for (int y = 0; y < oh; y++) {
                            for (int xx = 0; xx < ow; xx++, o++) {
                                int src = ((b * c + ch) * h + y * block + by) * w + xx * block + bx;
                                if (x.dtype().isFloat()) {
                                    out.floats()[o] = x.floats()[src];
                                } else {
                                    out.longs()[o] = x.longs()[src];
                                }
                            }
                        }
                    }
                }
            }
        }
        return new Tensor[] {out};
    }
}
