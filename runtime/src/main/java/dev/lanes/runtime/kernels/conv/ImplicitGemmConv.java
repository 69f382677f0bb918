package dev.lanes.runtime.kernels.conv;

import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.gemm.Epilogue;
import dev.lanes.runtime.kernels.gemm.ImplicitTiles;
import dev.lanes.runtime.kernels.gemm.PackedA;
import dev.lanes.runtime.kernels.gemm.Sgemm;
import dev.lanes.runtime.kernels.simd.PaddedRows;
import dev.lanes.runtime.kernels.spatial.ConvAttributes;
import dev.lanes.runtime.kernels.spatial.Window;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;

/**
 * A 1-D or 2-D convolution with one group whose K (input channels times kernel area) fits one
 * GEMM block, as an implicit GEMM: the input is copied once per image into padded,
 * phase-split rows ({@link PaddedRows}), where every tap of a vector of consecutive outputs is
 * one contiguous load at a fixed offset, and the register tiles ({@link ImplicitTiles}) read
 * B from there instead of from packed panels. Stems (3 channels, 3x3 to 7x7, stride 2) are the
 * case: their im2col packing, one copy per element of B against only M multiply-adds per
 * element, cost more than the arithmetic. Any stride, dilation and non-negative padding; other
 * shapes are handed to {@link GemmConv}. Inputs and output as {@link GemmConv}.
 */
public final class ImplicitGemmConv implements Kernel {
    private static final int VL = ImplicitTiles.width();
    /** Floats of padded input a task's rows should span: L2-sized, reused by every panel. */
    private static final int CHUNK_FLOATS = 32 * 1024;
    /** Tasks per thread (see Sgemm: several even out cores of unequal speed). */
    private static final int TASKS_PER_THREAD = 4;

    private final ConvAttributes attrs;
    private final Tensor weights;
    private final PackedA packed;
    private final Epilogue epilogue;
    private final boolean hasResidual;
    private final ConcatSlice slice;
    private final GemmConvFallback fallback;

    /**
     * A convolution.
     *
     * @param attrs       the resolved attributes (one group)
     * @param weights     the constant weights (packed now), or null when W comes at run time
     * @param epilogue    what follows the convolution and its bias
     * @param hasResidual true when input 3 is a residual added before the activation
     */
    public ImplicitGemmConv(ConvAttributes attrs, Tensor weights, Epilogue epilogue,
            boolean hasResidual) {
        this(attrs, weights, epilogue, hasResidual, null);
    }

