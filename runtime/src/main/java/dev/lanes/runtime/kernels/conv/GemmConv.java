package dev.lanes.runtime.kernels.conv;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.gemm.BSource;
import dev.lanes.runtime.kernels.gemm.Epilogue;
import dev.lanes.runtime.kernels.gemm.PackedA;
import dev.lanes.runtime.kernels.gemm.RowMajorB;
import dev.lanes.runtime.kernels.gemm.Sgemm;
import dev.lanes.runtime.kernels.spatial.ConvAttributes;
import dev.lanes.runtime.kernels.spatial.Window;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;

/**
 * Conv (1-D to 3-D, any pads, strides, dilations and groups) as one packed GEMM per image and
 * group: the weights of the group ([M/group x C/group * kernel]) times its im2col matrix, which
 * {@link Im2colSource} builds block by block inside the GEMM's packing, or, for a 1x1 stride-1
 * unpadded convolution, the input itself ({@link RowMajorB}, no im2col). Weights given at
 * construction are packed once; otherwise they are packed on every run. The epilogue (the bias,
 * then a folded scale and shift, a residual and an activation) is applied by the GEMM to each
 * tile before it is stored.
 *
 * <p>Inputs: X [N, C, spatial...], W [M, C/group, k...], optional B [M], and, when built with
 * a residual, R of the output's shape [N, M, out...]. Output:
 * {@code act((conv(X, W) + B) * scale + shift + R)}.
 */
public final class GemmConv implements Kernel {
    private final ConvAttributes attrs;
    private final Tensor weights;
    private final PackedA[] packed;
    private final Epilogue epilogue;
    private final boolean hasResidual;
    private final ConcatSlice slice;

    /**
     * A convolution.
     *
     * @param attrs       the resolved attributes
     * @param weights     the constant weights (packed now), or null when W comes at run time
     * @param epilogue    what follows the convolution and its bias (per output channel)
     * @param hasResidual true when input 3 is a residual added before the activation
     */
    public GemmConv(ConvAttributes attrs, Tensor weights, Epilogue epilogue,
            boolean hasResidual) {
        this(attrs, weights, epilogue, hasResidual, null);
    }

    /**
     * A convolution that writes its output into a slice of its Concat's output (see
     * {@link ConcatSlice}), or into its own output when {@code slice} is null.
     */
    public GemmConv(ConvAttributes attrs, Tensor weights, Epilogue epilogue,
            boolean hasResidual, ConcatSlice slice) {
        this.slice = slice;
        this.attrs = attrs;
        this.weights = weights;
        this.packed = packable(weights, attrs.group()) ? pack(weights, attrs.group()) : null;
        this.epilogue = epilogue;
        this.hasResidual = hasResidual;
    }

