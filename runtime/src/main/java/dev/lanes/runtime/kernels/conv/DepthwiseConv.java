package dev.lanes.runtime.kernels.conv;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.gemm.Epilogue;
import dev.lanes.runtime.kernels.simd.PaddedRows;
import dev.lanes.runtime.kernels.simd.Scratch;
import dev.lanes.runtime.kernels.spatial.ConvAttributes;
import dev.lanes.runtime.kernels.spatial.Window;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;

/**
 * Depthwise Conv (one filter per channel: group = C = M, W [C, 1, k...]) over 1-D or 2-D
 * inputs, computed directly and vectorized along each output row, with the epilogue fused.
 *
 * <p>Each (image, channel) plane is first copied into a per-thread buffer that holds its zero
 * padding and, for a horizontal stride s, the s column phases side by side (column {@code c}
 * of the padded row goes to phase {@code c % s}, index {@code c / s}). Every tap of the window
 * is then one contiguous, unconditional vector load at a fixed offset from the output row, for
 * any stride, dilation, pad or kernel size; see {@link PaddedRows}. Shapes it does not
 * cover (3-D, a channel multiplier above 1, negative pads) go to the generic kernel followed
 * by the epilogue as a separate pass.
 *
 * <p>Inputs: X [N, C, spatial...], W [C, 1, k...], optional B [C], and, when built with a
 * residual, R of the output's shape. Output: {@code act((conv(X, W) + B) * scale + shift + R)}.
 */
public final class DepthwiseConv implements Kernel {
    private final ConvAttributes attrs;
    private final Epilogue epilogue;
    private final boolean hasResidual;
    private final Kernel fallback;
    private final boolean blocked;
    /** For tests and benchmarks: channel blocks always (true), never (false), or chosen. */
    Boolean forceBlocks;

    /**
     * A depthwise convolution.
     *
     * @param attrs       the resolved attributes
     * @param epilogue    what follows the convolution and its bias (per channel)
     * @param hasResidual true when input 3 is a residual added before the activation
     */
    public DepthwiseConv(ConvAttributes attrs, Epilogue epilogue, boolean hasResidual) {
        this(attrs, epilogue, hasResidual, false);
    }

    private DepthwiseConv(ConvAttributes attrs, Epilogue epilogue, boolean hasResidual,
            boolean blocked) {
        this.attrs = attrs;
        this.epilogue = epilogue;
        this.hasResidual = hasResidual;
        this.blocked = blocked;
        this.fallback = new GemmConv(attrs, null, epilogue, hasResidual);
    }

