package dev.lanes.runtime.kernels.spatial;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;

/**
 * Resize and Upsample: nearest, N-d linear and cubic interpolation with every ONNX coordinate
 * transformation, antialiasing, keep_aspect_ratio_policy and axes. The interpolation is
 * separable, so each resized axis is one pass that mixes a few input slices (taps) per output
 * slice, with the innermost loop over contiguous memory.
 */
public final class ResizeKernel implements Kernel {
    /** The interpolation. */
    public enum Mode {
        /** Nearest neighbour. */
        NEAREST,
        /** Linear (bilinear, trilinear, ...). */
        LINEAR,
        /** Cubic convolution with coefficient a. */
        CUBIC
    }

    /** How an output coordinate maps to an input coordinate. */
    public enum CoordinateMode {
        /** (x + 0.5) / scale - 0.5. */
        HALF_PIXEL,
        /** Half pixel, centred when the output size was rounded. */
        HALF_PIXEL_SYMMETRIC,
        /** Half pixel, but 0 when the output length is 1. */
        PYTORCH_HALF_PIXEL,
        /** x * (in - 1) / (out - 1). */
        ALIGN_CORNERS,
        /** x / scale. */
        ASYMMETRIC,
        /** (x + 0.5) / scale. */
        TF_HALF_PIXEL_FOR_NN,
        /** Maps into the region of interest given by the roi input. */
        TF_CROP_AND_RESIZE
    }

    /** How nearest mode rounds a fractional coordinate. */
    public enum NearestMode {
        /** Round, halves down. */
        ROUND_PREFER_FLOOR,
        /** Round, halves up. */
        ROUND_PREFER_CEIL,
        /** Down. */
        FLOOR,
        /** Up. */
        CEIL
    }

    /** How requested sizes keep the aspect ratio (opset 18). */
    public enum AspectPolicy {
        /** Use the sizes as given. */
        STRETCH,
        /** One scale for all axes: the largest that fits into the sizes. */
        NOT_LARGER,
        /** One scale for all axes: the smallest that covers the sizes. */
        NOT_SMALLER
    }

    /**
     * The attributes of a resize, resolved by the compiler.
     *
     * @param mode               interpolation
     * @param coordinateMode     coordinate transformation
     * @param nearestMode        rounding in nearest mode
     * @param cubicA             the cubic coefficient a
     * @param excludeOutside     give taps outside the input weight 0 (and renormalize)
     * @param extrapolationValue value of cells mapped outside the input (tf_crop_and_resize)
     * @param antialias          widen the filter when downscaling (linear and cubic)
     * @param aspectPolicy       keep_aspect_ratio_policy
     * @param axes               the axes that scales, sizes and roi refer to, or null for all
     * @param fixedScales        scales given as an attribute (Upsample-7), or null
     * @param roiInput           index of the roi input, or -1
     * @param scalesInput        index of the scales input, or -1
     * @param sizesInput         index of the sizes input, or -1
     */
    public record Settings(Mode mode, CoordinateMode coordinateMode, NearestMode nearestMode,
            float cubicA, boolean excludeOutside, float extrapolationValue, boolean antialias,
            AspectPolicy aspectPolicy, int[] axes, float[] fixedScales, int roiInput,
            int scalesInput, int sizesInput) {
        /** Copies the arrays. */
        public Settings {
            axes = axes == null ? null : axes.clone();
            fixedScales = fixedScales == null ? null : fixedScales.clone();
        }
    }

    private final Settings st;