    /**
     * A convolution that writes its output into a slice of its Concat's output (see
     * {@link ConcatSlice}; no residual then), or into its own output when {@code slice} is null.
     */
    public ImplicitGemmConv(ConvAttributes attrs, Tensor weights, Epilogue epilogue,
            boolean hasResidual, ConcatSlice slice) {
        if (slice != null && hasResidual) {
            // The residual is read at the offsets the output is written to.
            throw new IllegalArgumentException("an implicit-GEMM Conv into a Concat takes no"
                    + " residual");
        }
        this.slice = slice;
        this.attrs = attrs;
        this.weights = weights;
        this.packed = GemmConv.packable(weights, 1) && attrs.group() == 1
                && depth(weights.shapeView()) <= Sgemm.KC ? GemmConv.pack(weights, 1)[0] : null;
        this.epilogue = epilogue;
        this.hasResidual = hasResidual;
        this.fallback = new GemmConvFallback(attrs, weights, epilogue, hasResidual, slice);
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        new ConvCodecs.ConvParams(attrs, weights, epilogue, hasResidual, slice).write(out);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters, packing its weights again. */
    static ImplicitGemmConv readParams(ParamReader in) {
        ConvCodecs.ConvParams p = ConvCodecs.ConvParams.read(in);
        return new ImplicitGemmConv(p.attrs(), p.weights(), p.epilogue(), p.residual(),
                p.slice());
    }

    /** K of weights [M, C, k...]: C times the kernel's size. */
    private static long depth(int[] ws) {
        long k = 1;
        for (int i = 1; i < ws.length; i++) {
            k *= ws[i];
        }
        return k;
    }

    /** True when weights of this shape (known) give a K that fits one block, one group. */
    public static boolean supports(ConvAttributes a, int[] wShape) {
        return a.group() == 1 && wShape != null && (wShape.length == 3 || wShape.length == 4)
                && Arrays.stream(wShape).allMatch(d -> d > 0) && depth(wShape) <= Sgemm.KC;
    }

    /** The padded layout and the tap offsets of the last input shape seen. */
    private record Geometry(int[] x, int[] w, PaddedRows rows, int[] off) {
    }

    private volatile Geometry cached;

    private Geometry geometry(Window win, int[] xShape, int[] wShape, int c) {
        Geometry g = cached;
        if (g != null && Arrays.equals(g.x, xShape) && Arrays.equals(g.w, wShape)) {
            return g;
        }
        PaddedRows rows = new PaddedRows(win);
        int taps = win.k[1] * win.k[2];
        int plane = rows.planeSize();
        int[] off = new int[c * taps];
        for (int ch = 0; ch < c; ch++) {
            for (int t = 0; t < taps; t++) {
                off[ch * taps + t] = ch * plane + rows.tap(t);
            }
        }
        g = new Geometry(xShape.clone(), wShape.clone(), rows, off);
        cached = g;
        return g;
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        Tensor w = in[1];
        Window win = attrs.convWindow(x, w);
        if (win.rank > 2 || !PaddedRows.covers(win) || attrs.group() != 1
                || depth(w.shapeView()) > Sgemm.KC || x.dim(1) != w.dim(1)) {
            return fallback.get().run(in, ctx);
        }
        int n = x.dim(0);
        int c = x.dim(1);
        int m = w.dim(0);
        float[] bias = ConvAttributes.bias(in.length > 2 ? in[2] : null, m);
        ConvEpilogue.check("Conv", epilogue, m);
        int[] outShape = ConvAttributes.outShape(n, m, win);
        float[] res = ConvEpilogue.residual("Conv", hasResidual && in.length > 3 ? in[3] : null,
                outShape);
        // Every output element is written below.
        Tensor out = slice == null ? ctx.output(outShape) : slice.target(in, outShape, ctx);
        if (out.size() == 0) {
            return new Tensor[] {out};
        }
        PackedA a = packed != null && (w == weights || w.floats() == weights.floats())
                ? packed : GemmConv.pack(w, 1)[0];
        Epilogue ep = ConvEpilogue.withBias(epilogue, bias);
        Geometry geo = geometry(win, x.shapeView(), w.shapeView(), c);
        PaddedRows rows = geo.rows;
        int plane = rows.planeSize();
        float[] pin = ctx.scratch(Math.multiplyExact(c, plane));
        float[] xs = x.floats();
        float[] ys = out.floats();
        int inSize = win.inSize();
        int oh = rows.outH;
        int threads = ctx.threads();
        int chunk = Math.max(1, (CHUNK_FLOATS / Math.max(1, c * rows.rowPitch) - rows.kh)
                / rows.sh);
        chunk = Math.max(1, Math.min(chunk, (oh + TASKS_PER_THREAD * threads - 1)
                / (TASKS_PER_THREAD * threads)));
        int step = chunk;
        int tasks = (oh + chunk - 1) / chunk;
        for (int img = 0; img < n; img++) {
            int xImg = img * c * inSize;
            ctx.pool().parallelFor(c, ch -> rows.fillPlane(xs, xImg + ch * inSize, pin,
                    ch * plane));
            int yImg = slice == null ? img * m * win.outSize()
                    : slice.imageOffset(img, win.outSize());
            ctx.pool().parallelFor(tasks, t -> outputRows(a, geo, pin, ys, yImg, ep, res,
                    t * step, Math.min(oh, (t + 1) * step)));
        }
        ctx.releaseScratch(pin);
        return new Tensor[] {out};
    }

    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(
            () -> new float[12 * VL]);

    /** Output rows {@code [oy0, oy1)} of every channel, A's row panels outermost. */
    private static void outputRows(PackedA a, Geometry geo, float[] pin, float[] y, int yImg,
            Epilogue ep, float[] res, int oy0, int oy1) {
        PaddedRows rows = geo.rows;
        int[] off = geo.off;
        int k = a.depth();
        int m = a.rows();
        int mr = Sgemm.MR;
        int ow = rows.outW;
        int plane = rows.outH * ow;
        float[] ad = a.data();
        float[] acc = TILE.get();
        boolean epilogue = !ep.isIdentity() || res != null;
        for (int p = 0, row = 0; row < m; p++, row += mr) {
            int tileRows = Math.min(mr, m - row);
            int ao = p * k * mr;
            // Twelve-row tiles on a 12-row panel while more than 8 rows are left.
            boolean twelve = mr == 12 && tileRows > 8;
            int tile = twelve ? 12 : Math.min(8, mr);
            for (int oy = oy0; oy < oy1; oy++) {
                int base0 = rows.rowBase(oy, 0);
                int yRow = yImg + row * plane + oy * ow;
                for (int ox = 0; ox < ow; ox += VL) {
                    int width = Math.min(VL, ow - ox);
                    int o = yRow + ox;
                    boolean direct = width == VL && tileRows == tile;
                    float[] dst = direct ? y : acc;
                    int at = direct ? o : 0;
                    int ld = direct ? plane : VL;
                    if (twelve) {
                        ImplicitTiles.tile12(ad, ao, pin, off, base0 + ox, k, dst, at, ld);
                    } else {
                        ImplicitTiles.tile8(ad, ao, pin, off, base0 + ox, k, dst, at, ld);
                    }
                    if (!direct) {
                        for (int i = 0; i < tileRows; i++) {
                            System.arraycopy(acc, i * VL, y, o + i * plane, width);
                        }
                    }
                    if (epilogue) {
                        ep.applyTile(y, o, plane, row, tileRows, width, res, o, plane);
                    }
                }
            }
        }
    }
}
