package dev.lanes.runtime.kernels.conv;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.gemm.Epilogue;
import dev.lanes.runtime.kernels.gemm.PackedA;
import dev.lanes.runtime.kernels.gemm.RowMajorB;
import dev.lanes.runtime.kernels.gemm.Sgemm;
import dev.lanes.runtime.kernels.spatial.ConvAttributes;
import dev.lanes.runtime.kernels.simd.Interleave4;
import dev.lanes.runtime.kernels.spatial.Window;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A 2-D 3x3 convolution with stride 1, dilation 1 and one group (any pads) by Winograd's
 * F(4x4, 3x3) (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks", 2016, with
 * the interpolation points 0, 1, -1, 2, -2): each 4x4 output tile comes from a 6x6 input tile
 * with 36 multiplications per channel pair instead of 144.
 *
 * <p>The weights are transformed once ({@code U = G g G^T}, in double precision) into 36
 * packed GEMM left operands [M x C]. A run cuts each image's tiles into blocks sized so a
 * block's transformed input stays in L2, and per block: transforms the input
 * ({@code V = B^T d B}, eight or sixteen tiles per vector), runs the 36 GEMMs
 * {@code M_e = U_e V_e}, then transforms the output ({@code Y = A^T M A}) into place and applies
 * the epilogue to the rows it wrote. Blocks are spread over threads; when there are fewer blocks
 * than threads the GEMMs split their work instead. Inputs and output as {@link GemmConv}.
 *
 * <p>A run with fewer than {@link #MIN_TILES} tiles (7x7 planes at batch 1 have 4) is handed to
 * an im2col {@link GemmConv}: with so few columns the GEMMs only stream the transformed
 * weights, four times the size of the plain ones, from memory.
 */
public final class WinogradF4x4Conv3x3 implements Kernel {
    /** Positions of a transformed 6x6 tile. */
    static final int E = 36;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * Budget of one block's transformed input, in floats (1 MiB). Every block reads all of U
     * (36 M C floats), so small blocks multiply that traffic; V, written once and read once in
     * order, streams well from L3. Against 256 KiB blocks it measured 1.25x faster at 64
     * channels 56x56 and 1.4x at 128 x 28x28 (one core, noisy machine).
     */
    private static final int BLOCK_FLOATS = 256 * 1024;

    /**
     * Fewest tiles in a run (over the batch) for the transforms to pay: below it the GEMMs are
     * bound by reading U. Measured here: 16 tiles (256 channels, 14x14) ran 2.5x faster than
     * im2col, 4 tiles (512 channels, 7x7) 1.4x slower.
     */
    public static final int MIN_TILES = 12;
    /** Tasks per thread a threaded run aims at. */
    private static final int TASKS_PER_THREAD = 4;
    /** Fewest tiles of a block cut for threads: 64 flops per element of U read. */
    private static final int MIN_BLOCK_TILES = 32;

    private final ConvAttributes attrs;
    private final Tensor weights;
    private final PackedA[] packed;
    private final Epilogue epilogue;
    private final boolean hasResidual;
    private final ConcatSlice slice;
    private final GemmConvFallback fallback;

    /**
     * A convolution.
     *
     * @param attrs       the resolved attributes (3x3, stride 1, dilation 1, group 1)
     * @param weights     the constant weights (transformed now), or null when W comes at run time
     * @param epilogue    what follows the convolution and its bias
     * @param hasResidual true when input 3 is a residual added before the activation
     */
    public WinogradF4x4Conv3x3(ConvAttributes attrs, Tensor weights, Epilogue epilogue,
            boolean hasResidual) {
        this(attrs, weights, epilogue, hasResidual, null);
    }

    /**
     * A convolution that writes its output into a slice of its Concat's output (see
     * {@link ConcatSlice}; no residual then), or into its own output when {@code slice} is null.
     */
    public WinogradF4x4Conv3x3(ConvAttributes attrs, Tensor weights, Epilogue epilogue,
            boolean hasResidual, ConcatSlice slice) {
        if (slice != null && hasResidual) {
            // The output transform reads the residual where it writes the output.
            throw new IllegalArgumentException("a Winograd Conv into a Concat takes no residual");
        }
        if (!supports(attrs, weights == null ? null : weights.shapeView())) {
            throw new IllegalArgumentException("Winograd F(4x4,3x3) needs a 2-D 3x3 kernel with"
                    + " stride 1, dilation 1 and group 1");
        }
        this.attrs = attrs;
        this.weights = weights;
        this.packed = weights == null || !weights.dtype().isFloat() || weights.rank() != 4
                ? null : transform(weights);
        this.epilogue = epilogue;
        this.hasResidual = hasResidual;
        this.slice = slice;
        this.fallback = new GemmConvFallback(attrs, weights, epilogue, hasResidual, slice);
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        new ConvCodecs.ConvParams(attrs, weights, epilogue, hasResidual, slice).write(out);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters, packing its weights again. */
    static WinogradF4x4Conv3x3 readParams(ParamReader in) {
        ConvCodecs.ConvParams p = ConvCodecs.ConvParams.read(in);
        return new WinogradF4x4Conv3x3(p.attrs(), p.weights(), p.epilogue(), p.residual(),
                p.slice());
    }

    /**
     * True unless the attributes or the weight shape (when known) rule this algorithm out; a
     * kernel size known only at run time is checked then.
     */
    public static boolean supports(ConvAttributes a, int[] wShape) {
        if (a.group() != 1 || !allOnes(a.strides()) || !allOnes(a.dilations())) {
            return false;
        }
        int[] k = a.kernelShape();
        if (k == null && wShape != null) {
            k = wShape.length == 4 ? new int[] {wShape[2], wShape[3]} : new int[0];
        }
        return k == null || (k.length == 2 && k[0] == 3 && k[1] == 3);
    }

    private static boolean allOnes(int[] v) {
        if (v != null) {
            for (int x : v) {
                if (x != 1) {
                    return false;
                }
            }
        }
        return true;
    }

    /** G, 6 x 3. */
    private static final double[][] G = {
        {1 / 4.0, 0, 0},
        {-1 / 6.0, -1 / 6.0, -1 / 6.0},
        {-1 / 6.0, 1 / 6.0, -1 / 6.0},
        {1 / 24.0, 1 / 12.0, 1 / 6.0},
        {1 / 24.0, -1 / 12.0, 1 / 6.0},
        {0, 0, 1}};

    /** U_e [M x C] for each of the 36 transformed positions, packed. */
    static PackedA[] transform(Tensor w) {
        int m = w.dim(0);
        int c = w.dim(1);
        if (w.dim(2) != 3 || w.dim(3) != 3) {
            throw new ShapeException("Conv: Winograd F(4x4,3x3) got W "
                    + Arrays.toString(w.shapeView()));
        }
        float[] g = w.floats();
        float[] u = new float[Math.multiplyExact(E, Math.multiplyExact(m, c))];
        double[] t = new double[18];
        for (int o = 0; o < m; o++) {
            for (int i = 0; i < c; i++) {
                int b = (o * c + i) * 9;
                // t = G g (6x3), then U = t G^T (6x6).
                for (int r = 0; r < 6; r++) {
                    for (int col = 0; col < 3; col++) {
                        t[r * 3 + col] = G[r][0] * g[b + col] + G[r][1] * g[b + 3 + col]
                                + G[r][2] * g[b + 6 + col];
                    }
                }
                for (int r = 0; r < 6; r++) {
                    for (int q = 0; q < 6; q++) {
                        double v = t[r * 3] * G[q][0] + t[r * 3 + 1] * G[q][1]
                                + t[r * 3 + 2] * G[q][2];
                        u[((r * 6 + q) * m + o) * c + i] = (float) v;
                    }
                }
            }
        }
        PackedA[] a = new PackedA[E];
        for (int e = 0; e < E; e++) {
            a[e] = PackedA.pack(u, e * m * c, c, m, c, false);
        }
        return a;
    }

    /** Per-thread work arrays, grown as needed. */
    private static final class Scratch {
        float[] v = new float[0];
        float[] mo = new float[0];
        float[] phases = new float[0];
        /**
         * The transforms' intermediate: 24 vectors (36 for the input), the output's 16 after
         * them, then the residual's 16.
         */
        float[] tmp = new float[(24 + E) * L];

        float[] v(int n) {
            return v.length >= n ? v : (v = new float[n]);
        }

        float[] mo(int n) {
            return mo.length >= n ? mo : (mo = new float[n]);
        }

        float[] phases(int n) {
            return phases.length >= n ? phases : (phases = new float[n]);
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** One run's fixed facts, shared by its blocks. */
    private record Geometry(int c, int m, int h, int w, int pt, int pl, int oh, int ow, int th,
            int tw, int blockTiles, ConcatSlice slice) {
        int tiles() {
            return th * tw;
        }

        /** Distance between the rows of a block's V and M matrices: room for vector overrun. */
        int pitch() {
            return blockTiles + L;
        }
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        Tensor w = in[1];
        Window win = attrs.convWindow(x, w);
        if (win.rank != 2 || win.k[1] != 3 || win.k[2] != 3) {
            throw new ShapeException("Conv: Winograd F(4x4,3x3) got W "
                    + Arrays.toString(w.shapeView()));
        }
        int n = x.dim(0);
        int c = x.dim(1);
        int m = w.dim(0);
        float[] bias = ConvAttributes.bias(in.length > 2 ? in[2] : null, m);
        ConvEpilogue.check("Conv", epilogue, m);
        int oh = win.out[1];
        int ow = win.out[2];
        int[] outShape = {n, m, oh, ow};
        float[] res = ConvEpilogue.residual("Conv", hasResidual && in.length > 3 ? in[3] : null,
                outShape);
        // Every output element is written by the output transform, after the residual's values
        // at its place were read into the tile: the output may go over the residual.
        Tensor out = slice != null ? slice.target(in, outShape, ctx)
                : hasResidual && in.length > 3 ? ctx.outputOver(in[3], outShape)
                : ctx.output(outShape);
        if (out.size() == 0) {
            return new Tensor[] {out};
        }
        PackedA[] u = packed != null && (w == weights || w.floats() == weights.floats())
                ? packed : transform(w);
        Epilogue ep = ConvEpilogue.withBias(epilogue, bias);
        int th = (oh + 3) / 4;
        int tw = (ow + 3) / 4;
        int tiles = th * tw;
        if ((long) n * tiles < MIN_TILES) {
            return fallback.get().run(in, ctx);
        }
        int threads = ctx.threads();
        // Several blocks per thread (the pool balances them over unequal cores), but not so
        // small that reading U for each block outweighs its multiplications; and a block for
        // each thread at least (with GEMMs split across threads instead, 256 channels at 14x14
        // ran 2x slower).
        int perThread = (n * tiles + threads - 1) / threads;
        int perTask = (n * tiles + TASKS_PER_THREAD * threads - 1) / (TASKS_PER_THREAD * threads);
        int want = Math.max(perTask, Math.min(MIN_BLOCK_TILES, perThread));
        int sized = Math.min(Math.min(Math.max(L, BLOCK_FLOATS / (E * c) / L * L),
                Math.max(L, (want + L - 1) / L * L)), (tiles + L - 1) / L * L);
        int perImage = (tiles + sized - 1) / sized;
        if (threads > 1) {
            // At most one block per thread: one block per thread, of equal sizes. Rounded up
            // to whole vectors, 49 tiles (28x28) were cut into 32 and 17, and one thread did
            // two thirds of the work (0.86-0.90x the time once balanced, two threads).
            if (n == 1 && perImage <= threads) {
                sized = (tiles + threads - 1) / threads;
                perImage = (tiles + sized - 1) / sized;
            }
        }
        int blockTiles = sized;
        int blocksPerImage = perImage;
        Geometry geo = new Geometry(c, m, win.in[1], win.in[2], win.padBegin[1],
                win.padBegin[2], oh, ow, th, tw, blockTiles, slice);
        int tasks = n * blocksPerImage;
        float[] xs = x.floats();
        float[] ys = out.floats();
        if (threads > 1 && tasks >= threads) {
            RunContext serial = RunContext.serial();
            ctx.pool().parallelFor(tasks, t -> block(geo, u, ep, xs, ys, res, t / blocksPerImage,
                    (t % blocksPerImage) * blockTiles, serial));
        } else {
            for (int t = 0; t < tasks; t++) {
                block(geo, u, ep, xs, ys, res, t / blocksPerImage,
                        (t % blocksPerImage) * blockTiles, ctx);
            }
        }
        return new Tensor[] {out};
    }

    /** Tiles {@code [t0, t0 + blockTiles)} of image {@code img}: transform, 36 GEMMs, back. */
    private static void block(Geometry g, PackedA[] u, Epilogue ep, float[] x, float[] y,
            float[] res, int img, int t0, RunContext gemmCtx) {
        int nt = Math.min(g.blockTiles, g.tiles() - t0);
        int pitch = g.pitch();
        Scratch s = SCRATCH.get();
        float[] v = s.v(E * g.c * pitch);
        float[] mo = s.mo(E * g.m * pitch);
        float[] ph = s.phases(24 * (g.tw + 1 + L));
        int xImg = img * g.c * g.h * g.w;
        for (int ch = 0; ch < g.c; ch++) {
            inputTransform(g, x, xImg + ch * g.h * g.w, t0, nt, v, ch * pitch, g.c * pitch, ph,
                    s.tmp);
        }
        for (int e = 0; e < E; e++) {
            Sgemm.multiply(u[e], new RowMajorB(v, e * g.c * pitch, pitch, g.c, nt, false), mo,
                    e * g.m * pitch, pitch, Epilogue.NONE, null, 0, 0, gemmCtx);
        }
        int yImg = g.slice == null ? img * g.m * g.oh * g.ow
                : g.slice.imageOffset(img, g.oh * g.ow);
        for (int o = 0; o < g.m; o++) {
            outputTransform(g, mo, o * pitch, g.m * pitch, t0, nt, y, yImg + o * g.oh * g.ow,
                    o, ep, res, s.tmp);
        }
    }

    /**
     * V = B^T d B for tiles {@code [t0, t0 + nt)} of one channel into
     * {@code v[vo + e * ve + (t - t0)]}, a tile row at a time and L tiles per vector. Tile tx
     * reads input columns {@code 4 tx - pl + (0..5)}: split into the four phases of the column
     * index mod 4 (a scalar gather, once per input row and tile row), those are contiguous runs
     * over tx, so the transform is plain vector arithmetic. A vector may run past the tile row
     * into the next row's places, which that row then overwrites, or into the rows' slack.
     */
    private static void inputTransform(Geometry g, float[] x, int xo, int t0, int nt, float[] v,
            int vo, int ve, float[] ph, float[] tmp) {
        int tw = g.tw;
        int len = tw + 1 + L;
        int end = t0 + nt;
        for (int ty = t0 / tw; ty * tw < end; ty++) {
            int tx0 = Math.max(t0, ty * tw) - ty * tw;
            int tx1 = Math.min(end, (ty + 1) * tw) - ty * tw;
            gather(g, x, xo, ty, tx0, tx1, ph, len);
            for (int tx = tx0; tx < tx1; tx += L) {
                // Rows first: tmp[r * 6 + q] = (B^T d)[r][q] for the six input columns q.
                for (int q = 0; q < 6; q++) {
                    int at = (q < 4 ? q * len + tx : (q - 4) * len + tx + 1);
                    transformB(ph, at, 4 * len, tmp, q * L, 6 * L);
                }
                // Then columns: V[r][q] = (tmp B)[r][q], stored at position e = 6 r + q.
                int at = vo + ty * tw + tx - t0;
                for (int r = 0; r < 6; r++) {
                    transformB(tmp, r * 6 * L, L, v, at + 6 * r * ve, ve);
                }
            }
        }
    }

    /**
     * The six input rows of tile row {@code ty}, columns of tiles {@code [tx0, tx1]}, split by
     * phase: {@code ph[(r * 4 + p) * len + j]} is input row {@code 4 ty - pt + r}, column
     * {@code 4 j + p - pl}, zero outside the input.
     */
    private static void gather(Geometry g, float[] x, int xo, int ty, int tx0, int tx1,
            float[] ph, int len) {
        int jEnd = Math.min(tx1 + 1, g.tw + 1);
        for (int r = 0; r < 6; r++) {
            int iy = 4 * ty - g.pt + r;
            int base = r * 4 * len;
            if (iy < 0 || iy >= g.h) {
                for (int p = 0; p < 4; p++) {
                    Arrays.fill(ph, base + p * len + tx0, base + p * len + jEnd, 0f);
                }
                continue;
            }
            int row = xo + iy * g.w;
            for (int j = tx0; j < jEnd; j++) {
                int ix = 4 * j - g.pl;
                if (ix >= 0 && ix + 3 < g.w) {
                    ph[base + j] = x[row + ix];
                    ph[base + len + j] = x[row + ix + 1];
                    ph[base + 2 * len + j] = x[row + ix + 2];
                    ph[base + 3 * len + j] = x[row + ix + 3];
                } else {
                    for (int p = 0; p < 4; p++) {
                        int col = ix + p;
                        ph[base + p * len + j] = col >= 0 && col < g.w ? x[row + col] : 0f;
                    }
                }
            }
        }
    }

    /**
     * {@code B^T d} for one column {@code d} of six vectors ({@code d_i} at {@code in[at + i *
     * stride]}), into {@code out[o + i * step]}:
     * <pre>
     * 4 d0 - 5 d2 + d4,  -4 d1 - 4 d2 + d3 + d4,  4 d1 - 4 d2 - d3 + d4,
     * -2 d1 - d2 + 2 d3 + d4,  2 d1 - d2 - 2 d3 + d4,  4 d1 - 5 d3 + d5
     * </pre>
     * It loads its own vectors: a call C2 does not inline (a large caller reaches its node
     * limit) would box vector arguments, an allocation per vector.
     */
    private static void transformB(float[] in, int at, int stride, float[] out, int o, int step) {
        FloatVector d0 = FloatVector.fromArray(S, in, at);
        FloatVector d1 = FloatVector.fromArray(S, in, at + stride);
        FloatVector d2 = FloatVector.fromArray(S, in, at + 2 * stride);
        FloatVector d3 = FloatVector.fromArray(S, in, at + 3 * stride);
        FloatVector d4 = FloatVector.fromArray(S, in, at + 4 * stride);
        FloatVector d5 = FloatVector.fromArray(S, in, at + 5 * stride);
        FloatVector four = FloatVector.broadcast(S, 4f);
        FloatVector minusFour = FloatVector.broadcast(S, -4f);
        FloatVector minusFive = FloatVector.broadcast(S, -5f);
        FloatVector a = d2.fma(minusFour, d4);
        FloatVector bq = d1.fma(minusFour, d3);
        FloatVector cq = d4.sub(d2);
        FloatVector dq = d3.sub(d1).mul(2f);
        d0.fma(four, d2.fma(minusFive, d4)).intoArray(out, o);
        a.add(bq).intoArray(out, o + step);
        a.sub(bq).intoArray(out, o + 2 * step);
        cq.add(dq).intoArray(out, o + 3 * step);
        cq.sub(dq).intoArray(out, o + 4 * step);
        d1.fma(four, d3.fma(minusFive, d5)).intoArray(out, o + 5 * step);
    }

    /**
     * Y = A^T M A for tiles {@code [t0, t0 + nt)} of output channel {@code o}: M at
     * {@code mo[at + e * me + (t - t0)]}, L tiles per vector; each tile's 4x4 values are
     * scattered to the output plane at {@code yo} after the epilogue.
     */
    private static void outputTransform(Geometry g, float[] mo, int at, int me, int t0, int nt,
            float[] y, int yo, int o, Epilogue ep, float[] res, float[] tmp) {
        int tw = g.tw;
        int end = t0 + nt;
        boolean plain = ep.isIdentity() && res == null;
        for (int ty = t0 / tw; ty * tw < end; ty++) {
            int tx0 = Math.max(t0, ty * tw) - ty * tw;
            int tx1 = Math.min(end, (ty + 1) * tw) - ty * tw;
            for (int tx = tx0; tx < tx1; tx += L) {
                int base = at + ty * tw + tx - t0;
                // Columns first: tmp[i * 6 + q] = (A^T M)[i][q], rows i < 4.
                for (int q = 0; q < 6; q++) {
                    transformA(mo, base + q * me, 6 * me, tmp, q * L, 6 * L);
                }
                // Then rows: Y[i][j] = (tmp A)[i][j] into tmp[24 L + (i * 4 + j) L].
                for (int i = 0; i < 4; i++) {
                    transformA(tmp, i * 6 * L, L, tmp, 24 * L + i * 4 * L, L);
                }
                finish(g, tmp, ty, tx, Math.min(L, tx1 - tx), y, yo, o, plain ? null : ep, res);
            }
        }
    }

    /**
     * {@code A^T m} for one column {@code m} of six vectors ({@code m_i} at {@code in[at + i *
     * stride]}), into {@code out[o + i * step]}:
     * {@code m0 + m1 + m2 + m3 + m4, m1 - m2 + 2 (m3 - m4), m1 + m2 + 4 (m3 + m4),
     * m1 - m2 + 8 (m3 - m4) + m5}. It loads its own vectors, as {@link #transformB}.
     */
    private static void transformA(float[] in, int at, int stride, float[] out, int o, int step) {
        FloatVector m0 = FloatVector.fromArray(S, in, at);
        FloatVector m1 = FloatVector.fromArray(S, in, at + stride);
        FloatVector m2 = FloatVector.fromArray(S, in, at + 2 * stride);
        FloatVector m3 = FloatVector.fromArray(S, in, at + 3 * stride);
        FloatVector m4 = FloatVector.fromArray(S, in, at + 4 * stride);
        FloatVector m5 = FloatVector.fromArray(S, in, at + 5 * stride);
        FloatVector s12 = m1.add(m2);
        FloatVector d12 = m1.sub(m2);
        FloatVector s34 = m3.add(m4);
        FloatVector d34 = m3.sub(m4);
        m0.add(s12).add(s34).intoArray(out, o);
        d34.fma(FloatVector.broadcast(S, 2f), d12).intoArray(out, o + step);
        s34.fma(FloatVector.broadcast(S, 4f), s12).intoArray(out, o + 2 * step);
        d34.fma(FloatVector.broadcast(S, 8f), d12).add(m5).intoArray(out, o + 3 * step);
    }

    /**
     * The epilogue of channel {@code o} (none if null) over the 16 values of L tiles at once, in
     * the tile layout (the residual's tiles split into it too) rather than row by row after the
     * scatter; then the scatter. Kept out of {@link #outputTransform} so that method stays small
     * enough for C2 to inline its transform calls (vector arguments of a call not inlined are
     * boxed).
     */
    private static void finish(Geometry g, float[] tmp, int ty, int tx, int count, float[] y,
            int yo, int o, Epilogue ep, float[] res) {
        if (ep != null) {
            if (res != null) {
                residualTiles(g, res, yo, ty, tx, count, tmp, 40 * L);
            }
            ep.applyTile(tmp, 24 * L, 0, o, 1, 16 * L, res == null ? null : tmp, 40 * L, 0);
        }
        scatter(g, tmp, 24 * L, ty, tx, count, y, yo);
    }

    /** The 4x4 outputs of {@code count} tiles from {@code tx}, clipped to the output plane. */
    private static void scatter(Geometry g, float[] tmp, int from, int ty, int tx, int count,
            float[] y, int yo) {
        int rows = Math.min(4, g.oh - 4 * ty);
        int col0 = 4 * tx;
        int width = Math.min(4 * count, g.ow - col0);
        for (int i = 0; i < rows; i++) {
            int row = yo + (4 * ty + i) * g.ow + col0;
            int src = from + i * 4 * L;
            if (width == 4 * L) {
                Interleave4.merge(FloatVector.fromArray(S, tmp, src),
                        FloatVector.fromArray(S, tmp, src + L),
                        FloatVector.fromArray(S, tmp, src + 2 * L),
                        FloatVector.fromArray(S, tmp, src + 3 * L), y, row);
            } else {
                for (int j = 0; j < width; j++) {
                    y[row + j] = tmp[src + (j & 3) * L + (j >> 2)];
                }
            }
        }
    }

    /**
     * The inverse of {@link #scatter} for the residual: its values at the places of
     * {@code count} tiles from {@code tx} into {@code tmp[to..]} in the tile layout, 0 outside
     * the plane.
     */
    private static void residualTiles(Geometry g, float[] res, int yo, int ty, int tx,
            int count, float[] tmp, int to) {
        int rows = Math.min(4, g.oh - 4 * ty);
        int col0 = 4 * tx;
        int width = Math.min(4 * count, g.ow - col0);
        for (int i = 0; i < 4; i++) {
            int dst = to + i * 4 * L;
            if (i < rows && width == 4 * L) {
                Interleave4.split(res, yo + (4 * ty + i) * g.ow + col0, tmp, dst, L);
            } else {
                for (int j = 0; j < 4 * L; j++) {
                    tmp[dst + (j & 3) * L + (j >> 2)] = i < rows && j < width
                            ? res[yo + (4 * ty + i) * g.ow + col0 + j] : 0f;
                }
            }
        }
    }
}
