package dev.lanes.training;

import dev.lanes.errors.ShapeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.IntConsumer;

/**
 * The pure-Java backend. Convolutions run as im2col followed by a matrix product, one image per
 * task; matrix products split their output rows over the tasks. Every output element is computed
 * by exactly one task in a fixed order, and batch sums (the weight gradient) are reduced image by
 * image in index order, so results are bitwise the same for any thread count.
 */
public final class CpuBackend implements Backend, AutoCloseable {
    /** Below this many multiply-adds a matrix product runs on the calling thread: tasks cost more than they save. */
    private static final long PARALLEL_WORK = 1 << 16;
    /** Rows of a matrix product per task: a multiple of the kernel's four-row block. */
    private static final int MATMUL_ROWS = 16;

    private final ForkJoinPool pool;
    private final int threads;

    /** A backend with its own pool of {@code threads} workers (1 runs everything on the caller). */
    public CpuBackend(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("CpuBackend needs at least 1 thread, got " + threads);
        }
        this.threads = threads;
        this.pool = threads > 1 ? new ForkJoinPool(threads) : null;
    }

    /** A backend with one worker per available core. */
    public CpuBackend() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** The number of workers. */
    public int threads() {
        return threads;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }

    /** Runs body(0 .. n-1), each index once; indices must write disjoint outputs. */
    private void parallelFor(int n, IntConsumer body) {
        if (pool == null || n <= 1) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
            return;
        }
        int chunks = Math.min(n, threads * 4);
        List<ForkJoinTask<?>> tasks = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            tasks.add(pool.submit(() -> {
                for (int i = from; i < to; i++) {
                    body.accept(i);
                }
            }));
        }
        for (ForkJoinTask<?> t : tasks) {
            t.join();
        }
    }

    /** Element ranges of an element-wise pass per task: large enough that a task outweighs its scheduling. */
    private static final int ELEMENTS_PER_TASK = 1 << 15;

    /** A body over the element range [from, to). */
    @FunctionalInterface
    private interface Range {
        void run(int from, int to);
    }

    /** Runs body over [0, n) in ranges of about {@link #ELEMENTS_PER_TASK}, on the calling thread when n is small. */
    private void parallelRange(int n, Range body) {
        int chunks = (n + ELEMENTS_PER_TASK - 1) / ELEMENTS_PER_TASK;
        if (pool == null || chunks <= 1) {
            body.run(0, n);
            return;
        }
        parallelFor(chunks, c -> body.run(c * ELEMENTS_PER_TASK, Math.min(n, (c + 1) * ELEMENTS_PER_TASK)));
    }

    // ---------------------------------------------------------------- convolution

    /** The patch geometry of one group of this convolution. */
    private static Im2col.Geometry geometry(ConvShape d) {
        return new Im2col.Geometry(d.cg(), d.h(), d.w(), d.kh(), d.kw(), d.oh(), d.ow(), d.stride(), d.pad());
    }

    /** The offset of image {@code n}, group {@code g} in the input. */
    private static int groupBase(ConvShape d, int n, int g) {
        return (n * d.c() + g * d.cg()) * d.h() * d.w();
    }

    /** The patch matrix of each worker, reused across images and calls instead of allocated per image. */
    private static final ThreadLocal<float[]> PATCHES = ThreadLocal.withInitial(() -> new float[0]);

    /** This thread's patch matrix of at least {@code size} floats; its contents are garbage. */
    private static float[] patches(int size) {
        float[] col = PATCHES.get();
        if (col.length < size) {
            col = new float[size];
            PATCHES.set(col);
        }
        return col;
    }

    @Override
    public Tensor conv2d(Tensor x, Tensor w, Tensor bias, ConvSpec spec) {
        ConvShape d = ConvShape.of("conv2d", x.shape(), w.shape(), spec);
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != d.oc())) {
            throw new ShapeException("conv2d: bias must be [" + d.oc() + "], got " + bias.shapeString());
        }
        Tensor y = Tensor.zeros(d.n(), d.oc(), d.oh(), d.ow());
        float[] xd = x.data();
        float[] wd = w.data();
        float[] yd = y.data();
        float[] bd = bias == null ? null : bias.data();
        int k = d.k();
        int p = d.p();
        Im2col.Geometry geo = geometry(d);
        parallelFor(d.n(), n -> {
            float[] col = patches(k * p);
            for (int g = 0; g < d.groups(); g++) {
                Im2col.im2col(xd, groupBase(d, n, g), geo, col);
                int oc0 = g * d.ocg();
                int yo = (n * d.oc() + oc0) * p;
                // y[oc][p] = w[oc][k] col[k][p]
                Gemm.multiply(wd, oc0 * k, k, 1, d.ocg(), k, col, 0, p, yd, yo);
                if (bd != null) {
                    for (int o = 0; o < d.ocg(); o++) {
                        float bias0 = bd[oc0 + o];
                        for (int i = yo + o * p; i < yo + (o + 1) * p; i++) {
                            yd[i] += bias0;
                        }
                    }
                }
            }
        });
        return y;
    }

    @Override
    public Tensor conv2dBackwardInput(Tensor dy, Tensor w, int[] xShape, ConvSpec spec) {
        ConvShape d = ConvShape.of("conv2d backward (input)", xShape, w.shape(), spec);
        checkConvOutput("conv2d backward (input)", dy, d);
        Tensor dx = Tensor.zeros(xShape);
        float[] dyd = dy.data();
        float[] wd = w.data();
        float[] dxd = dx.data();
        int k = d.k();
        int p = d.p();
        Im2col.Geometry geo = geometry(d);
        parallelFor(d.n(), n -> {
            float[] col = patches(k * p);
            for (int g = 0; g < d.groups(); g++) {
                int oc0 = g * d.ocg();
                // col[k][p] = w^T[k][oc] dy[oc][p]: the weight read transposed through strides.
                Gemm.multiply(wd, oc0 * k, 1, k, k, d.ocg(), dyd, (n * d.oc() + oc0) * p, p, col, 0);
                Im2col.col2im(col, geo, dxd, groupBase(d, n, g));
            }
        });
        return dx;
    }

    @Override
    public Tensor conv2dBackwardWeight(Tensor dy, Tensor x, int[] wShape, ConvSpec spec) {
        ConvShape d = ConvShape.of("conv2d backward (weight)", x.shape(), wShape, spec);
        checkConvOutput("conv2d backward (weight)", dy, d);
        int k = d.k();
        int p = d.p();
        int ocg = d.ocg();
        // dw^T[k][oc] = col[k][p] dy^T[p][oc]: the patch rows are read as they lie, the small dy
        // is transposed. Fewer output channels than a vector are padded to one with zeros, so
        // the product runs on whole vectors.
        int width = Math.max(ocg, Gemm.VECTOR);
        int part = d.groups() * k * width;
        // One partial gradient per image, added in image order afterwards: the sum does not
        // depend on how images were spread over threads.
        float[][] partial = new float[d.n()][];
        float[] xd = x.data();
        float[] dyd = dy.data();
        Im2col.Geometry geo = geometry(d);
        parallelFor(d.n(), n -> {
            float[] col = patches(k * p);
            float[] dyT = new float[p * width];
            float[] dwT = new float[part];
            for (int g = 0; g < d.groups(); g++) {
                Im2col.im2col(xd, groupBase(d, n, g), geo, col);
                int dyo = (n * d.oc() + g * ocg) * p;
                for (int o = 0; o < ocg; o++) {
                    for (int i = 0; i < p; i++) {
                        dyT[i * width + o] = dyd[dyo + o * p + i];
                    }
                }
                Gemm.multiply(col, 0, p, 1, k, p, dyT, 0, width, dwT, g * k * width);
            }
            partial[n] = dwT;
        });
        Tensor dw = Tensor.zeros(wShape);
        float[] out = dw.data();
        for (float[] dwT : partial) {
            for (int g = 0; g < d.groups(); g++) {
                for (int kk = 0; kk < k; kk++) {
                    int from = (g * k + kk) * width;
                    for (int o = 0; o < ocg; o++) {
                        out[(g * ocg + o) * k + kk] += dwT[from + o];
                    }
                }
            }
        }
        return dw;
    }

    private static void checkConvOutput(String op, Tensor dy, ConvShape d) {
        int[] expected = {d.n(), d.oc(), d.oh(), d.ow()};
        if (!java.util.Arrays.equals(dy.shape(), expected)) {
            throw new ShapeException(op + ": output gradient must be " + Tensor.shapeString(expected) + ", got "
                    + dy.shapeString());
        }
    }

    // ---------------------------------------------------------------- matrices

    @Override
    public Tensor matmul(Tensor a, boolean transposeA, Tensor b, boolean transposeB) {
        if (a.rank() != 2 || b.rank() != 2) {
            throw new ShapeException("matmul: needs two matrices, got " + a.shapeString() + " and " + b.shapeString());
        }
        // A transposed A is read through strides; a transposed B is copied once, so the inner
        // loop always runs along contiguous rows of B.
        float[] ad = a.data();
        float[] bd = transposeB ? transpose(b) : b.data();
        int m = transposeA ? a.dim(1) : a.dim(0);
        int ka = transposeA ? a.dim(0) : a.dim(1);
        int kb = transposeB ? b.dim(1) : b.dim(0);
        int nn = transposeB ? b.dim(0) : b.dim(1);
        if (ka != kb) {
            throw new ShapeException("matmul: inner dimensions differ: " + a.shapeString() + (transposeA ? "^T" : "")
                    + " x " + b.shapeString() + (transposeB ? "^T" : "") + " (" + ka + " vs " + kb + ")");
        }
        Tensor c = Tensor.zeros(m, nn);
        float[] cd = c.data();
        int rowStride = transposeA ? 1 : ka;
        int colStride = transposeA ? m : 1;
        // Blocks of rows of C, one block per task.
        int blocks = (m + MATMUL_ROWS - 1) / MATMUL_ROWS;
        IntConsumer block = blk -> {
            int r0 = blk * MATMUL_ROWS;
            int rows = Math.min(MATMUL_ROWS, m - r0);
            Gemm.multiply(ad, r0 * rowStride, rowStride, colStride, rows, ka, bd, 0, nn, cd, r0 * nn);
        };
        if ((long) m * ka * nn < PARALLEL_WORK) {
            for (int blk = 0; blk < blocks; blk++) {
                block.accept(blk);
            }
        } else {
            parallelFor(blocks, block);
        }
        return c;
    }

    private static float[] transpose(Tensor t) {
        int r = t.dim(0);
        int c = t.dim(1);
        float[] in = t.data();
        float[] out = new float[in.length];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                out[j * r + i] = in[i * c + j];
            }
        }
        return out;
    }

    @Override
    public Tensor addRowVector(Tensor m, Tensor v) {
        if (m.rank() != 2 || v.rank() != 1 || v.dim(0) != m.dim(1)) {
            throw new ShapeException("addRowVector: needs [N, F] and [F], got " + m.shapeString() + " and " + v.shapeString());
        }
        Tensor out = m.copy();
        float[] od = out.data();
        float[] vd = v.data();
        int f = m.dim(1);
        for (int i = 0; i < od.length; i++) {
            od[i] += vd[i % f];
        }
        return out;
    }

    @Override
    public Tensor sumRows(Tensor m) {
        if (m.rank() != 2) {
            throw new ShapeException("sumRows: needs a matrix, got " + m.shapeString());
        }
        int f = m.dim(1);
        Tensor out = Tensor.zeros(f);
        float[] od = out.data();
        float[] md = m.data();
        for (int i = 0; i < md.length; i++) {
            od[i % f] += md[i];
        }
        return out;
    }

    // ---------------------------------------------------------------- element-wise

    private static void sameShape(String op, Tensor a, Tensor b) {
        if (!a.sameShape(b)) {
            throw new ShapeException(op + ": shapes differ: " + a.shapeString() + " and " + b.shapeString());
        }
    }

    @Override
    public Tensor add(Tensor a, Tensor b) {
        sameShape("add", a, b);
        float[] ad = a.data();
        float[] bd = b.data();
        float[] out = new float[ad.length];
        parallelRange(out.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = ad[i] + bd[i];
            }
        });
        return new Tensor(a.shape(), out);
    }

    @Override
    public Tensor mul(Tensor a, Tensor b) {
        sameShape("mul", a, b);
        float[] ad = a.data();
        float[] bd = b.data();
        float[] out = new float[ad.length];
        parallelRange(out.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                out[i] = ad[i] * bd[i];
            }
        });
        return new Tensor(a.shape(), out);
    }

    @Override
    public Tensor relu(Tensor x) {
        float[] xd = x.data();
        float[] out = new float[xd.length];
        parallelRange(out.length, (from, to) -> ChannelKernels.relu(xd, out, from, to));
        return new Tensor(x.shape(), out);
    }

    @Override
    public Tensor reluBackward(Tensor dy, Tensor y) {
        sameShape("relu backward", dy, y);
        float[] dd = dy.data();
        float[] yd = y.data();
        float[] out = new float[dd.length];
        parallelRange(out.length, (from, to) -> ChannelKernels.reluBackward(dd, yd, out, from, to));
        return new Tensor(dy.shape(), out);
    }

    // ---------------------------------------------------------------- per channel

    /** [N, C, spatial] of an NCHW or [N, C] tensor. */
    private static int[] channelLayout(String op, Tensor x) {
        if (x.rank() != 2 && x.rank() != 4) {
            throw new ShapeException(op + ": needs [N, C] or [N, C, H, W], got " + x.shapeString());
        }
        int spatial = x.rank() == 4 ? x.dim(2) * x.dim(3) : 1;
        return new int[] {x.dim(0), x.dim(1), spatial};
    }

    private static void checkChannels(String op, int c, float[]... vectors) {
        for (float[] v : vectors) {
            if (v.length != c) {
                throw new ShapeException(op + ": per-channel vector has " + v.length + " entries, the tensor " + c
                        + " channels");
            }
        }
    }

    /** Runs body(c) for every channel, over the pool when the tensor of {@code size} elements is large. */
    private void perChannel(int size, int channels, IntConsumer body) {
        if (size < ELEMENTS_PER_TASK) {
            for (int c = 0; c < channels; c++) {
                body.accept(c);
            }
        } else {
            parallelFor(channels, body);
        }
    }

    @Override
    public Tensor channelSum(Tensor x) {
        int[] l = channelLayout("channelSum", x);
        float[] xd = x.data();
        float[] out = new float[l[1]];
        // One task per channel, strips added in image order in double: a batch of 64 images of
        // 28x28 adds 50,000 terms per channel, which float would not add exactly enough.
        perChannel(x.size(), l[1], c -> out[c] = (float) channelTotal(xd, l, c));
        return new Tensor(new int[] {l[1]}, out);
    }

    /** The sum of channel c of [N, C, S] {@code xd}: strips in image order, each in lanes (features, S = 1, one by one). */
    private static double channelTotal(float[] xd, int[] l, int c) {
        double s = 0;
        if (l[2] == 1) {
            for (int n = 0; n < l[0]; n++) {
                s += xd[n * l[1] + c];
            }
            return s;
        }
        for (int n = 0; n < l[0]; n++) {
            s += ChannelKernels.sum(xd, (n * l[1] + c) * l[2], l[2]);
        }
        return s;
    }

    @Override
    public ChannelMoments channelMoments(Tensor x) {
        int[] l = channelLayout("channelMoments", x);
        float[] xd = x.data();
        float[] mean = new float[l[1]];
        float[] variance = new float[l[1]];
        long count = (long) l[0] * l[2];
        perChannel(x.size(), l[1], c -> {
            float m = (float) (channelTotal(xd, l, c) / count);
            // The squares of the centred values, a second pass over the channel: summing squares
            // of x would cancel catastrophically when the mean is large against the spread.
            double q = 0;
            for (int n = 0; n < l[0]; n++) {
                int o = (n * l[1] + c) * l[2];
                if (l[2] == 1) {
                    double d = xd[o] - m;
                    q += d * d;
                } else {
                    q += ChannelKernels.centredSquares(xd, o, l[2], m);
                }
            }
            mean[c] = m;
            variance[c] = (float) (q / count);
        });
        return new ChannelMoments(mean, variance);
    }

    @Override
    public Tensor channelCentredDot(Tensor g, Tensor x, float[] centre) {
        sameShape("channelCentredDot", g, x);
        int[] l = channelLayout("channelCentredDot", x);
        checkChannels("channelCentredDot", l[1], centre);
        float[] gd = g.data();
        float[] xd = x.data();
        float[] out = new float[l[1]];
        perChannel(x.size(), l[1], c -> {
            double s = 0;
            for (int n = 0; n < l[0]; n++) {
                int o = (n * l[1] + c) * l[2];
                s += l[2] == 1 ? (double) gd[o] * (xd[o] - centre[c])
                        : ChannelKernels.centredDot(gd, xd, o, l[2], centre[c]);
            }
            out[c] = (float) s;
        });
        return new Tensor(new int[] {l[1]}, out);
    }

    @Override
    public Tensor channelAffine(Tensor x, float[] scale, float[] shift) {
        int[] l = channelLayout("channelAffine", x);
        checkChannels("channelAffine", l[1], scale, shift);
        float[] xd = x.data();
        float[] out = new float[xd.length];
        perChannel(x.size(), l[1], c -> {
            for (int n = 0; n < l[0]; n++) {
                ChannelKernels.affine(xd, scale[c], shift[c], out, (n * l[1] + c) * l[2], l[2]);
            }
        });
        return new Tensor(x.shape(), out);
    }

    @Override
    public Tensor channelCombine(Tensor a, float[] sa, Tensor b, float[] centre, float[] sb, float[] shift) {
        sameShape("channelCombine", a, b);
        int[] l = channelLayout("channelCombine", a);
        checkChannels("channelCombine", l[1], sa, centre, sb, shift);
        float[] ad = a.data();
        float[] bd = b.data();
        float[] out = new float[ad.length];
        perChannel(a.size(), l[1], c -> {
            for (int n = 0; n < l[0]; n++) {
                ChannelKernels.combine(ad, sa[c], bd, centre[c], sb[c], shift[c], out, (n * l[1] + c) * l[2], l[2]);
            }
        });
        return new Tensor(a.shape(), out);
    }

    // ---------------------------------------------------------------- pooling

    private static int[] poolOutShape(String op, Tensor x, PoolSpec s) {
        if (x.rank() != 4) {
            throw new ShapeException(op + ": needs [N, C, H, W], got " + x.shapeString());
        }
        if (x.dim(2) + 2 * s.pad() < s.kernel() || x.dim(3) + 2 * s.pad() < s.kernel()) {
            throw new ShapeException(op + ": window " + s.kernel() + " is larger than the padded input "
                    + x.shapeString() + " with pad " + s.pad());
        }
        return new int[] {x.dim(0), x.dim(1), s.outSize(x.dim(2)), s.outSize(x.dim(3))};
    }

    @Override
    public MaxPoolResult maxPool(Tensor x, PoolSpec s) {
        int[] os = poolOutShape("maxPool", x, s);
        Tensor y = Tensor.zeros(os);
        int[] argmax = new int[y.size()];
        float[] xd = x.data();
        float[] yd = y.data();
        int h = x.dim(2);
        int w = x.dim(3);
        int oh = os[2];
        int ow = os[3];
        if (s.pad() == 0) {
            // Every window lies inside the input: no bounds tests.
            parallelFor(os[0] * os[1], plane -> maxPoolPlaneUnpadded(xd, plane * h * w, w, s, yd, argmax,
                    plane * oh * ow, oh, ow));
            return new MaxPoolResult(y, argmax);
        }
        parallelFor(os[0] * os[1], plane -> {
            int xo = plane * h * w;
            int yo = plane * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    float best = Float.NEGATIVE_INFINITY;
                    int at = -1;
                    for (int ky = 0; ky < s.kernel(); ky++) {
                        int iy = oy * s.stride() - s.pad() + ky;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        for (int kx = 0; kx < s.kernel(); kx++) {
                            int ix = ox * s.stride() - s.pad() + kx;
                            if (ix < 0 || ix >= w) {
                                continue;
                            }
                            float v = xd[xo + iy * w + ix];
                            // Strictly greater: the first maximum wins ties, a fixed rule.
                            if (at < 0 || v > best) {
                                best = v;
                                at = xo + iy * w + ix;
                            }
                        }
                    }
                    yd[yo + oy * ow + ox] = best;
                    argmax[yo + oy * ow + ox] = at;
                }
            }
        });
        return new MaxPoolResult(y, argmax);
    }

    /** Max pooling of one plane whose windows all lie inside it; the first maximum in window order wins ties. */
    private static void maxPoolPlaneUnpadded(float[] xd, int xo, int w, PoolSpec s, float[] yd, int[] argmax, int yo,
                                             int oh, int ow) {
        int k = s.kernel();
        int stride = s.stride();
        if (k == 2) {
            // The common 2x2 window, unrolled; the comparisons keep window order, so ties resolve as below.
            for (int oy = 0; oy < oh; oy++) {
                int r0 = xo + oy * stride * w;
                int r1 = r0 + w;
                int yo0 = yo + oy * ow;
                for (int ox = 0; ox < ow; ox++) {
                    int i = ox * stride;
                    int at = r0 + i;
                    float best = xd[at];
                    if (xd[r0 + i + 1] > best) {
                        at = r0 + i + 1;
                        best = xd[at];
                    }
                    if (xd[r1 + i] > best) {
                        at = r1 + i;
                        best = xd[at];
                    }
                    if (xd[r1 + i + 1] > best) {
                        at = r1 + i + 1;
                        best = xd[at];
                    }
                    yd[yo0 + ox] = best;
                    argmax[yo0 + ox] = at;
                }
            }
            return;
        }
        for (int oy = 0; oy < oh; oy++) {
            int rowStart = xo + oy * stride * w;
            for (int ox = 0; ox < ow; ox++) {
                int at = rowStart + ox * stride;
                float best = xd[at];
                for (int ky = 0; ky < k; ky++) {
                    int r = rowStart + ky * w + ox * stride;
                    for (int kx = 0; kx < k; kx++) {
                        if (xd[r + kx] > best) {
                            best = xd[r + kx];
                            at = r + kx;
                        }
                    }
                }
                yd[yo + oy * ow + ox] = best;
                argmax[yo + oy * ow + ox] = at;
            }
        }
    }

    @Override
    public Tensor maxPoolBackward(Tensor dy, int[] argmax, int[] xShape) {
        if (argmax.length != dy.size()) {
            throw new ShapeException("maxPool backward: " + argmax.length + " maxima for an output gradient of "
                    + dy.shapeString());
        }
        Tensor dx = Tensor.zeros(xShape);
        float[] dxd = dx.data();
        float[] dyd = dy.data();
        // Sequential: overlapping windows may send two gradients to one place.
        for (int i = 0; i < argmax.length; i++) {
            dxd[argmax[i]] += dyd[i];
        }
        return dx;
    }

    @Override
    public Tensor avgPool(Tensor x, PoolSpec s) {
        int[] os = poolOutShape("avgPool", x, s);
        Tensor y = Tensor.zeros(os);
        float[] xd = x.data();
        float[] yd = y.data();
        int h = x.dim(2);
        int w = x.dim(3);
        int oh = os[2];
        int ow = os[3];
        parallelFor(os[0] * os[1], plane -> {
            int xo = plane * h * w;
            int yo = plane * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                int y0 = Math.max(0, oy * s.stride() - s.pad());
                int y1 = Math.min(h, oy * s.stride() - s.pad() + s.kernel());
                for (int ox = 0; ox < ow; ox++) {
                    int x0 = Math.max(0, ox * s.stride() - s.pad());
                    int x1 = Math.min(w, ox * s.stride() - s.pad() + s.kernel());
                    float sum = 0f;
                    for (int iy = y0; iy < y1; iy++) {
                        for (int ix = x0; ix < x1; ix++) {
                            sum += xd[xo + iy * w + ix];
                        }
                    }
                    yd[yo + oy * ow + ox] = sum / ((y1 - y0) * (x1 - x0));
                }
            }
        });
        return y;
    }

    @Override
    public Tensor avgPoolBackward(Tensor dy, int[] xShape, PoolSpec s) {
        Tensor dx = Tensor.zeros(xShape);
        int[] os = poolOutShape("avgPool backward", dx, s);
        if (!java.util.Arrays.equals(os, dy.shape())) {
            throw new ShapeException("avgPool backward: output gradient must be " + Tensor.shapeString(os) + ", got "
                    + dy.shapeString());
        }
        float[] dxd = dx.data();
        float[] dyd = dy.data();
        int h = xShape[2];
        int w = xShape[3];
        int oh = os[2];
        int ow = os[3];
        // One plane per task: windows overlap only within a plane.
        parallelFor(os[0] * os[1], plane -> {
            int xo = plane * h * w;
            int yo = plane * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                int y0 = Math.max(0, oy * s.stride() - s.pad());
                int y1 = Math.min(h, oy * s.stride() - s.pad() + s.kernel());
                for (int ox = 0; ox < ow; ox++) {
                    int x0 = Math.max(0, ox * s.stride() - s.pad());
                    int x1 = Math.min(w, ox * s.stride() - s.pad() + s.kernel());
                    float g = dyd[yo + oy * ow + ox] / ((y1 - y0) * (x1 - x0));
                    for (int iy = y0; iy < y1; iy++) {
                        for (int ix = x0; ix < x1; ix++) {
                            dxd[xo + iy * w + ix] += g;
                        }
                    }
                }
            }
        });
        return dx;
    }

    // ---------------------------------------------------------------- loss

    @Override
    public LossResult softmaxCrossEntropy(Tensor logits, int[] labels) {
        if (logits.rank() != 2 || logits.dim(0) != labels.length) {
            throw new ShapeException("softmaxCrossEntropy: logits must be [N, K] with N = " + labels.length
                    + " labels, got " + logits.shapeString());
        }
        int n = logits.dim(0);
        int k = logits.dim(1);
        float[] ld = logits.data();
        float[] gd = new float[ld.length];
        double total = 0;
        for (int i = 0; i < n; i++) {
            int label = labels[i];
            if (label < 0 || label >= k) {
                throw new IllegalArgumentException("softmaxCrossEntropy: label " + label + " of sample " + i
                        + " is outside 0.." + (k - 1));
            }
            int o = i * k;
            // Log-sum-exp from the row maximum, in double: no overflow, and the loss is exact
            // enough to compare runs.
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, ld[o + j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(ld[o + j] - max);
            }
            double logSum = max + Math.log(sum);
            total += logSum - ld[o + label];
            for (int j = 0; j < k; j++) {
                double p = Math.exp(ld[o + j] - logSum);
                gd[o + j] = (float) ((p - (j == label ? 1 : 0)) / n);
            }
        }
        return new LossResult(total / n, new Tensor(logits.shape(), gd));
    }
}
