package dev.lanes.runtime.kernels.reduce;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;

/**
 * The Reduce* family: reduces the input over a set of axes, keeping them as size 1 or dropping
 * them. The axes come from the constructor (attribute form) or from input 1 (input form, read at
 * run time). No axes means all axes, unless {@code noopWithEmptyAxes}, where the element-wise part
 * of the function is applied without reducing (so ReduceSumSquare squares, ReduceSum copies).
 * FLOAT accumulates in double; integer inputs are supported by Sum, Mean, Max, Min, Prod, L1 and
 * SumSquare and wrap to their type.
 */
public final class ReduceKernel implements Kernel {
    /** The reduction. */
    public enum Op {
        SUM, MEAN, MAX, MIN, PROD, L1, L2, LOG_SUM, LOG_SUM_EXP, SUM_SQUARE
    }

    private final Op op;
    private final int[] axes;
    private final boolean keepdims;
    private final boolean noopWithEmptyAxes;

    /**
     * A reduction over {@code axes} (null: from input 1 if present, else all axes).
     *
     * @param op                the reduction
     * @param axes              the axes (attribute form) or null
     * @param keepdims          keep reduced axes as size 1
     * @param noopWithEmptyAxes with no axes, reduce nothing instead of everything
     */
    public ReduceKernel(Op op, int[] axes, boolean keepdims, boolean noopWithEmptyAxes) {
        this.op = op;
        this.axes = axes == null ? null : axes.clone();
        this.keepdims = keepdims;
        this.noopWithEmptyAxes = noopWithEmptyAxes;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putEnum("op", op).putInts("axes", axes).putBool("keepdims", keepdims)
                .putBool("noop_with_empty_axes", noopWithEmptyAxes);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static ReduceKernel readParams(ParamReader in) {
        return new ReduceKernel(in.getEnum("op", Op.class), in.ints("axes"),
                in.getBool("keepdims"), in.getBool("noop_with_empty_axes"));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        int[] s = x.shapeView();
        int rank = s.length;
        int[] ax = axes;
        if (in.length > 1 && in[1] != null) {
            long[] v = in[1].longs();
            ax = new int[v.length];
            for (int i = 0; i < v.length; i++) {
                ax[i] = (int) v[i];
            }
        }
        boolean[] reduced = new boolean[rank];
        if (ax == null || ax.length == 0) {
            if (!noopWithEmptyAxes) {
                Arrays.fill(reduced, true);
            }
        } else {
            for (int a : ax) {
                int k = a < 0 ? a + rank : a;
                if (k < 0 || k >= rank) {
                    throw new ShapeException("Reduce" + op + ": axis " + a
                            + " is out of range for rank " + rank);
                }
                reduced[k] = true;
            }
        }
        int[] outShape = outShape(s, reduced);
        int outSize = Tensor.checkedSize(outShape);
        int count = 1;
        for (int i = 0; i < rank; i++) {
            if (reduced[i]) {
                count *= s[i];
            }
        }
        // Both float reductions write every output element (integers fill theirs first), so a
        // float output may be a recycled array.
        Tensor out = x.dtype().isFloat() ? ctx.output(outShape)
                : Tensor.zeros(x.dtype(), outShape);
        int[] block = contiguousBlock(s, reduced);
        if (block != null && x.dtype().isFloat() && op != Op.LOG_SUM_EXP) {
            reduceBlock(x.floats(), block[0], block[1], block[2], out.floats());
            return new Tensor[] {out};
        }
        int[] outOf = outputIndex(s, reduced);
        if (x.dtype().isFloat()) {
            reduceFloats(x.floats(), outOf, out.floats(), outSize, count);
        } else {
            reduceLongs(x.dtype(), x.longs(), outOf, out.longs(), outSize, count);
        }
        return new Tensor[] {out};
    }

    private int[] outShape(int[] s, boolean[] reduced) {
        int[] o = new int[s.length];
        int k = 0;
        for (int i = 0; i < s.length; i++) {
            if (!reduced[i]) {
                o[k++] = s[i];
            } else if (keepdims) {
                o[k++] = 1;
            }
        }
        return Arrays.copyOf(o, k);
    }

    /**
     * When the reduced axes are one run of adjacent axes, the input viewed as [outer, reduced,
     * inner] ({outer, reduced, inner}); otherwise null.
     */
    private static int[] contiguousBlock(int[] s, boolean[] reduced) {
        int first = -1;
        int last = -1;
        for (int i = 0; i < s.length; i++) {
            if (reduced[i] && s[i] != 1) {
                if (first < 0) {
                    first = i;
                }
                last = i;
            }
        }
        if (first < 0) {
            return null;
        }
        int outer = 1;
        int mid = 1;
        int inner = 1;
        for (int i = 0; i < s.length; i++) {
            if (i < first) {
                outer *= s[i];
            } else if (i > last) {
                inner *= s[i];
            } else if (!reduced[i] && s[i] != 1) {
                return null;
            } else {
                mid *= s[i];
            }
        }
        return new int[] {outer, mid, inner};
    }

    /** The reduction of an [outer, n, inner] view along its middle axis, accumulating in double. */
    private void reduceBlock(float[] x, int outer, int n, int inner, float[] y) {
        double[] acc = new double[inner];
        double init = switch (op) {
            case PROD -> 1;
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
            default -> 0;
        };
        for (int o = 0; o < outer; o++) {
            Arrays.fill(acc, init);
            for (int k = 0; k < n; k++) {
                int base = (o * n + k) * inner;
                switch (op) {
                    case SUM, MEAN, LOG_SUM -> {
                        for (int j = 0; j < inner; j++) {
                            acc[j] += x[base + j];
                        }
                    }
                    case MAX -> {
                        for (int j = 0; j < inner; j++) {
                            acc[j] = Math.max(acc[j], x[base + j]);
                        }
                    }
                    case MIN -> {
                        for (int j = 0; j < inner; j++) {
                            acc[j] = Math.min(acc[j], x[base + j]);
                        }
                    }
                    case L1 -> {
                        for (int j = 0; j < inner; j++) {
                            acc[j] += Math.abs(x[base + j]);
                        }
                    }
                    case L2, SUM_SQUARE -> {
                        for (int j = 0; j < inner; j++) {
                            double v = x[base + j];
                            acc[j] += v * v;
                        }
                    }
                    case PROD -> {
                        for (int j = 0; j < inner; j++) {
                            acc[j] *= x[base + j];
                        }
                    }
                    case LOG_SUM_EXP -> throw new IllegalStateException("needs two passes");
                }
            }
            for (int j = 0; j < inner; j++) {
                double v = acc[j];
                y[o * inner + j] = (float) switch (op) {
                    case MEAN -> v / n;
                    case L2 -> Math.sqrt(v);
                    case LOG_SUM -> Math.log(v);
                    default -> v;
                };
            }
        }
    }

    /** For each input element, the flat index of the output element it reduces into. */
    private static int[] outputIndex(int[] s, boolean[] reduced) {
        int rank = s.length;
        int[] st = new int[rank];
        int stride = 1;
        for (int i = rank - 1; i >= 0; i--) {
            st[i] = reduced[i] ? 0 : stride;
            if (!reduced[i]) {
                stride *= s[i];
            }
        }
        int n = Tensor.checkedSize(s);
        int[] map = new int[n];
        int[] idx = new int[rank];
        int off = 0;
        for (int i = 0; i < n; i++) {
            map[i] = off;
            for (int d = rank - 1; d >= 0; d--) {
                idx[d]++;
                off += st[d];
                if (idx[d] < s[d]) {
                    break;
                }
                off -= st[d] * s[d];
                idx[d] = 0;
            }
        }
        return map;
    }

    private void reduceFloats(float[] x, int[] outOf, float[] y, int outSize, int count) {
        double[] acc = new double[outSize];
        double[] max = null;
        switch (op) {
            case PROD -> Arrays.fill(acc, 1);
            case MAX -> Arrays.fill(acc, Double.NEGATIVE_INFINITY);
            case MIN -> Arrays.fill(acc, Double.POSITIVE_INFINITY);
            case LOG_SUM_EXP -> {
                max = new double[outSize];
                Arrays.fill(max, Double.NEGATIVE_INFINITY);
                for (int i = 0; i < outOf.length; i++) {
                    max[outOf[i]] = Math.max(max[outOf[i]], x[i]);
                }
            }
            default -> {
            }
        }
        switch (op) {
            case SUM, MEAN, LOG_SUM -> {
                for (int i = 0; i < outOf.length; i++) {
                    acc[outOf[i]] += x[i];
                }
            }
            case L1 -> {
                for (int i = 0; i < outOf.length; i++) {
                    acc[outOf[i]] += Math.abs(x[i]);
                }
            }
            case L2, SUM_SQUARE -> {
                for (int i = 0; i < outOf.length; i++) {
                    double v = x[i];
                    acc[outOf[i]] += v * v;
                }
            }
            case PROD -> {
                for (int i = 0; i < outOf.length; i++) {
                    acc[outOf[i]] *= x[i];
                }
            }
            case MAX -> {
                for (int i = 0; i < outOf.length; i++) {
                    acc[outOf[i]] = Math.max(acc[outOf[i]], x[i]);
                }
            }
            case MIN -> {
                for (int i = 0; i < outOf.length; i++) {
                    acc[outOf[i]] = Math.min(acc[outOf[i]], x[i]);
                }
            }
            case LOG_SUM_EXP -> {
                for (int i = 0; i < outOf.length; i++) {
                    int o = outOf[i];
                    if (!Double.isInfinite(max[o])) {
                        acc[o] += Math.exp(x[i] - max[o]);
                    }
                }
            }
        }
        for (int o = 0; o < outSize; o++) {
            double v = acc[o];
            y[o] = (float) switch (op) {
                case MEAN -> v / count;
                case L2 -> Math.sqrt(v);
                case LOG_SUM -> Math.log(v);
                case LOG_SUM_EXP -> Double.isInfinite(max[o]) ? max[o] : Math.log(v) + max[o];
                default -> v;
            };
        }
    }

    private void reduceLongs(DType type, long[] x, int[] outOf, long[] y, int outSize,
            int count) {
        long init = switch (op) {
            case PROD -> 1;
            case MAX -> Long.MIN_VALUE;
            case MIN -> Long.MAX_VALUE;
            default -> 0;
        };
        Arrays.fill(y, init);
        for (int i = 0; i < x.length; i++) {
            int o = outOf[i];
            long v = x[i];
            y[o] = switch (op) {
                case SUM, MEAN -> y[o] + v;
                case L1 -> y[o] + Math.abs(v);
                case SUM_SQUARE -> y[o] + v * v;
                case PROD -> y[o] * v;
                case MAX -> Math.max(y[o], v);
                case MIN -> Math.min(y[o], v);
                default -> throw new ShapeException("Reduce" + op + " needs a FLOAT input, got "
                        + type);
            };
        }
        for (int o = 0; o < outSize; o++) {
            y[o] = type.wrap(op == Op.MEAN && count > 0 ? y[o] / count : y[o]);
        }
    }
}
