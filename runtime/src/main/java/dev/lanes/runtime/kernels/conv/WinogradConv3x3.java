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
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

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
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();

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

    /**
     * V = B^T d B for every tile of one channel, into v[e][ch][tile], L tiles at a time. Tile tx
     * of a tile row reads input columns 2 tx - pl + (0..3), which are the even and odd columns
     * {@code tx} and {@code tx + 1} of the row shifted by the padding: split so, the tiles' four
     * columns are contiguous runs and the transform is plain vector arithmetic.
     */
    private static void inputTransform(float[] x, int off, int h, int w, int pt, int pl, int th,
            int tw, float[] v, int ch, int c) {
        int tiles = th * tw;
        int len = tw + 1 + L;
        // Even then odd columns of the tile row's four input rows.
        float[] eo = new float[8 * len];
        for (int ty = 0; ty < th; ty++) {
            for (int r = 0; r < 4; r++) {
                int iy = 2 * ty - pt + r;
                int e0 = 2 * r * len;
                int o0 = e0 + len;
                boolean inside = iy >= 0 && iy < h;
                int row = off + iy * w;
                for (int j = 0; j <= tw; j++) {
                    int ix = 2 * j - pl;
                    eo[e0 + j] = inside && ix >= 0 && ix < w ? x[row + ix] : 0f;
                    eo[o0 + j] = inside && ix + 1 >= 0 && ix + 1 < w ? x[row + ix + 1] : 0f;
                }
            }
            int t0 = ty * tw;
            for (int tx = 0; tx < tw; tx += L) {
                VectorMask<Float> m = SPECIES.indexInRange(tx, tw);
                // d[r][q]: input row r, tile column q (even/odd column tx or tx + 1).
                FloatVector d00 = FloatVector.fromArray(SPECIES, eo, tx);
                FloatVector d01 = FloatVector.fromArray(SPECIES, eo, len + tx);
                FloatVector d02 = FloatVector.fromArray(SPECIES, eo, tx + 1);
                FloatVector d03 = FloatVector.fromArray(SPECIES, eo, len + tx + 1);
                FloatVector d10 = FloatVector.fromArray(SPECIES, eo, 2 * len + tx);
                FloatVector d11 = FloatVector.fromArray(SPECIES, eo, 3 * len + tx);
                FloatVector d12 = FloatVector.fromArray(SPECIES, eo, 2 * len + tx + 1);
                FloatVector d13 = FloatVector.fromArray(SPECIES, eo, 3 * len + tx + 1);
                FloatVector d20 = FloatVector.fromArray(SPECIES, eo, 4 * len + tx);
                FloatVector d21 = FloatVector.fromArray(SPECIES, eo, 5 * len + tx);
                FloatVector d22 = FloatVector.fromArray(SPECIES, eo, 4 * len + tx + 1);
                FloatVector d23 = FloatVector.fromArray(SPECIES, eo, 5 * len + tx + 1);
                FloatVector d30 = FloatVector.fromArray(SPECIES, eo, 6 * len + tx);
                FloatVector d31 = FloatVector.fromArray(SPECIES, eo, 7 * len + tx);
                FloatVector d32 = FloatVector.fromArray(SPECIES, eo, 6 * len + tx + 1);
                FloatVector d33 = FloatVector.fromArray(SPECIES, eo, 7 * len + tx + 1);
                // t = B^T d (combine rows), then V = t B (combine columns).
                FloatVector t00 = d00.sub(d20);
                FloatVector t10 = d10.add(d20);
                FloatVector t20 = d20.sub(d10);
                FloatVector t30 = d10.sub(d30);
                FloatVector t01 = d01.sub(d21);
                FloatVector t11 = d11.add(d21);
                FloatVector t21 = d21.sub(d11);
                FloatVector t31 = d11.sub(d31);
                FloatVector t02 = d02.sub(d22);
                FloatVector t12 = d12.add(d22);
                FloatVector t22 = d22.sub(d12);
                FloatVector t32 = d12.sub(d32);
                FloatVector t03 = d03.sub(d23);
                FloatVector t13 = d13.add(d23);
                FloatVector t23 = d23.sub(d13);
                FloatVector t33 = d13.sub(d33);
                int base = ch * tiles + t0 + tx;
                int step = c * tiles;
                t00.sub(t02).intoArray(v, base, m);
                t01.add(t02).intoArray(v, base + step, m);
                t02.sub(t01).intoArray(v, base + 2 * step, m);
                t01.sub(t03).intoArray(v, base + 3 * step, m);
                t10.sub(t12).intoArray(v, base + 4 * step, m);
                t11.add(t12).intoArray(v, base + 5 * step, m);
                t12.sub(t11).intoArray(v, base + 6 * step, m);
                t11.sub(t13).intoArray(v, base + 7 * step, m);
                t20.sub(t22).intoArray(v, base + 8 * step, m);
                t21.add(t22).intoArray(v, base + 9 * step, m);
                t22.sub(t21).intoArray(v, base + 10 * step, m);
                t21.sub(t23).intoArray(v, base + 11 * step, m);
                t30.sub(t32).intoArray(v, base + 12 * step, m);
                t31.add(t32).intoArray(v, base + 13 * step, m);
                t32.sub(t31).intoArray(v, base + 14 * step, m);
                t31.sub(t33).intoArray(v, base + 15 * step, m);
            }
        }
    }

    /**
     * Y = A^T M A for every tile of output channel o, L tiles at a time, then the epilogue while
     * interleaving each tile's two columns into the output rows.
     */
    private static void outputTransform(float[] mm, int o, int m, int th, int tw, float[] y,
            int yOff, int oh, int ow, Epilogue ep, float[] res) {
        int tiles = th * tw;
        int len = tw + L;
        // Columns 0 and 1 of the tiles of output rows 0 and 1 of a tile row.
        float[] cols = new float[4 * len];
        boolean plain = ep.isIdentity() && res == null;
        for (int ty = 0; ty < th; ty++) {
            int t0 = ty * tw;
            for (int tx = 0; tx < tw; tx += L) {
                VectorMask<Float> mask = SPECIES.indexInRange(tx, tw);
                int at = o * tiles + t0 + tx;
                int step = m * tiles;
                FloatVector s0 = FloatVector.fromArray(SPECIES, mm, at, mask);
                FloatVector s1 = FloatVector.fromArray(SPECIES, mm, at + step, mask);
                FloatVector s2 = FloatVector.fromArray(SPECIES, mm, at + 2 * step, mask);
                FloatVector s3 = FloatVector.fromArray(SPECIES, mm, at + 3 * step, mask);
                FloatVector s4 = FloatVector.fromArray(SPECIES, mm, at + 4 * step, mask);
                FloatVector s5 = FloatVector.fromArray(SPECIES, mm, at + 5 * step, mask);
                FloatVector s6 = FloatVector.fromArray(SPECIES, mm, at + 6 * step, mask);
                FloatVector s7 = FloatVector.fromArray(SPECIES, mm, at + 7 * step, mask);
                FloatVector s8 = FloatVector.fromArray(SPECIES, mm, at + 8 * step, mask);
                FloatVector s9 = FloatVector.fromArray(SPECIES, mm, at + 9 * step, mask);
                FloatVector s10 = FloatVector.fromArray(SPECIES, mm, at + 10 * step, mask);
                FloatVector s11 = FloatVector.fromArray(SPECIES, mm, at + 11 * step, mask);
                FloatVector s12 = FloatVector.fromArray(SPECIES, mm, at + 12 * step, mask);
                FloatVector s13 = FloatVector.fromArray(SPECIES, mm, at + 13 * step, mask);
                FloatVector s14 = FloatVector.fromArray(SPECIES, mm, at + 14 * step, mask);
                FloatVector s15 = FloatVector.fromArray(SPECIES, mm, at + 15 * step, mask);
                // A^T M (rows 0 and 1), then (A^T M) A (columns 0 and 1).
                FloatVector a00 = s0.add(s4).add(s8);
                FloatVector a10 = s4.sub(s8).sub(s12);
                FloatVector a01 = s1.add(s5).add(s9);
                FloatVector a11 = s5.sub(s9).sub(s13);
                FloatVector a02 = s2.add(s6).add(s10);
                FloatVector a12 = s6.sub(s10).sub(s14);
                FloatVector a03 = s3.add(s7).add(s11);
                FloatVector a13 = s7.sub(s11).sub(s15);
                a00.add(a01).add(a02).intoArray(cols, tx);
                a01.sub(a02).sub(a03).intoArray(cols, 1 * len + tx);
                a10.add(a11).add(a12).intoArray(cols, 2 * len + tx);
                a11.sub(a12).sub(a13).intoArray(cols, 3 * len + tx);
            }
            for (int r = 0; r < 2; r++) {
                int yy = 2 * ty + r;
                if (yy >= oh) {
                    break;
                }
                int row = yOff + yy * ow;
                int c0 = 2 * r * len;
                int c1 = c0 + len;
                for (int xx = 0; xx < ow; xx++) {
                    float val = cols[((xx & 1) == 0 ? c0 : c1) + (xx >> 1)];
                    y[row + xx] = plain ? val
                            : ep.apply(val, o, res == null ? 0f : res[row + xx]);
                }
            }
        }
    }
}