    /** A resize with the given settings. */
    public ResizeKernel(Settings settings) {
        this.st = settings;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putRecord("settings", st, SpatialCodecs::writeResize);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static ResizeKernel readParams(ParamReader in) {
        return new ResizeKernel(in.requireRecord("settings", SpatialCodecs::readResize));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        if (!x.dtype().isFloat() && st.mode() != Mode.NEAREST) {
            throw new ShapeException("Resize: " + st.mode() + " interpolation needs FLOAT input,"
                    + " got " + x.dtype() + " (integer inputs support nearest mode only)");
        }
        int rank = x.rank();
        int[] xs = x.shapeView();
        int[] axes = resolveAxes(rank);
        float[] scalesIn = st.fixedScales() != null ? st.fixedScales()
                : floatsOf(input(in, st.scalesInput()));
        long[] sizesIn = longsOf(input(in, st.sizesInput()));
        double[] scale = new double[rank];
        int[] outShape = xs.clone();
        Arrays.fill(scale, 1.0);
        if (sizesIn != null) {
            if (sizesIn.length != axes.length) {
                throw new ShapeException("Resize: sizes has " + sizesIn.length
                        + " values, expected " + axes.length);
            }
            if (st.aspectPolicy() == AspectPolicy.STRETCH) {
                for (int i = 0; i < axes.length; i++) {
                    outShape[axes[i]] = checkedSize(sizesIn[i]);
                    scale[axes[i]] = (double) outShape[axes[i]] / xs[axes[i]];
                }
            } else {
                double common = st.aspectPolicy() == AspectPolicy.NOT_LARGER
                        ? Double.POSITIVE_INFINITY : 0;
                for (int i = 0; i < axes.length; i++) {
                    double s = (double) sizesIn[i] / xs[axes[i]];
                    common = st.aspectPolicy() == AspectPolicy.NOT_LARGER ? Math.min(common, s)
                            : Math.max(common, s);
                }
                for (int a : axes) {
                    outShape[a] = checkedSize((long) Math.floor(common * xs[a] + 0.5));
                    scale[a] = common;
                }
            }
        } else if (scalesIn != null) {
            if (scalesIn.length != axes.length) {
                throw new ShapeException("Resize: scales has " + scalesIn.length
                        + " values, expected " + axes.length + " for input "
                        + Arrays.toString(xs));
            }
            for (int i = 0; i < axes.length; i++) {
                if (!(scalesIn[i] > 0)) {
                    throw new ShapeException("Resize: scale " + scalesIn[i] + " for axis "
                            + axes[i] + " must be positive");
                }
                scale[axes[i]] = scalesIn[i];
                outShape[axes[i]] = checkedSize((long) Math.floor(xs[axes[i]] * (double) scalesIn[i]));
            }
        } else {
            throw new ShapeException("Resize: needs either scales or sizes");
        }
        float[] roi = floatsOf(input(in, st.roiInput()));
        boolean crop = st.coordinateMode() == CoordinateMode.TF_CROP_AND_RESIZE;
        int[] passes = new int[axes.length];
        int count = 0;
        for (int i = 0; i < axes.length; i++) {
            int a = axes[i];
            if (crop || outShape[a] != xs[a] || scale[a] != 1.0) {
                passes[count++] = i;
            }
        }
        if (count == 0) {
            // Nothing to resize: the input itself, as Identity gives it.
            return new Tensor[] {x};
        }
        // One pass per resized axis: the last writes the output, earlier ones a scratch array
        // each, handed back once the next pass has read it.
        Object cur = x.dtype().isFloat() ? x.floats() : x.longs();
        int[] curShape = xs;
        Tensor out = null;
        for (int p = 0; p < count; p++) {
            int i = passes[p];
            int a = axes[i];
            double start = 0;
            double end = 1;
            if (crop) {
                if (roi == null || roi.length != 2 * axes.length) {
                    throw new ShapeException("Resize: tf_crop_and_resize needs roi with "
                            + 2 * axes.length + " values");
                }
                start = roi[i];
                end = roi[i + axes.length];
            }
            int[] ys = curShape.clone();
            ys[a] = outShape[a];
            Object next;
            if (p == count - 1) {
                out = x.dtype().isFloat() ? ctx.output(ys) : Tensor.zeros(x.dtype(), ys);
                next = x.dtype().isFloat() ? out.floats() : out.longs();
            } else {
                int size = Tensor.checkedSize(ys);
                next = x.dtype().isFloat() ? ctx.scratch(size) : new long[size];
            }
            resizeAxis(cur, curShape, next, a, outShape[a], scale[a], start, end);
            if (p > 0 && cur instanceof float[] done) {
                ctx.releaseScratch(done);
            }
            cur = next;
            curShape = ys;
        }
        return new Tensor[] {out};
    }

    private int[] resolveAxes(int rank) {
        if (st.axes() == null) {
            int[] a = new int[rank];
            for (int i = 0; i < rank; i++) {
                a[i] = i;
            }
            return a;
        }
        int[] a = st.axes().clone();
        for (int i = 0; i < a.length; i++) {
            if (a[i] < -rank || a[i] >= rank) {
                throw new ShapeException("Resize: axis " + a[i] + " out of range for rank " + rank);
            }
            a[i] = a[i] < 0 ? a[i] + rank : a[i];
        }
        return a;
    }

    private static Tensor input(Tensor[] in, int i) {
        return i >= 0 && i < in.length ? in[i] : null;
    }

    private static float[] floatsOf(Tensor t) {
        if (t == null || t.size() == 0) {
            return null;
        }
        float[] f = new float[t.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) t.getDouble(i);
        }
        return f;
    }