    /**
     * A depthwise convolution whose input, output and residual are in channel blocks
     * ({@link ChannelBlocksReorder}); the channels must be a multiple of the block and the
     * window one {@link DepthwiseChannelBlocks} covers (2-D or 1-D, no negative pads).
     */
    public static DepthwiseConv blocked(ConvAttributes attrs, Epilogue epilogue,
            boolean hasResidual) {
        return new DepthwiseConv(attrs, epilogue, hasResidual, true);
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putRecord("attrs", attrs, ConvAttributes::writeTo)
                .putRecord("epilogue", epilogue, Epilogue::writeTo)
                .putBool("residual", hasResidual).putBool("blocked", blocked);
        if (blocked) {
            ConvCodecs.writeBlock(out);
        }
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static DepthwiseConv readParams(ParamReader in) {
        ConvAttributes a = in.requireRecord("attrs", ConvAttributes::readFrom);
        Epilogue ep = in.requireRecord("epilogue", Epilogue::readFrom);
        boolean residual = in.getBool("residual");
        boolean blocked = in.getBool("blocked");
        if (blocked) {
            ConvCodecs.checkBlock(in);
        }
        return new DepthwiseConv(a, ep, residual, blocked);
    }

    /**
     * True when channel blocks ({@link DepthwiseChannelBlocks}) compute this window, else the
     * plane-at-a-time loop does. Blocks pay a gather of every input and output value (about
     * 0.5 ns each here) and save the per-plane costs, which dominate small planes. Measured
     * on one core (AVX2, blocks against planes): 0.66x at 960 x 7x7, 0.61x at 576 x 14x14
     * stride 2, 0.8x at 384 x 14x14, 0.95x at 28x28 (1.05x at stride 2), 2x at 56x56; 5x5
     * windows do more work per gathered value: 0.57x at 7x7, 0.78x at 28x28 stride 2.
     */
    static boolean useBlocks(Window win) {
        int in = win.inSize();
        return in <= 20 * 20 || (win.kernelSize() >= 25 && in <= 28 * 28);
    }

    /** Weights packed for channel blocks, with the array they were packed from. */
    private record Packed(float[] from, float[] blocks) {
    }

    /** The loops of the last window seen: rebuilt only when the shapes change. */
    private record Layout(int[] x, int[] w, DepthwiseChannelBlocks blocks, DepthwiseRows rows) {
    }

    // One volatile each, so concurrent runs never pair one run's state with another's.
    private volatile Packed packed;
    private volatile Layout layout;

    /**
     * The weights packed for channel blocks, repacked only when their values change. Compared by
     * value, not by array: computed weights may arrive in a recycled array.
     */
    private float[] packedWeights(Tensor w, int c, int ksize) {
        Packed p = packed;
        int n = c * ksize;
        float[] wf = w.floats();
        if (p == null || p.from().length != n || !Arrays.equals(p.from(), 0, n, wf, 0, n)) {
            p = new Packed(Arrays.copyOf(wf, n), DepthwiseChannelBlocks.packWeights(wf, c, ksize));
            packed = p;
        }
        return p.blocks();
    }

    private Layout layout(Tensor x, Tensor w, Window win) {
        Layout l = layout;
        if (l == null || !Arrays.equals(l.x(), x.shapeView())
                || !Arrays.equals(l.w(), w.shapeView())) {
            l = new Layout(x.shapeView().clone(), w.shapeView().clone(),
                    new DepthwiseChannelBlocks(win), new DepthwiseRows(win));
            layout = l;
        }
        return l;
    }

    /** True when this kernel computes the shapes directly (else it delegates). */
    static boolean covers(Tensor x, Tensor w, int group, Window win) {
        return PaddedRows.covers(win) && x.dtype().isFloat() && w.dtype().isFloat()
                && x.dim(1) == group && w.dim(0) == group && w.dim(1) == 1;
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        Tensor w = in[1];
        Window win = attrs.convWindow(x, w);
        if (!covers(x, w, attrs.group(), win)) {
            if (blocked) {
                throw new ShapeException("blocked depthwise Conv: X "
                        + Arrays.toString(x.shapeView()) + ", W " + Arrays.toString(w.shapeView())
                        + " must be one filter per channel over at most 2 spatial axes with no"
                        + " negative pads");
            }
            return fallback.run(in, ctx);
        }
        if (blocked && x.dim(1) % DepthwiseChannelBlocks.V != 0) {
            throw new ShapeException("blocked depthwise Conv: X " + Arrays.toString(x.shapeView())
                    + " must have a multiple of " + DepthwiseChannelBlocks.V + " channels");
        }
        int n = x.dim(0);
        int c = x.dim(1);
        float[] bias = ConvAttributes.bias(in.length > 2 ? in[2] : null, c);
        ConvEpilogue.check("Conv", epilogue, c);
        int[] outShape = ConvAttributes.outShape(n, c, win);
        float[] res = ConvEpilogue.residual("Conv", hasResidual && in.length > 3 ? in[3] : null,
                outShape);
        // Every output cell is written, so the output may be a recycled array.
        Tensor out = ctx.output(outShape);
        if (out.size() == 0) {
            return new Tensor[] {out};
        }
        Epilogue ep = ConvEpilogue.withBias(epilogue, bias);
        float[] xs = x.floats();
        float[] ys = out.floats();
        int inSize = win.inSize();
        int outSize = win.outSize();
        int ksize = win.kernelSize();
        boolean byBlocks = blocked || (forceBlocks != null ? forceBlocks : useBlocks(win));
        int blocks = byBlocks ? c / DepthwiseChannelBlocks.V : 0;
        int planes = c - blocks * DepthwiseChannelBlocks.V;
        Layout layout = layout(x, w, win);
        if (blocks > 0) {
            DepthwiseChannelBlocks kb = layout.blocks();
            float[] pw = packedWeights(w, c, ksize);
            ctx.pool().parallelFor(n * blocks, t -> {
                int img = t / blocks;
                int c0 = (t % blocks) * DepthwiseChannelBlocks.V;
                float[] buf = Scratch.slot().buffer(kb.bufferSize());
                int first = img * c + c0;
                kb.block(xs, first * inSize, buf, pw, (t % blocks) * ksize
                        * DepthwiseChannelBlocks.V, ys, first * outSize, res, ep.scale(), c0,
                        ep.shift(), ep.activation(), blocked);
            });
        }
        if (planes > 0) {
            DepthwiseRows rows = layout.rows();
            float[] ws = w.floats();
            int from = c - planes;
            ctx.pool().parallelFor(n * planes, t -> {
                int ch = from + t % planes;
                int plane = t / planes * c + ch;
                Scratch.Slot slot = Scratch.slot();
                float[] buf = slot.buffer(rows.bufferSize());
                // The layout of this run is the key: its padding stays put from plane to plane.
                boolean ready = rows.claim(slot);
                float scale = ep.scale() == null ? 1f : ep.scale()[ch];
                float shift = ep.shift() == null ? 0f : ep.shift()[ch];
                rows.plane(xs, plane * inSize, buf, ready, ws, ch * ksize, ys, plane * outSize,
                        res, scale, shift, ep.activation());
            });
        }
        return new Tensor[] {out};
    }
}
