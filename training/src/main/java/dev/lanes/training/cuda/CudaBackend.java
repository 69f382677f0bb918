package dev.lanes.training.cuda;

import static jcuda.jcublas.cublasOperation.CUBLAS_OP_N;
import static jcuda.jcublas.cublasOperation.CUBLAS_OP_T;

import dev.lanes.errors.ShapeException;
import dev.lanes.training.Backend;
import dev.lanes.training.ConvShape;
import dev.lanes.training.ConvSpec;
import dev.lanes.training.PoolSpec;
import dev.lanes.training.Tensor;
import dev.lanes.training.optim.ParameterUpdates;
import java.util.Arrays;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.jcublas.JCublas2;

/**
 * The CUDA backend: the same operations as {@link dev.lanes.training.CpuBackend}, on a GPU
 * through JCuda. Matrix products (and so convolutions, as im2col then a batched product) run in
 * cuBLAS; im2col and its adjoint, pooling, batch-normalization statistics, activations and the
 * loss are this project's kernels ({@code kernels.cu}), compiled when the backend opens with
 * NVRTC. Tensors stay host arrays at the interface: each operation uploads its inputs and
 * downloads its result, which keeps every layer, optimizer and checkpoint identical across
 * backends at the price of copies. There is no JCudnn for CUDA 12, so nothing here needs it.
 * The optimizers' element-wise updates run here too ({@link ParameterUpdates}) when the
 * optimizer is told to ({@code Optimizer.runUpdatesOn}).
 *
 * <p>Use {@link #probe()} before {@link #open()}: on a machine without a GPU, a driver or the
 * native libraries, it says why instead of failing.
 */
public final class CudaBackend implements Backend, ParameterUpdates, AutoCloseable {
    private static final Pointer ONE = Pointer.to(new float[] {1f});

    private final CudaDevice dev;

    private CudaBackend(CudaDevice dev) {
        this.dev = dev;
    }

    /** Whether the CUDA backend can run here, and if not, why. */
    public record Availability(boolean available, String description) {
    }

    private static Availability probed;

    /**
     * Opens the backend once to see whether it works: loads the JCuda natives, initializes the
     * driver, finds device 0 and compiles the kernels. Any failure, including the
     * {@code UnsatisfiedLinkError} of a machine without CUDA, becomes the reason. Probed once
     * per JVM.
     */
    public static synchronized Availability probe() {
        if (probed == null) {
            try (CudaBackend b = open()) {
                probed = new Availability(true, "CUDA device 0: " + b.dev.name());
            } catch (Throwable t) {
                String what = t.getMessage() == null ? "" : ": " + t.getMessage().lines().findFirst().orElse("");
                probed = new Availability(false, t.getClass().getSimpleName() + what);
            }
        }
        return probed;
    }

    /** Opens device 0. Throws when CUDA cannot be used here (see {@link #probe()}). */
    public static CudaBackend open() {
        return new CudaBackend(new CudaDevice());
    }

    /** The device's name. */
    public String deviceName() {
        return dev.name();
    }

    @Override
    public void close() {
        dev.close();
    }

    // ---------------------------------------------------------------- helpers

    /** Row-major C = op(A) op(B) + beta C, batched with strides. */
    private void gemm(boolean ta, boolean tb, int m, int n, int k, CUdeviceptr a, int lda, long sa, CUdeviceptr b,
                      int ldb, long sb, float beta, CUdeviceptr c, int ldc, long sc, int batch) {
        // Row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T: B goes first.
        JCublas2.cublasSgemmStridedBatched(dev.blas(), tb ? CUBLAS_OP_T : CUBLAS_OP_N, ta ? CUBLAS_OP_T : CUBLAS_OP_N,
                n, m, k, ONE, b, ldb, sb, a, lda, sa, Pointer.to(new float[] {beta}), c, ldc, sc, batch);
    }

    private static long offset(long floats) {
        return floats * 4L;
    }

