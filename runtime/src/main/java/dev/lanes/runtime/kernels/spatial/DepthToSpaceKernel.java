package dev.lanes.runtime.kernels.spatial;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;

/**
 * DepthToSpace: [N, C, H, W] to [N, C / b^2, H * b, W * b]. DCR mode takes the block offset from
 * the outer part of the channel index, CRD mode from the inner part.
 */
public final class DepthToSpaceKernel implements Kernel {
    private final int block;
    private final boolean crd;

    /** A DepthToSpace with block size {@code block}; {@code crd} selects CRD over DCR mode. */
    public DepthToSpaceKernel(int block, boolean crd) {
        this.block = block;
        this.crd = crd;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putInt("block", block).putBool("crd", crd);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static DepthToSpaceKernel readParams(ParamReader in) {
        return new DepthToSpaceKernel(SpatialCodecs.positive(in, "block"), in.getBool("crd"));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        int[] xs = x.shapeView();
        long bbl = (long) block * block;
        if (xs.length != 4 || xs[1] % bbl != 0) {
            throw new ShapeException("DepthToSpace: input " + Arrays.toString(xs)
                    + " must be 4-D with channels divisible by blocksize^2 = " + bbl);
        }
        int bb = (int) bbl;
        int n = xs[0];
        int c = xs[1];
        int h = xs[2];
        int w = xs[3];
        int oc = c / bb;
        // Cannot overflow: the output holds as many elements as the input. Every element is
        // written, so a float output may be a recycled array.
        int[] ys = {n, oc, h * block, w * block};
        Tensor out = x.dtype().isFloat() ? ctx.output(ys) : Tensor.zeros(x.dtype(), ys);
        int o = 0;
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < oc; ch++) {
                for (int y = 0; y < h * block; y++) {
                    int ih = y / block;
                    int by = y % block;
                    for (int xx = 0; xx < w * block; xx++, o++) {
                        int iw = xx / block;
                        int bx = xx % block;
                        int ic = crd ? ch * bb + by * block + bx : (by * block + bx) * oc + ch;
                        int src = ((b * c + ic) * h + ih) * w + iw;
                        if (x.dtype().isFloat()) {
                            out.floats()[o] = x.floats()[src];
                        } else {
                            out.longs()[o] = x.longs()[src];
                        }
                    }
                }
            }
        }
        return new Tensor[] {out};
    }
}