    /** A plain convolution (bias only, no residual) with weights given at run time. */
    public GemmConv(ConvAttributes attrs) {
        this(attrs, null, Epilogue.NONE, false);
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        new ConvCodecs.ConvParams(attrs, weights, epilogue, hasResidual, slice).write(out);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters, packing its weights again. */
    static GemmConv readParams(ParamReader in) {
        ConvCodecs.ConvParams p = ConvCodecs.ConvParams.read(in);
        return new GemmConv(p.attrs(), p.weights(), p.epilogue(), p.residual(),
                p.slice());
    }

    /**
     * True when constant weights can be packed ahead: FLOAT, rank 3 to 5, filters a multiple of
     * the groups. Other weights are left for the run to reject with the usual shape error.
     */
    static boolean packable(Tensor w, int groups) {
        return w != null && w.dtype().isFloat() && w.rank() >= 3 && w.rank() <= 5
                && w.dim(0) % groups == 0;
    }

    /** The weights of each group packed as GEMM left operands. */
    static PackedA[] pack(Tensor w, int groups) {
        int[] ws = w.shapeView();
        if (ws.length < 3 || ws[0] % groups != 0) {
            throw new ShapeException("Conv: W " + Arrays.toString(ws)
                    + " must have rank 3 to 5 and a multiple of group " + groups + " filters");
        }
        int mg = ws[0] / groups;
        int kdim = w.size() / Math.max(ws[0], 1);
        PackedA[] a = new PackedA[groups];
        for (int g = 0; g < groups; g++) {
            a[g] = PackedA.pack(w.floats(), g * mg * kdim, kdim, mg, kdim, false);
        }
        return a;
    }

    /** The im2col tables of the last input shape seen: rebuilt only when the shape changes. */
    private record CachedGeometry(int[] x, int[] w, Im2colSource.Geometry geometry) {
    }

    private volatile CachedGeometry cached;

    private Im2colSource.Geometry geometry(Window win, int[] xShape, int[] wShape) {
        CachedGeometry c = cached;
        if (c != null && Arrays.equals(c.x, xShape) && Arrays.equals(c.w, wShape)) {
            return c.geometry;
        }
        Im2colSource.Geometry g = new Im2colSource.Geometry(win);
        cached = new CachedGeometry(xShape.clone(), wShape.clone(), g);
        return g;
    }

    /** True when the window is 1x1 with stride 1 and no padding: the input is the GEMM's B. */
    static boolean isPointwise(Window win) {
        for (int a = 0; a < 3; a++) {
            if (win.k[a] != 1 || win.s[a] != 1 || win.padBegin[a] != 0 || win.padEnd[a] != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        Tensor w = in[1];
        Window win = attrs.convWindow(x, w);
        int n = x.dim(0);
        int c = x.dim(1);
        int m = w.dim(0);
        int g = attrs.group();
        int cg = c / g;
        int mg = m / g;
        float[] bias = ConvAttributes.bias(in.length > 2 ? in[2] : null, m);
        ConvEpilogue.check("Conv", epilogue, m);
        int[] outShape = ConvAttributes.outShape(n, m, win);
        float[] res = ConvEpilogue.residual("Conv", hasResidual && in.length > 3 ? in[3] : null,
                outShape);
        // Every output element is written by the GEMM, so a recycled array is fine.
        Tensor out = slice == null ? ctx.output(outShape) : slice.target(in, outShape, ctx);
        if (out.size() == 0) {
            return new Tensor[] {out};
        }
        PackedA[] a = packed != null && (w == weights || w.floats() == weights.floats())
                ? packed : pack(w, g);
        Epilogue ep = ConvEpilogue.withBias(epilogue, bias);
        Epilogue[] eps = new Epilogue[g];
        for (int grp = 0; grp < g; grp++) {
            eps[grp] = ConvEpilogue.slice(ep, grp * mg, mg);
        }
        float[] xs = x.floats();
        float[] ys = out.floats();
        int inSize = win.inSize();
        int outSize = win.outSize();
        boolean direct = isPointwise(win);
        Im2colSource.Geometry geo = direct ? null : geometry(win, x.shapeView(), w.shapeView());
        // With a stride along W, im2col reads a phase-split copy of the input (see Im2colSource).
        float[] src = geo != null && geo.phased() ? ctx.scratch(geo.phasedSize(n * c)) : xs;
        if (src != xs) {
            geo.splitPhases(xs, 0, n * c, src, 0);
        }
        int channelPitch = src == xs ? inSize : geo.phasedSize(1);
        int tasks = n * g;
        int threads = ctx.threads();
        // Whole GEMMs per thread when there are enough of them, or when one GEMM is too narrow
        // for the GEMM to split it; otherwise the GEMM splits its columns.
        boolean splitTasks = threads > 1 && tasks > 1
                && (tasks % threads == 0 || tasks >= 4 * threads || outSize <= Sgemm.NC);
        RunContext inner = splitTasks ? RunContext.serial() : ctx;
        java.util.function.IntConsumer body = t -> {
            int img = t / g;
            int grp = t % g;
            int xOff = (img * c + grp * cg) * channelPitch;
            BSource source = direct ? new RowMajorB(xs, xOff, inSize, cg, inSize, false)
                    : new Im2colSource(src, xOff, cg, geo);
            int rOff = (img * m + grp * mg) * outSize;
            int yOff = slice == null ? rOff : slice.imageOffset(img, outSize) + grp * mg * outSize;
            Sgemm.multiply(a[grp], source, ys, yOff, outSize, eps[grp], res, rOff, outSize, inner);
        };
        if (splitTasks) {
            ctx.pool().parallelFor(tasks, body);
        } else {
            for (int t = 0; t < tasks; t++) {
                body.accept(t);
            }
        }
        if (src != xs) {
            ctx.releaseScratch(src);
        }
        return new Tensor[] {out};
    }
}
