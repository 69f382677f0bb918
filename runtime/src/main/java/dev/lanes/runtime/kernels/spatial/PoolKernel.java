package dev.lanes.runtime.kernels.spatial;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.simd.PaddedRows;
import dev.lanes.runtime.kernels.simd.Scratch;
import dev.lanes.runtime.kernels.simd.VectorPool;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;

/**
 * MaxPool, AveragePool and LpPool over 1 to 3 spatial axes (strides, dilations, pads, auto_pad,
 * ceil_mode). MaxPool also takes integer inputs and can produce the Indices output (flat
 * positions in the input, row-major or, with storage_order 1, column-major over the spatial
 * axes).
 *
 * <p>Float MaxPool without Indices and AveragePool over 1 or 2 spatial axes with pads of 0 or
 * more run as vector loops ({@link VectorPool}) threaded over the planes; the scalar loop nest
 * is their reference. They differ from it only for NaN inputs (the vector max propagates NaN)
 * and in the average's rounding (a float sum instead of a double one).
 */
public final class PoolKernel implements Kernel {
    /** The reduction over each window. */
    public enum Type {
        /** The largest value. */
        MAX,
        /** The mean. */
        AVERAGE,
        /** The p-norm. */
        LP
    }

    private final Type type;
    private final int[] kernelShape;
    private final int[] strides;
    private final int[] dilations;
    private final int[] pads;
    private final AutoPad autoPad;
    private final boolean ceilMode;
    private final boolean countIncludePad;
    private final float p;
    private final boolean columnMajorIndices;
    private final boolean withIndices;

