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
import dev.lanes.runtime.kernels.spatial.Window;
import java.util.Arrays;

/**
 * A 2-D 3x3 convolution with stride 1, dilation 1 and one group (any pads) by Winograd's
 * F(2x2, 3x3): each 2x2 output tile comes from a 4x4 input tile with 16 multiplications per
 * channel pair instead of 36. The weights are transformed ({@code U = G g G^T}) and packed once
 * as 16 GEMM left operands; per image the input tiles are transformed
 * ({@code V = B^T d B}), the 16 GEMMs {@code M_e = U_e V_e} run over all tiles, and the output
 * transform {@code Y = A^T M A} applies the epilogue. Inputs and output as {@link GemmConv}.
 */
public final class WinogradConv3x3 implements Kernel {
    private static final int E = 16;

    private final ConvAttributes attrs;
    private final Tensor weights;
    private final PackedA[] packed;
    private final Epilogue epilogue;
    private final boolean hasResidual;

    /**
     * A convolution.
     *
     * @param attrs       the resolved attributes (3x3, stride 1, dilation 1, group 1)
     * @param weights     the constant weights (transformed now), or null when W comes at run time
     * @param epilogue    what follows the convolution and its bias
     * @param hasResidual true when input 3 is a residual added before the activation
     */
    public WinogradConv3x3(ConvAttributes attrs, Tensor weights, Epilogue epilogue,
            boolean hasResidual) {
        if (!supports(attrs, weights == null ? null : weights.shapeView())) {
            throw new IllegalArgumentException("Winograd F(2x2,3x3) needs a 2-D 3x3 kernel with"
                    + " stride 1, dilation 1 and group 1");
        }
        this.attrs = attrs;
        this.weights = weights;
        this.packed = weights == null || !weights.dtype().isFloat() ? null : transform(weights);
        this.epilogue = epilogue;
        this.hasResidual = hasResidual;
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

    /** U_e [M x C] for each of the 16 transformed positions, packed. */
    static PackedA[] transform(Tensor w) {
        int m = w.dim(0);
        int c = w.dim(1);
        float[] g = w.floats();
        float[] u = new float[Math.multiplyExact(E, Math.multiplyExact(m, c))];
        float[] t = new float[12];
        for (int o = 0; o < m; o++) {
            for (int i = 0; i < c; i++) {
                int b = (o * c + i) * 9;
                // t = G g (4x3), then U = t G^T (4x4).
                for (int col = 0; col < 3; col++) {
                    float g0 = g[b + col];
                    float g1 = g[b + 3 + col];
                    float g2 = g[b + 6 + col];
                    t[col] = g0;
                    t[3 + col] = 0.5f * (g0 + g1 + g2);
                    t[6 + col] = 0.5f * (g0 - g1 + g2);
                    t[9 + col] = g2;
                }
                for (int r = 0; r < 4; r++) {
                    float t0 = t[r * 3];
                    float t1 = t[r * 3 + 1];
                    float t2 = t[r * 3 + 2];
                    float[] row = {t0, 0.5f * (t0 + t1 + t2), 0.5f * (t0 - t1 + t2), t2};
                    for (int q = 0; q < 4; q++) {
                        u[((r * 4 + q) * m + o) * c + i] = row[q];
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

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        Tensor w = in[1];
        Window win = attrs.convWindow(x, w);
        if (win.rank != 2 || win.k[1] != 3 || win.k[2] != 3) {
            throw new ShapeException("Conv: Winograd F(2x2,3x3) got W "
                    + Arrays.toString(w.shapeView()));
        }
        int n = x.dim(0);
        int c = x.dim(1);
        int m = w.dim(0);
        Tensor b = in.length > 2 ? in[2] : null;
        if (b != null && b.size() != m) {
            throw new ShapeException("Conv: bias B has " + b.size() + " values, expected " + m);
        }
        ConvEpilogue.check("Conv", epilogue, m);
        int oh = win.out[1];
        int ow = win.out[2];
        int[] outShape = {n, m, oh, ow};
        float[] res = ConvEpilogue.residual("Conv", hasResidual && in.length > 3 ? in[3] : null,
                outShape);
        Tensor out = Tensor.zeros(x.dtype(), outShape);
        if (out.size() == 0) {
            return new Tensor[] {out};
        }
        PackedA[] u = packed != null && (w == weights || w.floats() == weights.floats())
                ? packed : transform(w);
        Epilogue ep = ConvEpilogue.withBias(epilogue, b == null ? null : b.floats());
        int th = (oh + 1) / 2;
        int tw = (ow + 1) / 2;
        int tiles = th * tw;
        float[] v = new float[Tensor.checkedSize(E, c, tiles)];
        float[] mm = new float[Tensor.checkedSize(E, m, tiles)];
        float[] xs = x.floats();
        float[] ys = out.floats();
        int h = win.in[1];
        int wd = win.in[2];
        int pt = win.padBegin[1];
        int pl = win.padBegin[2];
        for (int img = 0; img < n; img++) {
            int xImg = img * c * h * wd;
            ctx.pool().parallelFor(c, ch -> inputTransform(xs, xImg + ch * h * wd, h, wd, pt, pl,
                    th, tw, v, ch, c));
            for (int e = 0; e < E; e++) {
                Sgemm.multiply(u[e], new RowMajorB(v, e * c * tiles, tiles, c, tiles, false), mm,
                        e * m * tiles, tiles, Epilogue.NONE, null, 0, 0, ctx);
            }
            int yImg = img * m * oh * ow;
            ctx.pool().parallelFor(m, o -> outputTransform(mm, o, m, th, tw, ys,
                    yImg + o * oh * ow, oh, ow, ep, res));
        }
        return new Tensor[] {out};
    }

    /** V = B^T d B for every tile of one channel, into v[e][ch][tile]. */
    private static void inputTransform(float[] x, int off, int h, int w, int pt, int pl, int th,
            int tw, float[] v, int ch, int c) {
        int tiles = th * tw;
        float[] d = new float[16];
        for (int ty = 0; ty < th; ty++) {
            for (int tx = 0; tx < tw; tx++) {
                int y0 = 2 * ty - pt;
                int x0 = 2 * tx - pl;
                for (int r = 0; r < 4; r++) {
                    int iy = y0 + r;
                    for (int q = 0; q < 4; q++) {
                        int ix = x0 + q;
                        d[r * 4 + q] = iy >= 0 && iy < h && ix >= 0 && ix < w
                                ? x[off + iy * w + ix] : 0f;
                    }
                }
                // Rows: t = B^T d; columns: V = t B. B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0;
                // 0 1 0 -1].
                for (int q = 0; q < 4; q++) {
                    float d0 = d[q];
                    float d1 = d[4 + q];
                    float d2 = d[8 + q];
                    float d3 = d[12 + q];
                    d[q] = d0 - d2;
                    d[4 + q] = d1 + d2;
                    d[8 + q] = d2 - d1;
                    d[12 + q] = d1 - d3;
                }
                int t = ty * tw + tx;
                for (int r = 0; r < 4; r++) {
                    float t0 = d[r * 4];
                    float t1 = d[r * 4 + 1];
                    float t2 = d[r * 4 + 2];
                    float t3 = d[r * 4 + 3];
                    int e = r * 4;
                    v[((e) * c + ch) * tiles + t] = t0 - t2;
                    v[((e + 1) * c + ch) * tiles + t] = t1 + t2;
                    v[((e + 2) * c + ch) * tiles + t] = t2 - t1;
                    v[((e + 3) * c + ch) * tiles + t] = t1 - t3;
                }
            }
        }
    }

    /** Y = A^T M A for every tile of output channel o, then the epilogue. */
    private static void outputTransform(float[] mm, int o, int m, int th, int tw, float[] y,
            int yOff, int oh, int ow, Epilogue ep, float[] res) {
        int tiles = th * tw;
        float[] s = new float[16];
        for (int ty = 0; ty < th; ty++) {
            for (int tx = 0; tx < tw; tx++) {
                int t = ty * tw + tx;
                for (int e = 0; e < E; e++) {
                    s[e] = mm[(e * m + o) * tiles + t];
                }
                // A^T = [1 1 1 0; 0 1 -1 -1]: rows, then columns.
                for (int r = 0; r < 2; r++) {
                    float a0 = r == 0 ? s[0] + s[4] + s[8] : s[4] - s[8] - s[12];
                    float a1 = r == 0 ? s[1] + s[5] + s[9] : s[5] - s[9] - s[13];
                    float a2 = r == 0 ? s[2] + s[6] + s[10] : s[6] - s[10] - s[14];
                    float a3 = r == 0 ? s[3] + s[7] + s[11] : s[7] - s[11] - s[15];
                    int yy = 2 * ty + r;
                    if (yy >= oh) {
                        continue;
                    }
                    for (int q = 0; q < 2; q++) {
                        int xx = 2 * tx + q;
                        if (xx >= ow) {
                            continue;
                        }
                        float val = q == 0 ? a0 + a1 + a2 : a1 - a2 - a3;
                        int i = yOff + yy * ow + xx;
                        y[i] = ep.apply(val, o, res == null ? 0f : res[i]);
                    }
                }
            }
        }
    }
}
