package dev.lanes.runtime.kernels.conv;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.gemm.Activation;
import dev.lanes.runtime.kernels.gemm.Epilogue;
import dev.lanes.runtime.kernels.spatial.ConvAttributes;
import dev.lanes.runtime.kernels.spatial.Window;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A 2-D, one-group convolution with few input channels (a stem: 3 channels, 3x3 stride 2) from
 * planar input straight into channel blocks ({@link ChannelBlocksReorder}), for a stem whose
 * output a blocked chain reads: no reorder after it. Each output block of a pixel is a sum over
 * the C * KH * KW taps of the input value under the tap, broadcast, times the weight vector of
 * the block's channels. A tile is four pixels of a row times two output blocks: eight sums, two
 * weight loads and four broadcasts per tap, fourteen vector registers (six pixels spilled on
 * AVX2's sixteen and ran at half the speed). The input is first copied into a zero-padded plane
 * per channel, so taps need no bounds tests. The last tile of a row ends at the row's end and
 * overlaps the tile before, writing the same values again.
 *
 * <p>Inputs: X [N, C, H, W] planar, W [M, C, KH, KW] (constant), optional B [M]. Output
 * [N, M, OH, OW] in blocks: {@code act((conv(X, W) + B) * scale + shift)}.
 */
public final class BlockedDirectConv implements Kernel {
    private static final VectorSpecies<Float> S = DepthwiseChannelBlocks.S;
    private static final int V = ChannelBlocksReorder.BLOCK;
    /** Pixels per tile. */
    static final int PIXELS = 4;
    /** The most input channels this kernel is for; more are a GEMM's job. */
    public static final int MAX_CHANNELS = 4;

    private final ConvAttributes attrs;
    private final Tensor weights;
    private final Epilogue epilogue;
    private final int m;
    private final int c;
    private final int kh;
    private final int kw;
    /** [M / V][C * KH * KW][V]. */
    private final float[] packed;

    /**
     * @param attrs    the attributes (group 1, 2-D)
     * @param weights  the constant weights [M, C, KH, KW], M a multiple of the block
     * @param epilogue what follows the convolution and its bias (no residual)
     */
    public BlockedDirectConv(ConvAttributes attrs, Tensor weights, Epilogue epilogue) {
        int[] ws = weights.shapeView();
        if (!supports(attrs, ws)) {
            throw new ShapeException("blocked direct Conv: W " + Arrays.toString(ws) + " with group "
                    + attrs.group() + " must be [M, C, KH, KW], one group, M a multiple of " + V
                    + " and C at most " + MAX_CHANNELS);
        }
        this.attrs = attrs;
        this.weights = weights;
        this.epilogue = epilogue;
        this.m = ws[0];
        this.c = ws[1];
        this.kh = ws[2];
        this.kw = ws[3];
        int taps = c * kh * kw;
        float[] w = weights.floats();
        packed = new float[m * taps];
        for (int o = 0; o < m; o++) {
            for (int t = 0; t < taps; t++) {
                packed[((o / V) * taps + t) * V + o % V] = w[o * taps + t];
            }
        }
    }

    /** Whether a Conv with these attributes and weight shape fits this kernel. */
    public static boolean supports(ConvAttributes attrs, int[] ws) {
        return ws.length == 4 && attrs.group() == 1 && ws[0] % V == 0 && ws[0] > 0 && ws[1] >= 1
                && ws[1] <= MAX_CHANNELS;
    }

    /** Writes what {@link #readParams} needs (plan files). */
    void writeParams(ParamWriter out) {
        out.putInt("block", V).putRecord("attrs", attrs, ConvAttributes::writeTo).putTensor("weights", weights)
                .putRecord("epilogue", epilogue, Epilogue::writeTo);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static BlockedDirectConv readParams(ParamReader in) {
        ConvCodecs.checkBlock(in);
        ConvAttributes a = in.requireRecord("attrs", ConvAttributes::readFrom);
        Tensor w = in.tensor("weights");
        if (w == null || !supports(a, w.shapeView())) {
            throw in.error("weights", "must be [M, C, KH, KW] with M a multiple of " + V + " and C at most "
                    + MAX_CHANNELS);
        }
        return new BlockedDirectConv(a, w, in.requireRecord("epilogue", Epilogue::readFrom));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        int[] xs = x.shapeView();
        if (xs.length != 4 || xs[1] != c || !x.dtype().isFloat()) {
            throw new ShapeException("blocked direct Conv: X " + Arrays.toString(xs) + " " + x.dtype()
                    + " must be FLOAT [N, " + c + ", H, W]");
        }
        // A 2-D window keeps its axes in places 1 and 2 of the Window's three.
        Window win = attrs.convWindow(x, weights);
        Epilogue ep = ConvEpilogue.withBias(epilogue, ConvAttributes.bias(in.length > 2 ? in[2] : null, m));
        int n = xs[0];
        int h = xs[2];
        int w = xs[3];
        int oh = win.out[1];
        int ow = win.out[2];
        Tensor out = ctx.output(new int[] {n, m, oh, ow});
        if (out.size() == 0) {
            return new Tensor[] {out};
        }
        int top = win.padBegin[1];
        int left = win.padBegin[2];
        // Rows and columns the windows reach, padding included.
        int hp = Math.max(top + h, (oh - 1) * win.s[1] + (kh - 1) * win.d[1] + 1);
        int wp = Math.max(left + w, (ow - 1) * win.s[2] + (kw - 1) * win.d[2] + 1);
        float[] padded = ctx.scratch(c * hp * wp);
        // Each tap's offset from its window's corner in the padded planes: one flat loop over
        // the taps in the tiles, which the JIT keeps in registers (a loop nest over channel,
        // row and column did not, at a third of the speed).
        int[] offsets = new int[c * kh * kw];
        for (int ch = 0, t = 0; ch < c; ch++) {
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++, t++) {
                    offsets[t] = (ch * hp + ky * win.d[1]) * wp + kx * win.d[2];
                }
            }
        }
        float[] xv = x.floats();
        float[] yv = out.floats();
        for (int img = 0; img < n; img++) {
            Arrays.fill(padded, 0, c * hp * wp, 0f);
            for (int ch = 0; ch < c; ch++) {
                for (int r = 0; r < h; r++) {
                    System.arraycopy(xv, ((img * c + ch) * h + r) * w, padded, (ch * hp + top + r) * wp + left, w);
                }
            }
            int yImg = img * m * oh * ow;
            ctx.pool().parallelFor(oh, oy -> row(padded, wp, offsets, win, oy, oh, ow, yv, yImg, ep));
        }
        ctx.releaseScratch(padded);
        return new Tensor[] {out};
    }

    /** Output row {@code oy} of every output block of one image. */
    private void row(float[] x, int wp, int[] offsets, Window win, int oy, int oh, int ow, float[] y, int yImg,
            Epilogue ep) {
        int blocks = m / V;
        int sy = win.s[1];
        int sx = win.s[2];
        for (int mb = 0; mb < blocks; mb += 2) {
            boolean pair = mb + 1 < blocks;
            if (ow < PIXELS) {
                for (int ox = 0; ox < ow; ox++) {
                    int corner = oy * sy * wp + ox * sx;
                    pixel(x, corner, offsets, mb, y, yImg + ((mb * oh + oy) * ow + ox) * V, ep);
                    if (pair) {
                        pixel(x, corner, offsets, mb + 1, y, yImg + (((mb + 1) * oh + oy) * ow + ox) * V, ep);
                    }
                }
                continue;
            }
            for (int ox0 = 0; ox0 < ow; ox0 += PIXELS) {
                int ox = Math.min(ox0, ow - PIXELS);
                tile(x, oy * sy * wp + ox * sx, sx, offsets, mb, pair, y, yImg + ((mb * oh + oy) * ow + ox) * V,
                        oh * ow * V, ep);
            }
        }
    }

    /**
     * Four pixels whose windows start at {@code corner} in the padded planes, {@code sx} apart,
     * output blocks {@code mb} and, when {@code pair}, {@code mb + 1}; block
     * {@code mb}'s output at {@code y[yo + i * V]}, the next block's {@code blockStride} further.
     */
    private void tile(float[] x, int corner, int sx, int[] offsets, int mb, boolean pair, float[] y, int yo,
            int blockStride, Epilogue ep) {
        int taps = c * kh * kw;
        int w0 = mb * taps * V;
        int w1 = pair ? w0 + taps * V : w0;
        FloatVector z = FloatVector.zero(S);
        FloatVector a0 = z, a1 = z, a2 = z, a3 = z;
        FloatVector b0 = z, b1 = z, b2 = z, b3 = z;
        for (int t = 0; t < taps; t++) {
            int p = corner + offsets[t];
            FloatVector wa = FloatVector.fromArray(S, packed, w0 + t * V);
            FloatVector wb = FloatVector.fromArray(S, packed, w1 + t * V);
            FloatVector v0 = FloatVector.broadcast(S, x[p]);
            FloatVector v1 = FloatVector.broadcast(S, x[p + sx]);
            FloatVector v2 = FloatVector.broadcast(S, x[p + 2 * sx]);
            FloatVector v3 = FloatVector.broadcast(S, x[p + 3 * sx]);
            a0 = v0.fma(wa, a0);
            a1 = v1.fma(wa, a1);
            a2 = v2.fma(wa, a2);
            a3 = v3.fma(wa, a3);
            b0 = v0.fma(wb, b0);
            b1 = v1.fma(wb, b1);
            b2 = v2.fma(wb, b2);
            b3 = v3.fma(wb, b3);
        }
        // The epilogue here, not in a helper: vectors passed to a call that is not inlined
        // are boxed.
        Activation act = ep.activation();
        FloatVector sc = ep.scale() == null ? FloatVector.broadcast(S, 1f) : FloatVector.fromArray(S, ep.scale(), mb * V);
        FloatVector sf = ep.shift() == null ? z : FloatVector.fromArray(S, ep.shift(), mb * V);
        act.apply(a0.fma(sc, sf)).intoArray(y, yo);
        act.apply(a1.fma(sc, sf)).intoArray(y, yo + V);
        act.apply(a2.fma(sc, sf)).intoArray(y, yo + 2 * V);
        act.apply(a3.fma(sc, sf)).intoArray(y, yo + 3 * V);
        if (pair) {
            int yb = yo + blockStride;
            sc = ep.scale() == null ? sc : FloatVector.fromArray(S, ep.scale(), (mb + 1) * V);
            sf = ep.shift() == null ? z : FloatVector.fromArray(S, ep.shift(), (mb + 1) * V);
            act.apply(b0.fma(sc, sf)).intoArray(y, yb);
            act.apply(b1.fma(sc, sf)).intoArray(y, yb + V);
            act.apply(b2.fma(sc, sf)).intoArray(y, yb + 2 * V);
            act.apply(b3.fma(sc, sf)).intoArray(y, yb + 3 * V);
        }
    }

    /** One pixel of one output block (rows narrower than a tile). */
    private void pixel(float[] x, int corner, int[] offsets, int mb, float[] y, int yo, Epilogue ep) {
        int taps = c * kh * kw;
        int w0 = mb * taps * V;
        FloatVector acc = FloatVector.zero(S);
        for (int t = 0; t < taps; t++) {
            acc = FloatVector.broadcast(S, x[corner + offsets[t]]).fma(FloatVector.fromArray(S, packed, w0 + t * V), acc);
        }
        FloatVector sc = ep.scale() == null ? FloatVector.broadcast(S, 1f) : FloatVector.fromArray(S, ep.scale(), mb * V);
        FloatVector sf = ep.shift() == null ? FloatVector.zero(S) : FloatVector.fromArray(S, ep.shift(), mb * V);
        ep.activation().apply(acc.fma(sc, sf)).intoArray(y, yo);
    }
}