    /**
     * A pooling kernel.
     *
     * @param type               the reduction
     * @param kernelShape        window sizes
     * @param strides            strides, or null for 1
     * @param dilations          dilations, or null for 1
     * @param pads               pads (begins then ends), or null
     * @param autoPad            padding rule
     * @param ceilMode           round output sizes up
     * @param countIncludePad    AVERAGE: divide by the window size including padding
     * @param p                  LP: the norm's exponent
     * @param columnMajorIndices MAX: indices in column-major spatial order (storage_order 1)
     * @param withIndices        MAX: also produce the Indices output
     */
    public PoolKernel(Type type, int[] kernelShape, int[] strides, int[] dilations, int[] pads,
            AutoPad autoPad, boolean ceilMode, boolean countIncludePad, float p,
            boolean columnMajorIndices, boolean withIndices) {
        this.type = type;
        this.kernelShape = kernelShape.clone();
        this.strides = strides == null ? null : strides.clone();
        this.dilations = dilations == null ? null : dilations.clone();
        this.pads = pads == null ? null : pads.clone();
        this.autoPad = autoPad;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
        this.p = p;
        this.columnMajorIndices = columnMajorIndices;
        this.withIndices = withIndices;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putEnum("type", type).putInts("kernel_shape", kernelShape)
                .putInts("strides", strides).putInts("dilations", dilations)
                .putInts("pads", pads).putEnum("auto_pad", autoPad)
                .putBool("ceil_mode", ceilMode).putBool("count_include_pad", countIncludePad)
                .putFloat("p", p).putBool("column_major_indices", columnMajorIndices)
                .putBool("with_indices", withIndices);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static PoolKernel readParams(ParamReader in) {
        Type type = in.getEnum("type", Type.class);
        int[] k = in.ints("kernel_shape");
        if (k == null) {
            throw in.error("kernel_shape", "is missing");
        }
        int[] s = in.ints("strides");
        int[] d = in.ints("dilations");
        SpatialCodecs.positive(in, "kernel_shape", k);
        SpatialCodecs.positive(in, "strides", s);
        SpatialCodecs.positive(in, "dilations", d);
        return new PoolKernel(type, k, s, d, in.ints("pads"),
                in.getEnum("auto_pad", AutoPad.class), in.getBool("ceil_mode"),
                in.getBool("count_include_pad"), in.getFloat("p"),
                in.getBool("column_major_indices"), in.getBool("with_indices"));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        return run(in, ctx, true);
    }

    /** The scalar loop nest only: the reference of the vector loops. */
    Tensor[] runReference(Tensor[] in) {
        return run(in, RunContext.serial(), false);
    }

    private Tensor[] run(Tensor[] in, RunContext ctx, boolean vector) {
        Tensor x = in[0];
        int[] xs = x.shapeView();
        if (xs.length != kernelShape.length + 2) {
            throw new ShapeException(type + " pool: input " + Arrays.toString(xs) + " needs rank "
                    + (kernelShape.length + 2) + " for kernel_shape "
                    + Arrays.toString(kernelShape));
        }
        Window win = Window.of(Arrays.copyOfRange(xs, 2, xs.length), kernelShape, strides,
                dilations, pads, autoPad, ceilMode);
        int planes = xs[0] * xs[1];
        int[] shape = ConvAttributes.outShape(xs[0], xs[1], win);
        // Every output cell is written, so a float output may be a recycled array.
        Tensor out = x.dtype().isFloat() ? ctx.output(shape) : Tensor.zeros(x.dtype(), shape);
        Tensor idx = withIndices ? Tensor.zeros(DType.INT64, shape) : null;
        if (vector && x.dtype().isFloat() && type != Type.LP && !withIndices
                && PaddedRows.covers(win)) {
            vectorPool(x.floats(), out.floats(), planes, win, ctx);
        } else if (x.dtype().isFloat()) {
            poolFloats(x.floats(), out.floats(), idx == null ? null : idx.longs(), planes, win);
        } else if (type == Type.MAX) {
            maxLongs(x.longs(), out.longs(), idx == null ? null : idx.longs(), planes, win);
        } else {
            throw new ShapeException(type + " pool: input must be FLOAT, got " + x.dtype());
        }
        return withIndices ? new Tensor[] {out, idx} : new Tensor[] {out};
    }

    private void vectorPool(float[] x, float[] y, int planes, Window win, RunContext ctx) {
        PaddedRows rows = new PaddedRows(win);
        float[] rowCount = new float[rows.outH];
        float[] colCount = new float[rows.rowPitch];
        Arrays.fill(colCount, 1f);
        boolean max = type == Type.MAX;
        if (!max) {
            int[] lo = new int[3];
            int[] hi = new int[3];
            for (int oy = 0; oy < rows.outH; oy++) {
                int withPads = taps(win, 1, oy, lo, hi);
                rowCount[oy] = countIncludePad ? withPads : hi[1] - lo[1];
            }
            for (int ox = 0; ox < rows.outW; ox++) {
                int withPads = taps(win, 2, ox, lo, hi);
                colCount[ox] = countIncludePad ? withPads : hi[2] - lo[2];
            }
        }
        int inSize = win.inSize();
        int outSize = win.outSize();
        ctx.pool().parallelFor(planes, pl -> {
            Scratch.Slot slot = Scratch.slot();
            float[] buf = slot.buffer(rows.bufferSize());
            // The layout of this run is the key: its padding stays put from plane to plane.
            boolean ready = slot.claim(rows.singleBand() ? rows : null);
            VectorPool.plane(max, rows, x, pl * inSize, buf, ready, y, pl * outSize, rowCount,
                    colCount);
        });
    }

    /** Smallest tap k with {@code start + k * d >= bound}. */
    private static int firstTap(int start, int d, int bound) {
        return start >= bound ? 0 : (bound - start + d - 1) / d;
    }

    /** Smallest tap k with {@code start + k * d >= bound}, at most {@code k}. */
    private static int endTap(int start, int d, int bound, int k) {
        return start >= bound ? 0 : Math.min(k, (bound - start + d - 1) / d);
    }

    /**
     * The taps of one output cell along each axis: [lo, hi) inside the input, and the number
     * inside the input extended by its pads (the divisor of count_include_pad).
     */
    private static int taps(Window win, int a, int o, int[] lo, int[] hi) {
        int start = o * win.s[a] - win.padBegin[a];
        lo[a] = firstTap(start, win.d[a], 0);
        hi[a] = Math.max(lo[a], endTap(start, win.d[a], win.in[a], win.k[a]));
        int plo = firstTap(start, win.d[a], -win.padBegin[a]);
        int phi = endTap(start, win.d[a], win.in[a] + win.padEnd[a], win.k[a]);
        return Math.max(0, phi - plo);
    }

    private void poolFloats(float[] x, float[] y, long[] indices, int planes, Window win) {
        int[] is = win.in;
        int[] os = win.out;
        int inSize = win.inSize();
        int[] lo = new int[3];
        int[] hi = new int[3];
        int o = 0;
        for (int pl = 0; pl < planes; pl++) {
            int base = pl * inSize;
            for (int od = 0; od < os[0]; od++) {
                int padD = taps(win, 0, od, lo, hi);
                int d0 = od * win.s[0] - win.padBegin[0];
                for (int oh = 0; oh < os[1]; oh++) {
                    int padH = taps(win, 1, oh, lo, hi);
                    int h0 = oh * win.s[1] - win.padBegin[1];
                    for (int ow = 0; ow < os[2]; ow++, o++) {
                        int padW = taps(win, 2, ow, lo, hi);
                        int w0 = ow * win.s[2] - win.padBegin[2];
                        double acc = type == Type.MAX ? Double.NEGATIVE_INFINITY : 0;
                        int best = -1;
                        for (int kd = lo[0]; kd < hi[0]; kd++) {
                            int id = d0 + kd * win.d[0];
                            for (int kh = lo[1]; kh < hi[1]; kh++) {
                                int ih = h0 + kh * win.d[1];
                                int row = base + (id * is[1] + ih) * is[2];
                                for (int kw = lo[2]; kw < hi[2]; kw++) {
                                    int iw = w0 + kw * win.d[2];
                                    float v = x[row + iw];
                                    switch (type) {
                                        case MAX -> {
                                            if (v > acc || best < 0) {
                                                acc = v;
                                                best = indexOf(id, ih, iw, win);
                                            }
                                        }
                                        case AVERAGE -> acc += v;
                                        case LP -> acc += Math.pow(Math.abs(v), p);
                                        default -> throw new IllegalStateException();
                                    }
                                }
                            }
                        }
                        int count = (hi[0] - lo[0]) * (hi[1] - lo[1]) * (hi[2] - lo[2]);
                        y[o] = switch (type) {
                            case MAX -> (float) acc;
                            case AVERAGE -> (float) (acc / (countIncludePad
                                    ? (double) padD * padH * padW : count));
                            case LP -> (float) Math.pow(acc, 1.0 / p);
                        };
                        if (indices != null) {
                            indices[o] = best < 0 ? -1 : (long) pl * inSize + best;
                        }
                    }
                }
            }
        }
    }

    private void maxLongs(long[] x, long[] y, long[] indices, int planes, Window win) {
        int[] is = win.in;
        int[] os = win.out;
        int inSize = win.inSize();
        int[] lo = new int[3];
        int[] hi = new int[3];
        int o = 0;
        for (int pl = 0; pl < planes; pl++) {
            int base = pl * inSize;
            for (int od = 0; od < os[0]; od++) {
                taps(win, 0, od, lo, hi);
                int d0 = od * win.s[0] - win.padBegin[0];
                for (int oh = 0; oh < os[1]; oh++) {
                    taps(win, 1, oh, lo, hi);
                    int h0 = oh * win.s[1] - win.padBegin[1];
                    for (int ow = 0; ow < os[2]; ow++, o++) {
                        taps(win, 2, ow, lo, hi);
                        int w0 = ow * win.s[2] - win.padBegin[2];
                        long acc = Long.MIN_VALUE;
                        int best = -1;
                        for (int kd = lo[0]; kd < hi[0]; kd++) {
                            int id = d0 + kd * win.d[0];
                            for (int kh = lo[1]; kh < hi[1]; kh++) {
                                int ih = h0 + kh * win.d[1];
                                for (int kw = lo[2]; kw < hi[2]; kw++) {
                                    int iw = w0 + kw * win.d[2];
                                    long v = x[base + (id * is[1] + ih) * is[2] + iw];
                                    if (v > acc || best < 0) {
                                        acc = v;
                                        best = indexOf(id, ih, iw, win);
                                    }
                                }
                            }
                        }
                        y[o] = best < 0 ? 0 : acc;
                        if (indices != null) {
                            indices[o] = best < 0 ? -1 : (long) pl * inSize + best;
                        }
                    }
                }
            }
        }
    }

    private int indexOf(int id, int ih, int iw, Window win) {
        if (!columnMajorIndices) {
            return (id * win.in[1] + ih) * win.in[2] + iw;
        }
        return (iw * win.in[1] + ih) * win.in[0] + id;
    }
}
