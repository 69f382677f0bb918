package dev.lanes.runtime.kernels.tensor;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;

/**
 * Takes a strided slice of its input (Slice). Starts, ends, axes and steps are inputs 1..4
 * (opset 10 on) or constructor arguments (opset 1 attributes). Negative starts and ends count
 * from the end of the axis; out-of-range values (such as INT64_MAX for "to the end") are clamped
 * as numpy does; negative steps walk backwards.
 */
public final class SliceKernel implements Kernel {
    private final long[] starts;
    private final long[] ends;
    private final long[] axes;

    /** A kernel reading starts, ends, axes and steps from its inputs. */
    public SliceKernel() {
        this(null, null, null);
    }

    /** A kernel with fixed starts, ends and axes (axes null means 0..n-1), steps 1. */
    public SliceKernel(long[] starts, long[] ends, long[] axes) {
        this.starts = starts == null ? null : starts.clone();
        this.ends = ends == null ? null : ends.clone();
        this.axes = axes == null ? null : axes.clone();
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putLongs("starts", starts).putLongs("ends", ends).putLongs("axes", axes);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static SliceKernel readParams(ParamReader in) {
        return new SliceKernel(in.longs("starts"), in.longs("ends"), in.longs("axes"));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        long[] st;
        long[] en;
        long[] ax;
        long[] steps = null;
        if (starts != null) {
            st = starts;
            en = ends;
            ax = axes;
        } else {
            if (in.length < 3 || in[1] == null || in[2] == null) {
                throw new ShapeException("Slice needs its starts and ends inputs");
            }
            st = Elements.integers(in[1], "Slice starts");
            en = Elements.integers(in[2], "Slice ends");
            ax = in.length > 3 && in[3] != null ? Elements.integers(in[3], "Slice axes") : null;
            steps = in.length > 4 && in[4] != null ? Elements.integers(in[4], "Slice steps")
                    : null;
        }
        Plan p = plan(x.shapeView(), st, en, ax, steps);
        // The copy writes every element, so the output may be a recycled array.
        Tensor out = Elements.output(x.dtype(), p.shape, ctx);
        Elements.copyView(Elements.array(x), p.offset, p.strides, p.shape, Elements.array(out));
        return new Tensor[] {out};
    }

    /** Where a slice starts in the input, its strides there and its shape. */
    record Plan(int offset, int[] strides, int[] shape) {
    }

    /** Resolves a slice against an input shape. */
    static Plan plan(int[] in, long[] st, long[] en, long[] ax, long[] steps) {
        int rank = in.length;
        if (st.length != en.length || (ax != null && ax.length != st.length)
                || (steps != null && steps.length != st.length)) {
            throw new ShapeException("Slice starts " + Arrays.toString(st) + ", ends "
                    + Arrays.toString(en) + ", axes " + Arrays.toString(ax) + " and steps "
                    + Arrays.toString(steps) + " must have equal lengths");
        }
        int[] base = Elements.strides(in);
        int[] shape = in.clone();
        int[] strides = base.clone();
        boolean[] seen = new boolean[rank];
        long offset = 0;
        for (int i = 0; i < st.length; i++) {
            int a = Elements.axis(ax == null ? i : ax[i], rank, "Slice axis");
            if (seen[a]) {
                throw new ShapeException("Slice axis " + a + " is given twice");
            }
            seen[a] = true;
            long step = steps == null ? 1 : steps[i];
            if (step == 0) {
                throw new ShapeException("Slice step on axis " + a + " is 0");
            }
            long[] r = range(in[a], st[i], en[i], step);
            shape[a] = (int) r[1];
            strides[a] = (int) (base[a] * step);
            offset += r[0] * base[a];
        }
        return new Plan(shape.length == 0 ? 0 : (int) offset, strides, shape);
    }

    /**
     * The first index and the count of a slice {@code start:end:step} of an axis of size n,
     * clamped as the ONNX specification (and numpy) says: starts into {@code [0, n]} going
     * forward and {@code [0, n-1]} going backward, ends into {@code [0, n]} and
     * {@code [-1, n-1]}. (ONNX Runtime differs in one case: it reads an end of INT_MAX with a
     * negative step as "to the start", where the specification clamps it to n-1.)
     */
    public static long[] range(long n, long start, long end, long step) {
        if (n == 0) {
            return new long[] {0, 0};
        }
        long s = start < 0 ? start + n : start;
        long e = end < 0 ? end + n : end;
        long count;
        if (step > 0) {
            s = Math.clamp(s, 0, n);
            e = Math.clamp(e, 0, n);
            count = e > s ? (e - s + step - 1) / step : 0;
        } else {
            s = Math.clamp(s, 0, n - 1);
            e = Math.clamp(e, -1, n - 1);
            count = s > e ? (s - e + (-step) - 1) / (-step) : 0;
        }
        return new long[] {count == 0 ? 0 : s, count};
    }
}