    private static long[] longsOf(Tensor t) {
        if (t == null || t.size() == 0) {
            return null;
        }
        long[] v = new long[t.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = t.getLong(i);
        }
        return v;
    }

    private static int checkedSize(long v) {
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new ShapeException("Resize: output size " + v + " is out of range");
        }
        return (int) v;
    }

    /** Input coordinate of output index {@code j} along an axis. */
    private double sourceCoordinate(int j, int n, int m, double scale, double start, double end) {
        return switch (st.coordinateMode()) {
            case HALF_PIXEL -> (j + 0.5) / scale - 0.5;
            case HALF_PIXEL_SYMMETRIC -> {
                double adjustment = m / (scale * n);
                double center = n / 2.0;
                double offset = center * (1 - adjustment);
                yield offset + (j + 0.5) / scale - 0.5;
            }
            case PYTORCH_HALF_PIXEL -> m > 1 ? (j + 0.5) / scale - 0.5 : 0;
            // The reference divides by the unrounded resized length n * scale.
            case ALIGN_CORNERS -> m == 1 ? 0 : j * (n - 1.0) / (n * scale - 1.0);
            case ASYMMETRIC -> j / scale;
            case TF_HALF_PIXEL_FOR_NN -> (j + 0.5) / scale;
            case TF_CROP_AND_RESIZE -> m > 1
                    ? start * (n - 1) + j * (end - start) * (n - 1) / (m - 1)
                    : 0.5 * (start + end) * (n - 1);
        };
    }

    /**
     * Resizes axis {@code axis} of {@code from} (of shape {@code xs}, a float[] or long[]) to
     * {@code m} cells, writing every element of {@code into} (the same shape but {@code m} on
     * that axis).
     */
    private void resizeAxis(Object from, int[] xs, Object into, int axis, int m, double scale,
            double start, double end) {
        int n = xs[axis];
        int outer = 1;
        for (int a = 0; a < axis; a++) {
            outer *= xs[a];
        }
        int inner = 1;
        for (int a = axis + 1; a < xs.length; a++) {
            inner *= xs[a];
        }
        if ((long) outer * m * inner == 0) {
            return;
        }
        if (n == 0) {
            throw new ShapeException("Resize: cannot resize empty axis " + axis);
        }
        int[][] tapIdx = new int[m][];
        float[][] tapW = new float[m][];
        boolean[] outside = new boolean[m];
        for (int j = 0; j < m; j++) {
            double c = sourceCoordinate(j, n, m, scale, start, end);
            if (st.coordinateMode() == CoordinateMode.TF_CROP_AND_RESIZE
                    && (c < 0 || c > n - 1)) {
                outside[j] = true;
                continue;
            }
            taps(c, n, scale, j, tapIdx, tapW);
        }
        if (from instanceof long[] lv) {
            copyNearest(lv, (long[]) into, outer, n, m, inner, tapIdx, outside);
            return;
        }
        float[] v = (float[]) from;
        float[] y = (float[]) into;
        if (inner == 1) {
            // The last axis: one output value per tap list, summed in a register rather than
            // through a row of length 1 (which cost a fill and a loop per value).
            float fill = st.extrapolationValue();
            for (int o = 0; o < outer; o++) {
                int src = o * n;
                int dst = o * m;
                for (int j = 0; j < m; j++) {
                    if (outside[j]) {
                        y[dst + j] = fill;
                        continue;
                    }
                    int[] idx = tapIdx[j];
                    float[] w = tapW[j];
                    if (idx.length == 1 && w[0] == 1f) {
                        y[dst + j] = v[src + idx[0]];
                        continue;
                    }
                    float sum = 0f;
                    for (int t = 0; t < idx.length; t++) {
                        if (w[t] != 0f) {
                            sum += w[t] * v[src + idx[t]];
                        }
                    }
                    y[dst + j] = sum;
                }
            }
            return;
        }
        for (int o = 0; o < outer; o++) {
            int src = o * n * inner;
            for (int j = 0; j < m; j++) {
                int dst = (o * m + j) * inner;
                if (outside[j]) {
                    Arrays.fill(y, dst, dst + inner, st.extrapolationValue());
                    continue;
                }
                int[] idx = tapIdx[j];
                float[] w = tapW[j];
                if (idx.length == 1 && w[0] == 1f) {
                    // One tap of weight 1 (nearest, or an exact input position): a copy.
                    System.arraycopy(v, src + idx[0] * inner, y, dst, inner);
                    continue;
                }
                // The taps add into the row, which in a recycled array holds anything.
                Arrays.fill(y, dst, dst + inner, 0f);
                for (int t = 0; t < idx.length; t++) {
                    float wt = w[t];
                    if (wt == 0f) {
                        continue;
                    }
                    int s = src + idx[t] * inner;
                    for (int i = 0; i < inner; i++) {
                        y[dst + i] += wt * v[s + i];
                    }
                }
            }
        }
    }

    private void copyNearest(long[] v, long[] y, int outer, int n, int m, int inner,
            int[][] tapIdx, boolean[] outside) {
        long fill = (long) st.extrapolationValue();
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < m; j++) {
                int dst = (o * m + j) * inner;
                if (outside[j]) {
                    Arrays.fill(y, dst, dst + inner, fill);
                } else {
                    System.arraycopy(v, (o * n + tapIdx[j][0]) * inner, y, dst, inner);
                }
            }
        }
    }

    private void taps(double c, int n, double scale, int j, int[][] tapIdx, float[][] tapW) {
        if (st.mode() == Mode.NEAREST) {
            double fl = Math.floor(c);
            double frac = c - fl;
            long pick = switch (st.nearestMode()) {
                case FLOOR -> (long) fl;
                case CEIL -> (long) Math.ceil(c);
                case ROUND_PREFER_FLOOR -> frac <= 0.5 ? (long) fl : (long) fl + 1;
                case ROUND_PREFER_CEIL -> frac < 0.5 ? (long) fl : (long) fl + 1;
            };
            tapIdx[j] = new int[] {(int) Math.max(0, Math.min(n - 1, pick))};
            tapW[j] = new float[] {1f};
            return;
        }
        // Taps follow the ONNX reference: the n input cells nearest to c, ties to the lower cell,
        // which for an integer c makes c itself the upper of the two central taps.
        double fl = Math.floor(c);
        long base = c == fl ? (long) fl - 1 : (long) fl;
        double ratio = c - base;
        double s = st.antialias() ? Math.min(scale, 1.0) : 1.0;
        double support = st.mode() == Mode.LINEAR ? 1 : 2;
        int first = (int) Math.floor(-support / s) + 1;
        int count = 2 - 2 * first;
        int[] idx = new int[count];
        double[] w = new double[count];
        double sum = 0;
        for (int t = 0; t < count; t++) {
            long cell = base + first + t;
            double arg = (first + t - ratio) * s;
            double wt = st.mode() == Mode.LINEAR ? Math.max(0, 1 - Math.abs(arg)) : cubic(arg);
            if (st.excludeOutside() && (cell < 0 || cell >= n)) {
                wt = 0;
            }
            idx[t] = (int) Math.max(0, Math.min(n - 1, cell));
            w[t] = wt;
            sum += wt;
        }
        float[] wf = new float[count];
        for (int t = 0; t < count; t++) {
            wf[t] = (float) (sum == 0 ? 0 : w[t] / sum);
        }
        tapIdx[j] = idx;
        tapW[j] = wf;
    }

    private double cubic(double x) {
        double a = st.cubicA();
        double ax = Math.abs(x);
        if (ax <= 1) {
            return ((a + 2) * ax - (a + 3)) * ax * ax + 1;
        }
        if (ax < 2) {
            return ((a * ax - 5 * a) * ax + 8 * a) * ax - 4 * a;
        }
        return 0;
    }
}
