package dev.lanes.runtime.kernels.conv;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.gemm.Activation;
import dev.lanes.runtime.kernels.gemm.Epilogue;
import dev.lanes.runtime.kernels.spatial.ConvAttributes;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A 1x1, stride-1, unpadded, ungrouped convolution over channel blocks
 * ({@link ChannelBlocksReorder}: input and output both in NCHWc), with the epilogue fused.
 *
 * <p>Output pixel p's block of {@code BLOCK} output channels is a sum over input channels k of
 * input value (k, p), broadcast, times the weight vector of those output channels at k. A tile
 * is 12 pixels of one output block: twelve accumulators, one weight load and twelve broadcasts
 * per k, like the GEMM's 12x1 tile, and the result is already in the layout the next blocked
 * kernel reads: no reorder. A strip of 12 pixels is first copied into a small [K][12] panel
 * (see {@link #packPanel}) that all the output blocks of its task read. The weights are packed
 * once, [M / BLOCK][K][BLOCK]. A task takes two strips and all output blocks, or, when that
 * leaves too few tasks for the threads, a share of at least eight blocks.
 *
 * <p>Inputs: X [N, K, spatial...] blocked, W [M, K, 1...] (constant), optional B [M], and, when
 * built with a residual, R of the output's shape, blocked. Output [N, M, spatial...] blocked:
 * {@code act((conv(X, W) + B) * scale + shift + R)}.
 */
public final class BlockedPointwiseConv implements Kernel {
    private static final VectorSpecies<Float> S = DepthwiseChannelBlocks.S;
    private static final int V = ChannelBlocksReorder.BLOCK;
    /** Pixels per tile. */
    static final int PIXELS = 12;
    /** Strips of pixels one task computes for its output blocks. */
    private static final int STRIPS_PER_TASK = 2;
    /**
     * Fewest output blocks a task computes per packed panel when the output blocks are split
     * across tasks (a panel packed for four blocks measured 1.3x slower than for all).
     */
    private static final int MIN_BLOCKS_PER_TASK = 8;
    /** Tasks per thread wanted, for an even spread over threads of unequal speed. */
    private static final int TASKS_PER_THREAD = 4;

    private final int m;
    private final int k;
    private final float[] packed;
    /** The weights as given, kept for saving the plan (the packed copy is machine-bound). */
    private final Tensor weights;
    private final Epilogue epilogue;
    private final boolean hasResidual;

    /**
     * A blocked pointwise convolution.
     *
     * @param weights     the constant weights [M, K, 1...], M and K multiples of the block
     * @param epilogue    what follows the convolution and its bias (per output channel)
     * @param hasResidual true when input 3 is a residual added before the activation
     */
    public BlockedPointwiseConv(Tensor weights, Epilogue epilogue, boolean hasResidual) {
        int[] ws = weights.shapeView();
        if (!supportsWeights(ws) || !weights.dtype().isFloat()) {
            throw new ShapeException("blocked 1x1 Conv: W " + Arrays.toString(ws)
                    + " must be FLOAT [M, K, 1...] with M and K multiples of " + V);
        }
        this.m = ws[0];
        this.k = ws[1];
        this.packed = pack(weights.floats(), m, k);
        this.weights = weights;
        this.epilogue = epilogue;
        this.hasResidual = hasResidual;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putTensor("weights", weights).putRecord("epilogue", epilogue, Epilogue::writeTo)
                .putBool("residual", hasResidual);
        ConvCodecs.writeBlock(out);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters, packing its weights again. */
    static BlockedPointwiseConv readParams(ParamReader in) {
        Tensor w = in.requireTensor("weights");
        Epilogue ep = in.requireRecord("epilogue", Epilogue::readFrom);
        boolean residual = in.getBool("residual");
        ConvCodecs.checkBlock(in);
        return new BlockedPointwiseConv(w, ep, residual);
    }

    /** True when W's shape suits: [M, K, 1...] with M and K multiples of the block. */
    public static boolean supportsWeights(int[] ws) {
        if (ws.length < 3 || ws[0] <= 0 || ws[1] <= 0 || ws[0] % V != 0 || ws[1] % V != 0) {
            return false;
        }
        for (int i = 2; i < ws.length; i++) {
            if (ws[i] != 1) {
                return false;
            }
        }
        return true;
    }

    /** W [M, K] into [M / V][K][V]. */
    static float[] pack(float[] w, int m, int k) {
        float[] p = new float[m * k];
        for (int mb = 0; mb < m / V; mb++) {
            for (int kk = 0; kk < k; kk++) {
                for (int l = 0; l < V; l++) {
                    p[(mb * k + kk) * V + l] = w[(mb * V + l) * k + kk];
                }
            }
        }
        return p;
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        int[] xs = x.shapeView();
        if (xs.length < 3 || xs[1] != k || !x.dtype().isFloat()) {
            throw new ShapeException("blocked 1x1 Conv: X " + Arrays.toString(xs) + " "
                    + x.dtype() + " must be FLOAT [N, " + k + ", spatial...]");
        }
        int n = xs[0];
        int pixels = x.size() / Math.max(1, n * k);
        int[] outShape = xs.clone();
        outShape[1] = m;
        float[] bias = ConvAttributes.bias(in.length > 2 ? in[2] : null, m);
        ConvEpilogue.check("Conv", epilogue, m);
        float[] res = ConvEpilogue.residual("Conv", hasResidual && in.length > 3 ? in[3] : null,
                outShape);
        // Each output vector is stored after the residual's vector at its place was added in
        // registers: the output may go over the residual.
        Tensor out = hasResidual && in.length > 3 ? ctx.outputOver(in[3], outShape)
                : ctx.output(outShape);
        if (out.size() == 0) {
            return new Tensor[] {out};
        }
        Epilogue ep = ConvEpilogue.withBias(epilogue, bias);
        float[] xv = x.floats();
        float[] yv = out.floats();
        int outBlocks = m / V;
        int strips = (pixels + PIXELS - 1) / PIXELS;
        // The last strip overlaps the one before; both go to one task, in order, or an
        // activation applied in place could run twice on the pixels they share.
        int lead = pixels > PIXELS && pixels % PIXELS != 0 ? strips - 1 : strips;
        int chunks = (lead + STRIPS_PER_TASK - 1) / STRIPS_PER_TASK;
        // Every output block per task, unless that leaves too few tasks to share out.
        int wanted = ctx.threads() == 1 ? 1
                : (TASKS_PER_THREAD * ctx.threads() + n * chunks - 1) / (n * chunks);
        int groups = Math.max(1, Math.min(wanted, outBlocks / MIN_BLOCKS_PER_TASK));
        int perGroup = (outBlocks + groups - 1) / groups;
        ctx.pool().parallelFor(n * chunks * groups, t -> {
            int img = t / (chunks * groups);
            int chunk = t / groups % chunks;
            int mb0 = t % groups * perGroup;
            int mb1 = Math.min(outBlocks, mb0 + perGroup);
            int s0 = chunk * STRIPS_PER_TASK;
            int s1 = chunk == chunks - 1 ? strips : s0 + STRIPS_PER_TASK;
            float[] panel = pixels >= PIXELS ? panel(k * PIXELS) : null;
            for (int s = s0; s < s1; s++) {
                strip(xv, img * k * pixels, pixels, yv, img * m * pixels, res, ep, s, mb0, mb1,
                        panel);
            }
        });
        return new Tensor[] {out};
    }

    /**
     * The calling thread's panel, grown as needed: a task takes one, and a 112x112 plane makes
     * hundreds of tasks per run, each of which would otherwise take and hand back an array
     * through the run's synchronized buffer pool.
     */
    private static float[] panel(int length) {
        float[] p = PANEL.get();
        if (p.length < length) {
            p = new float[length];
            PANEL.set(p);
        }
        return p;
    }

    private static final ThreadLocal<float[]> PANEL = ThreadLocal.withInitial(() -> new float[0]);

    /** Output blocks {@code [mb0, mb1)} of one strip of pixels of one image. */
    private void strip(float[] x, int xImg, int pixels, float[] y, int yImg, float[] res,
            Epilogue ep, int strip, int mb0, int mb1, float[] panel) {
        Activation act = ep.activation();
        boolean clamp = act.isClamp();
        float lo = act.clampLow();
        float hi = act.clampHigh();
        int p0;
        int count;
        if (pixels >= PIXELS && (res != y || (strip + 1) * PIXELS <= pixels)) {
            // The last strip overlaps the one before: it writes the same values again. Not when
            // the output is written over the residual: the residual under the overlap is gone,
            // so that strip does only its own pixels, one by one.
            p0 = Math.min(strip * PIXELS, pixels - PIXELS);
            count = PIXELS;
        } else if (pixels >= PIXELS) {
            p0 = strip * PIXELS;
            count = pixels - p0;
        } else {
            p0 = 0;
            count = pixels;
        }
        if (count == PIXELS) {
            packPanel(x, xImg + p0 * V, pixels * V, k, panel);
        }
        for (int mb = mb0; mb < mb1; mb++) {
            int yo = yImg + (mb * pixels + p0) * V;
            if (count == PIXELS) {
                tile12(panel, packed, mb * k * V, k, y, yo, res, ep.scale(), ep.shift(), mb * V,
                        lo, hi);
            } else {
                for (int i = 0; i < count; i++) {
                    tile1(x, xImg + (p0 + i) * V, pixels * V, packed, mb * k * V, k, y,
                            yo + i * V, res, ep.scale(), ep.shift(), mb * V, lo, hi);
                }
            }
            if (!clamp) {
                for (int i = 0; i < count; i++) {
                    int o = yo + i * V;
                    act.apply(FloatVector.fromArray(S, y, o)).intoArray(y, o);
                }
            }
        }
    }

    /**
     * A strip's {@link #PIXELS} pixels, input block b of pixel i at {@code x[xo + b * kStride
     * + i * V]}, into {@code panel} as [K][PIXELS]: the tile's loop over K then reads every
     * broadcast at a constant offset from one linearly growing index, so its bounds checks
     * leave the loop. Read in place, the input's blocks made a loop nest whose inner loop over
     * a block's eight channels re-ran thirteen checks per block (a third of the tile's time
     * at small K); the panel is packed once for all the strip's output blocks.
     */
    static void packPanel(float[] x, int xo, int kStride, int k, float[] panel) {
        for (int kb = 0; kb < k; kb += V) {
            int xb = xo + kb / V * kStride;
            for (int i = 0; i < PIXELS; i++) {
                int src = xb + i * V;
                int dst = kb * PIXELS + i;
                for (int c = 0; c < V; c++) {
                    panel[dst + c * PIXELS] = x[src + c];
                }
            }
        }
    }

    /**
     * Twelve pixels of one output block from a packed panel ({@link #packPanel}), the weights
     * at {@code w[wo]} ([K][V]), the output (and residual) at {@code y[yo + i * V]}; scale and
     * shift per channel at {@code c0} (or null); then a clamp to {@code [lo, hi]}.
     */
    private static void tile12(float[] panel, float[] w, int wo, int k, float[] y, int yo,
            float[] res, float[] scale, float[] shift, int c0, float lo, float hi) {
        FloatVector z = FloatVector.zero(S);
        FloatVector a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z;
        FloatVector a6 = z, a7 = z, a8 = z, a9 = z, a10 = z, a11 = z;
        for (int kk = 0; kk < k; kk++) {
            FloatVector wv = FloatVector.fromArray(S, w, wo + kk * V);
            int q = kk * PIXELS;
            a0 = FloatVector.broadcast(S, panel[q]).fma(wv, a0);
            a1 = FloatVector.broadcast(S, panel[q + 1]).fma(wv, a1);
            a2 = FloatVector.broadcast(S, panel[q + 2]).fma(wv, a2);
            a3 = FloatVector.broadcast(S, panel[q + 3]).fma(wv, a3);
            a4 = FloatVector.broadcast(S, panel[q + 4]).fma(wv, a4);
            a5 = FloatVector.broadcast(S, panel[q + 5]).fma(wv, a5);
            a6 = FloatVector.broadcast(S, panel[q + 6]).fma(wv, a6);
            a7 = FloatVector.broadcast(S, panel[q + 7]).fma(wv, a7);
            a8 = FloatVector.broadcast(S, panel[q + 8]).fma(wv, a8);
            a9 = FloatVector.broadcast(S, panel[q + 9]).fma(wv, a9);
            a10 = FloatVector.broadcast(S, panel[q + 10]).fma(wv, a10);
            a11 = FloatVector.broadcast(S, panel[q + 11]).fma(wv, a11);
        }
        // Vectors made here, not passed in: vector arguments of calls not inlined are boxed.
        FloatVector sc = scale == null ? FloatVector.broadcast(S, 1f)
                : FloatVector.fromArray(S, scale, c0);
        FloatVector sf = shift == null ? z : FloatVector.fromArray(S, shift, c0);
        FloatVector vlo = FloatVector.broadcast(S, lo);
        FloatVector vhi = FloatVector.broadcast(S, hi);
        a0 = a0.fma(sc, sf);
        a1 = a1.fma(sc, sf);
        a2 = a2.fma(sc, sf);
        a3 = a3.fma(sc, sf);
        a4 = a4.fma(sc, sf);
        a5 = a5.fma(sc, sf);
        a6 = a6.fma(sc, sf);
        a7 = a7.fma(sc, sf);
        a8 = a8.fma(sc, sf);
        a9 = a9.fma(sc, sf);
        a10 = a10.fma(sc, sf);
        a11 = a11.fma(sc, sf);
        if (res != null) {
            a0 = a0.add(FloatVector.fromArray(S, res, yo));
            a1 = a1.add(FloatVector.fromArray(S, res, yo + V));
            a2 = a2.add(FloatVector.fromArray(S, res, yo + 2 * V));
            a3 = a3.add(FloatVector.fromArray(S, res, yo + 3 * V));
            a4 = a4.add(FloatVector.fromArray(S, res, yo + 4 * V));
            a5 = a5.add(FloatVector.fromArray(S, res, yo + 5 * V));
            a6 = a6.add(FloatVector.fromArray(S, res, yo + 6 * V));
            a7 = a7.add(FloatVector.fromArray(S, res, yo + 7 * V));
            a8 = a8.add(FloatVector.fromArray(S, res, yo + 8 * V));
            a9 = a9.add(FloatVector.fromArray(S, res, yo + 9 * V));
            a10 = a10.add(FloatVector.fromArray(S, res, yo + 10 * V));
            a11 = a11.add(FloatVector.fromArray(S, res, yo + 11 * V));
        }
        // A compare and a blend per bound (FloatVector.max/min cost five instructions on AVX2).
        a0 = a0.blend(vlo, a0.compare(VectorOperators.LT, vlo));
        a1 = a1.blend(vlo, a1.compare(VectorOperators.LT, vlo));
        a2 = a2.blend(vlo, a2.compare(VectorOperators.LT, vlo));
        a3 = a3.blend(vlo, a3.compare(VectorOperators.LT, vlo));
        a4 = a4.blend(vlo, a4.compare(VectorOperators.LT, vlo));
        a5 = a5.blend(vlo, a5.compare(VectorOperators.LT, vlo));
        a6 = a6.blend(vlo, a6.compare(VectorOperators.LT, vlo));
        a7 = a7.blend(vlo, a7.compare(VectorOperators.LT, vlo));
        a8 = a8.blend(vlo, a8.compare(VectorOperators.LT, vlo));
        a9 = a9.blend(vlo, a9.compare(VectorOperators.LT, vlo));
        a10 = a10.blend(vlo, a10.compare(VectorOperators.LT, vlo));
        a11 = a11.blend(vlo, a11.compare(VectorOperators.LT, vlo));
        a0.blend(vhi, a0.compare(VectorOperators.GT, vhi)).intoArray(y, yo);
        a1.blend(vhi, a1.compare(VectorOperators.GT, vhi)).intoArray(y, yo + V);
        a2.blend(vhi, a2.compare(VectorOperators.GT, vhi)).intoArray(y, yo + 2 * V);
        a3.blend(vhi, a3.compare(VectorOperators.GT, vhi)).intoArray(y, yo + 3 * V);
        a4.blend(vhi, a4.compare(VectorOperators.GT, vhi)).intoArray(y, yo + 4 * V);
        a5.blend(vhi, a5.compare(VectorOperators.GT, vhi)).intoArray(y, yo + 5 * V);
        a6.blend(vhi, a6.compare(VectorOperators.GT, vhi)).intoArray(y, yo + 6 * V);
        a7.blend(vhi, a7.compare(VectorOperators.GT, vhi)).intoArray(y, yo + 7 * V);
        a8.blend(vhi, a8.compare(VectorOperators.GT, vhi)).intoArray(y, yo + 8 * V);
        a9.blend(vhi, a9.compare(VectorOperators.GT, vhi)).intoArray(y, yo + 9 * V);
        a10.blend(vhi, a10.compare(VectorOperators.GT, vhi)).intoArray(y, yo + 10 * V);
        a11.blend(vhi, a11.compare(VectorOperators.GT, vhi)).intoArray(y, yo + 11 * V);
    }

    /** One pixel of one output block (planes of fewer pixels than a tile). */
    private static void tile1(float[] x, int xo, int kStride, float[] w, int wo, int k,
            float[] y, int yo, float[] res, float[] scale, float[] shift, int c0, float lo,
            float hi) {
        FloatVector acc = FloatVector.zero(S);
        for (int kb = 0; kb < k; kb += V) {
            int xb = xo + kb / V * kStride;
            for (int kk = 0; kk < V; kk++) {
                acc = FloatVector.broadcast(S, x[xb + kk])
                        .fma(FloatVector.fromArray(S, w, wo + (kb + kk) * V), acc);
            }
        }
        FloatVector sc = scale == null ? FloatVector.broadcast(S, 1f)
                : FloatVector.fromArray(S, scale, c0);
        FloatVector sf = shift == null ? FloatVector.zero(S) : FloatVector.fromArray(S, shift, c0);
        acc = acc.fma(sc, sf);
        if (res != null) {
            acc = acc.add(FloatVector.fromArray(S, res, yo));
        }
        FloatVector vlo = FloatVector.broadcast(S, lo);
        FloatVector vhi = FloatVector.broadcast(S, hi);
        acc = acc.blend(vlo, acc.compare(VectorOperators.LT, vlo));
        acc.blend(vhi, acc.compare(VectorOperators.GT, vhi)).intoArray(y, yo);
    }
}