    private void im2col(CUdeviceptr x, CUdeviceptr col, ConvShape d, int g) {
        dev.launch("im2col", (long) d.n() * d.k() * d.p(), x, col, d.n(), d.c(), g * d.cg(), d.cg(), d.h(), d.w(), d.kh(), d.kw(),
                d.oh(), d.ow(), d.stride(), d.pad());
    }

    private static void checkOutput(String op, Tensor dy, ConvShape d) {
        int[] expected = {d.n(), d.oc(), d.oh(), d.ow()};
        if (!Arrays.equals(dy.shape(), expected)) {
            throw new ShapeException(op + ": output gradient must be " + Tensor.shapeString(expected) + ", got "
                    + dy.shapeString());
        }
    }

    // ---------------------------------------------------------------- convolution

    @Override
    public Tensor conv2d(Tensor x, Tensor w, Tensor bias, ConvSpec spec) {
        ConvShape d = ConvShape.of("conv2d", x.shape(), w.shape(), spec);
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != d.oc())) {
            throw new ShapeException("conv2d: bias must be [" + d.oc() + "], got " + bias.shapeString());
        }
        long ySize = (long) d.n() * d.oc() * d.p();
        long colSize = (long) d.n() * d.k() * d.p();
        CUdeviceptr xd = dev.upload(x.data());
        CUdeviceptr wd = dev.upload(w.data());
        CUdeviceptr col = dev.alloc(colSize);
        CUdeviceptr y = dev.alloc(ySize);
        try {
            for (int g = 0; g < d.groups(); g++) {
                im2col(xd, col, d, g);
                // y[n][oc0 + o][p] = w[oc0 + o][k] col[n][k][p], all images in one batched product.
                gemm(false, false, d.ocg(), d.p(), d.k(), wd.withByteOffset(offset((long) g * d.ocg() * d.k())), d.k(),
                        0, col, d.p(), (long) d.k() * d.p(), 0f, y.withByteOffset(offset((long) g * d.ocg() * d.p())),
                        d.p(), (long) d.oc() * d.p(), d.n());
            }
            if (bias != null) {
                CUdeviceptr b = dev.upload(bias.data());
                try {
                    dev.launch("add_channel_bias", ySize, y, b, ySize, d.oc(), d.p());
                } finally {
                    dev.release(b, d.oc());
                }
            }
            return new Tensor(new int[] {d.n(), d.oc(), d.oh(), d.ow()}, dev.downloadFloats(y, (int) ySize));
        } finally {
            dev.release(xd, x.size());
            dev.release(wd, w.size());
            dev.release(col, colSize);
            dev.release(y, ySize);
        }
    }

    @Override
    public Tensor conv2dBackwardInput(Tensor dy, Tensor w, int[] xShape, ConvSpec spec) {
        ConvShape d = ConvShape.of("conv2d backward (input)", xShape, w.shape(), spec);
        checkOutput("conv2d backward (input)", dy, d);
        long xSize = (long) d.n() * d.c() * d.h() * d.w();
        long colSize = (long) d.n() * d.k() * d.p();
        CUdeviceptr dyd = dev.upload(dy.data());
        CUdeviceptr wd = dev.upload(w.data());
        CUdeviceptr col = dev.alloc(colSize);
        CUdeviceptr dx = dev.alloc(xSize);
        try {
            dev.zero(dx, xSize);
            for (int g = 0; g < d.groups(); g++) {
                // col[n][k][p] = w^T[k][oc0 + o] dy[n][oc0 + o][p]
                gemm(true, false, d.k(), d.p(), d.ocg(), wd.withByteOffset(offset((long) g * d.ocg() * d.k())), d.k(),
                        0, dyd.withByteOffset(offset((long) g * d.ocg() * d.p())), d.p(), (long) d.oc() * d.p(), 0f,
                        col, d.p(), (long) d.k() * d.p(), d.n());
                dev.launch("col2im", (long) d.n() * d.cg() * d.h() * d.w(), col, dx, d.n(), d.c(), g * d.cg(), d.cg(), d.h(), d.w(),
                        d.kh(), d.kw(), d.oh(), d.ow(), d.stride(), d.pad());
            }
            return new Tensor(xShape, dev.downloadFloats(dx, (int) xSize));
        } finally {
            dev.release(dyd, dy.size());
            dev.release(wd, w.size());
            dev.release(col, colSize);
            dev.release(dx, xSize);
        }
    }

    @Override
    public Tensor conv2dBackwardWeight(Tensor dy, Tensor x, int[] wShape, ConvSpec spec) {
        ConvShape d = ConvShape.of("conv2d backward (weight)", x.shape(), wShape, spec);
        checkOutput("conv2d backward (weight)", dy, d);
        long colSize = (long) d.n() * d.k() * d.p();
        long wSize = (long) d.oc() * d.k();
        CUdeviceptr xd = dev.upload(x.data());
        CUdeviceptr dyd = dev.upload(dy.data());
        CUdeviceptr col = dev.alloc(colSize);
        CUdeviceptr dw = dev.alloc(wSize);
        try {
            dev.zero(dw, wSize);
            for (int g = 0; g < d.groups(); g++) {
                im2col(xd, col, d, g);
                CUdeviceptr dwg = dw.withByteOffset(offset((long) g * d.ocg() * d.k()));
                // dw[o][k] += dy[n][oc0 + o][p] col[n][k][p]^T, image after image: a fixed order.
                for (int n = 0; n < d.n(); n++) {
                    gemm(false, true, d.ocg(), d.k(), d.p(),
                            dyd.withByteOffset(offset(((long) n * d.oc() + (long) g * d.ocg()) * d.p())), d.p(), 0,
                            col.withByteOffset(offset((long) n * d.k() * d.p())), d.p(), 0, 1f, dwg, d.k(), 0, 1);
                }
            }
            return new Tensor(wShape, dev.downloadFloats(dw, (int) wSize));
        } finally {
            dev.release(xd, x.size());
            dev.release(dyd, dy.size());
            dev.release(col, colSize);
            dev.release(dw, wSize);
        }
    }

    // ---------------------------------------------------------------- matrices

    @Override
    public Tensor matmul(Tensor a, boolean transposeA, Tensor b, boolean transposeB) {
        if (a.rank() != 2 || b.rank() != 2) {
            throw new ShapeException("matmul: needs two matrices, got " + a.shapeString() + " and " + b.shapeString());
        }
        int m = transposeA ? a.dim(1) : a.dim(0);
        int ka = transposeA ? a.dim(0) : a.dim(1);
        int kb = transposeB ? b.dim(1) : b.dim(0);
        int n = transposeB ? b.dim(0) : b.dim(1);
        if (ka != kb) {
            throw new ShapeException("matmul: inner dimensions differ: " + a.shapeString() + (transposeA ? "^T" : "")
                    + " x " + b.shapeString() + (transposeB ? "^T" : "") + " (" + ka + " vs " + kb + ")");
        }
        CUdeviceptr ad = dev.upload(a.data());
        CUdeviceptr bd = dev.upload(b.data());
        CUdeviceptr c = dev.alloc((long) m * n);
        try {
            if ((long) m * n == 0) {
                return Tensor.zeros(m, n);
            }
            if (ka == 0) {
                dev.zero(c, (long) m * n);
            } else {
                gemm(transposeA, transposeB, m, n, ka, ad, a.dim(1), 0, bd, b.dim(1), 0, 0f, c, n, 0, 1);
            }
            return new Tensor(new int[] {m, n}, dev.downloadFloats(c, m * n));
        } finally {
            dev.release(ad, a.size());
            dev.release(bd, b.size());
            dev.release(c, (long) m * n);
        }
    }

    private static void sameShape(String op, Tensor a, Tensor b) {
        if (!a.sameShape(b)) {
            throw new ShapeException(op + ": shapes differ: " + a.shapeString() + " and " + b.shapeString());
        }
    }

    /** out = kernel(a, b) element by element, a and b of one shape. */
    private Tensor binary(String kernel, Tensor a, Tensor b) {
        sameShape(kernel, a, b);
        long n = a.size();
        CUdeviceptr ad = dev.upload(a.data());
        CUdeviceptr bd = dev.upload(b.data());
        CUdeviceptr out = dev.alloc(n);
        try {
            dev.launch(kernel, n, ad, bd, out, n);
            return new Tensor(a.shape(), dev.downloadFloats(out, (int) n));
        } finally {
            dev.release(ad, n);
            dev.release(bd, n);
            dev.release(out, n);
        }
    }

    @Override
    public Tensor add(Tensor a, Tensor b) {
        return binary("add", a, b);
    }

    @Override
    public Tensor mul(Tensor a, Tensor b) {
        return binary("mul", a, b);
    }

    @Override
    public Tensor addRowVector(Tensor m, Tensor v) {
        if (m.rank() != 2 || v.rank() != 1 || v.dim(0) != m.dim(1)) {
            throw new ShapeException("addRowVector: needs [N, F] and [F], got " + m.shapeString() + " and "
                    + v.shapeString());
        }
        long n = m.size();
        CUdeviceptr md = dev.upload(m.data());
        CUdeviceptr vd = dev.upload(v.data());
        CUdeviceptr out = dev.alloc(n);
        try {
            dev.launch("add_row_vector", n, md, vd, out, n, m.dim(1));
            return new Tensor(m.shape(), dev.downloadFloats(out, (int) n));
        } finally {
            dev.release(md, n);
            dev.release(vd, v.size());
            dev.release(out, n);
        }
    }

    @Override
    public Tensor sumRows(Tensor m) {
        if (m.rank() != 2) {
            throw new ShapeException("sumRows: needs a matrix, got " + m.shapeString());
        }
        int f = m.dim(1);
        CUdeviceptr md = dev.upload(m.data());
        CUdeviceptr out = dev.alloc(f);
        try {
            dev.launch("sum_rows", f, md, out, m.dim(0), f);
            return new Tensor(new int[] {f}, dev.downloadFloats(out, f));
        } finally {
            dev.release(md, m.size());
            dev.release(out, f);
        }
    }

    @Override
    public Tensor relu(Tensor x) {
        long n = x.size();
        CUdeviceptr xd = dev.upload(x.data());
        CUdeviceptr out = dev.alloc(n);
        try {
            dev.launch("relu", n, xd, out, n);
            return new Tensor(x.shape(), dev.downloadFloats(out, (int) n));
        } finally {
            dev.release(xd, n);
            dev.release(out, n);
        }
    }

    @Override
    public Tensor reluBackward(Tensor dy, Tensor y) {
        return binary("relu_backward", dy, y);
    }

    // ---------------------------------------------------------------- per channel

    /** [N, C, spatial] of an NCHW or [N, C] tensor. */
    private static int[] layout(String op, Tensor x) {
        if (x.rank() != 2 && x.rank() != 4) {
            throw new ShapeException(op + ": needs [N, C] or [N, C, H, W], got " + x.shapeString());
        }
        return new int[] {x.dim(0), x.dim(1), x.rank() == 4 ? x.dim(2) * x.dim(3) : 1};
    }

    private static void channels(String op, int c, float[]... vectors) {
        for (float[] v : vectors) {
            if (v.length != c) {
                throw new ShapeException(op + ": per-channel vector has " + v.length + " entries, the tensor " + c
                        + " channels");
            }
        }
    }

    @Override
    public Tensor channelSum(Tensor x) {
        int[] l = layout("channelSum", x);
        if (l[1] == 0) {
            return Tensor.zeros(0);
        }
        CUdeviceptr xd = dev.upload(x.data());
        CUdeviceptr out = dev.alloc(l[1]);
        try {
            dev.launchBlocks("channel_sum", l[1], CudaDevice.THREADS, xd, out, l[0], l[1], l[2]);
            return new Tensor(new int[] {l[1]}, dev.downloadFloats(out, l[1]));
        } finally {
            dev.release(xd, x.size());
            dev.release(out, l[1]);
        }
    }

    @Override
    public ChannelMoments channelMoments(Tensor x) {
        int[] l = layout("channelMoments", x);
        if (l[1] == 0) {
            return new ChannelMoments(new float[0], new float[0]);
        }
        CUdeviceptr xd = dev.upload(x.data());
        CUdeviceptr mean = dev.alloc(l[1]);
        CUdeviceptr var = dev.alloc(l[1]);
        try {
            dev.launchBlocks("channel_moments", l[1], CudaDevice.THREADS, xd, mean, var, l[0], l[1], l[2]);
            return new ChannelMoments(dev.downloadFloats(mean, l[1]), dev.downloadFloats(var, l[1]));
        } finally {
            dev.release(xd, x.size());
            dev.release(mean, l[1]);
            dev.release(var, l[1]);
        }
    }

    @Override
    public Tensor channelCentredDot(Tensor g, Tensor x, float[] centre) {
        sameShape("channelCentredDot", g, x);
        int[] l = layout("channelCentredDot", x);
        channels("channelCentredDot", l[1], centre);
        if (l[1] == 0) {
            return Tensor.zeros(0);
        }
        CUdeviceptr gd = dev.upload(g.data());
        CUdeviceptr xd = dev.upload(x.data());
        CUdeviceptr cd = dev.upload(centre);
        CUdeviceptr out = dev.alloc(l[1]);
        try {
            dev.launchBlocks("channel_centred_dot", l[1], CudaDevice.THREADS, gd, xd, cd, out, l[0], l[1], l[2]);
            return new Tensor(new int[] {l[1]}, dev.downloadFloats(out, l[1]));
        } finally {
            dev.release(gd, g.size());
            dev.release(xd, x.size());
            dev.release(cd, l[1]);
            dev.release(out, l[1]);
        }
    }

    @Override
    public Tensor channelAffine(Tensor x, float[] scale, float[] shift) {
        int[] l = layout("channelAffine", x);
        channels("channelAffine", l[1], scale, shift);
        long n = x.size();
        CUdeviceptr xd = dev.upload(x.data());
        CUdeviceptr sc = dev.upload(scale);
        CUdeviceptr sh = dev.upload(shift);
        CUdeviceptr out = dev.alloc(n);
        try {
            dev.launch("channel_affine", n, xd, sc, sh, out, n, l[1], l[2]);
            return new Tensor(x.shape(), dev.downloadFloats(out, (int) n));
        } finally {
            dev.release(xd, n);
            dev.release(sc, l[1]);
            dev.release(sh, l[1]);
            dev.release(out, n);
        }
    }

    @Override
    public Tensor channelCombine(Tensor a, float[] sa, Tensor b, float[] centre, float[] sb, float[] shift) {
        sameShape("channelCombine", a, b);
        int[] l = layout("channelCombine", a);
        channels("channelCombine", l[1], sa, centre, sb, shift);
        long n = a.size();
        CUdeviceptr ad = dev.upload(a.data());
        CUdeviceptr bd = dev.upload(b.data());
        CUdeviceptr sad = dev.upload(sa);
        CUdeviceptr cd = dev.upload(centre);
        CUdeviceptr sbd = dev.upload(sb);
        CUdeviceptr sh = dev.upload(shift);
        CUdeviceptr out = dev.alloc(n);
        try {
            dev.launch("channel_combine", n, ad, sad, bd, cd, sbd, sh, out, n, l[1], l[2]);
            return new Tensor(a.shape(), dev.downloadFloats(out, (int) n));
        } finally {
            dev.release(ad, n);
            dev.release(bd, n);
            for (CUdeviceptr v : new CUdeviceptr[] {sad, cd, sbd, sh}) {
                dev.release(v, l[1]);
            }
            dev.release(out, n);
        }
    }

    // ---------------------------------------------------------------- pooling

    private static int[] poolShape(String op, int[] xs, PoolSpec s) {
        if (xs.length != 4) {
            throw new ShapeException(op + ": needs [N, C, H, W], got " + Tensor.shapeString(xs));
        }
        if (xs[2] + 2 * s.pad() < s.kernel() || xs[3] + 2 * s.pad() < s.kernel()) {
            throw new ShapeException(op + ": window " + s.kernel() + " is larger than the padded input "
                    + Tensor.shapeString(xs) + " with pad " + s.pad());
        }
        return new int[] {xs[0], xs[1], s.outSize(xs[2]), s.outSize(xs[3])};
    }

    @Override
    public MaxPoolResult maxPool(Tensor x, PoolSpec s) {
        int[] os = poolShape("maxPool", x.shape(), s);
        long planes = (long) os[0] * os[1];
        long n = planes * os[2] * os[3];
        CUdeviceptr xd = dev.upload(x.data());
        CUdeviceptr y = dev.alloc(n);
        CUdeviceptr arg = dev.alloc(n);
        try {
            dev.launch("max_pool", n, xd, y, arg, planes, x.dim(2), x.dim(3), os[2], os[3], s.kernel(), s.stride(),
                    s.pad());
            return new MaxPoolResult(new Tensor(os, dev.downloadFloats(y, (int) n)), dev.downloadInts(arg, (int) n));
        } finally {
            dev.release(xd, x.size());
            dev.release(y, n);
            dev.release(arg, n);
        }
    }

    @Override
    public Tensor maxPoolBackward(Tensor dy, int[] argmax, int[] xShape) {
        if (argmax.length != dy.size()) {
            throw new ShapeException("maxPool backward: " + argmax.length + " maxima for an output gradient of "
                    + dy.shapeString());
        }
        long xSize = 1;
        for (int d : xShape) {
            xSize *= d;
        }
        for (int a : argmax) {
            if (a < 0 || a >= xSize) {
                throw new ShapeException("maxPool backward: maximum at " + a + " outside the input "
                        + Tensor.shapeString(xShape));
            }
        }
        CUdeviceptr dyd = dev.upload(dy.data());
        CUdeviceptr arg = dev.upload(argmax);
        CUdeviceptr dx = dev.alloc(xSize);
        try {
            dev.zero(dx, xSize);
            dev.launch("max_pool_backward", argmax.length, dyd, arg, dx, (long) argmax.length);
            return new Tensor(xShape, dev.downloadFloats(dx, (int) xSize));
        } finally {
            dev.release(dyd, dy.size());
            dev.release(arg, argmax.length);
            dev.release(dx, xSize);
        }
    }

    @Override
    public Tensor avgPool(Tensor x, PoolSpec s) {
        int[] os = poolShape("avgPool", x.shape(), s);
        long planes = (long) os[0] * os[1];
        long n = planes * os[2] * os[3];
        CUdeviceptr xd = dev.upload(x.data());
        CUdeviceptr y = dev.alloc(n);
        try {
            dev.launch("avg_pool", n, xd, y, planes, x.dim(2), x.dim(3), os[2], os[3], s.kernel(), s.stride(),
                    s.pad());
            return new Tensor(os, dev.downloadFloats(y, (int) n));
        } finally {
            dev.release(xd, x.size());
            dev.release(y, n);
        }
    }

    @Override
    public Tensor avgPoolBackward(Tensor dy, int[] xShape, PoolSpec s) {
        int[] os = poolShape("avgPool backward", xShape, s);
        if (!Arrays.equals(os, dy.shape())) {
            throw new ShapeException("avgPool backward: output gradient must be " + Tensor.shapeString(os) + ", got "
                    + dy.shapeString());
        }
        long planes = (long) os[0] * os[1];
        long xSize = planes * xShape[2] * xShape[3];
        CUdeviceptr dyd = dev.upload(dy.data());
        CUdeviceptr dx = dev.alloc(xSize);
        try {
            dev.launch("avg_pool_backward", xSize, dyd, dx, planes, xShape[2], xShape[3], os[2], os[3], s.kernel(),
                    s.stride(), s.pad());
            return new Tensor(xShape, dev.downloadFloats(dx, (int) xSize));
        } finally {
            dev.release(dyd, dy.size());
            dev.release(dx, xSize);
        }
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
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("softmaxCrossEntropy: label " + labels[i] + " of sample " + i
                        + " is outside 0.." + (k - 1));
            }
        }
        CUdeviceptr z = dev.upload(logits.data());
        CUdeviceptr lab = dev.upload(labels);
        CUdeviceptr loss = dev.alloc(2L * n);
        CUdeviceptr grad = dev.alloc((long) n * k);
        try {
            dev.launch("softmax_cross_entropy", n, z, lab, loss, grad, n, k);
            double total = 0;
            for (double l : dev.downloadDoubles(loss, n)) {
                total += l;
            }
            return new LossResult(total / n, new Tensor(logits.shape(), dev.downloadFloats(grad, n * k)));
        } finally {
            dev.release(z, logits.size());
            dev.release(lab, n);
            dev.release(loss, 2L * n);
            dev.release(grad, (long) n * k);
        }
    }

    // ---------------------------------------------------------------- optimizer updates

    @Override
    public void adam(float[] w, float[] grad, float[] m, float[] v, float beta1, float beta2, float l2,
                     float stepSize, float sqrtBc2, float eps) {
        sameLength("adam", w, grad, m, v);
        long n = w.length;
        CUdeviceptr wd = dev.upload(w);
        CUdeviceptr gd = dev.upload(grad);
        CUdeviceptr md = dev.upload(m);
        CUdeviceptr vd = dev.upload(v);
        try {
            dev.launch("adam_update", n, wd, gd, md, vd, n, beta1, beta2, l2, stepSize, sqrtBc2, eps);
            System.arraycopy(dev.downloadFloats(wd, w.length), 0, w, 0, w.length);
            System.arraycopy(dev.downloadFloats(md, m.length), 0, m, 0, m.length);
            System.arraycopy(dev.downloadFloats(vd, v.length), 0, v, 0, v.length);
        } finally {
            for (CUdeviceptr p : new CUdeviceptr[] {wd, gd, md, vd}) {
                dev.release(p, n);
            }
        }
    }

    @Override
    public void sgd(float[] w, float[] grad, float[] velocity, float wd, float rate, float momentum,
                    boolean nesterov) {
        if (velocity == null) {
            sameLength("sgd", w, grad);
        } else {
            sameLength("sgd", w, grad, velocity);
        }
        long n = w.length;
        CUdeviceptr wp = dev.upload(w);
        CUdeviceptr gp = dev.upload(grad);
        CUdeviceptr vp = velocity == null ? dev.alloc(1) : dev.upload(velocity);
        try {
            dev.launch("sgd_update", n, wp, gp, vp, velocity == null ? 0 : 1, n, wd, rate, momentum,
                    nesterov ? 1 : 0);
            System.arraycopy(dev.downloadFloats(wp, w.length), 0, w, 0, w.length);
            if (velocity != null) {
                System.arraycopy(dev.downloadFloats(vp, velocity.length), 0, velocity, 0, velocity.length);
            }
        } finally {
            dev.release(wp, n);
            dev.release(gp, n);
            dev.release(vp, velocity == null ? 1 : n);
        }
    }

    private static void sameLength(String op, float[] w, float[]... others) {
        for (float[] o : others) {
            if (o.length != w.length) {
                throw new ShapeException(op + " update: a buffer of " + o.length + " values for a parameter of "
                        + w.length);
            }
        }
    }
}
