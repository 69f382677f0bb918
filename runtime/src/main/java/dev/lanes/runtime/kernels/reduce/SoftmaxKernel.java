package dev.lanes.runtime.kernels.reduce;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;

/**
 * Softmax, LogSoftmax and Hardmax over FLOAT. In the opset 13+ form the function runs along one
 * axis; in the older form the input is viewed as 2-D, [product of dims before axis, product of
 * the rest], and it runs along each row. The maximum is subtracted first, so large inputs do not
 * overflow.
 */
public final class SoftmaxKernel implements Kernel {
    /** Which of the three functions. */
    public enum Mode {
        SOFTMAX, LOG_SOFTMAX, HARDMAX
    }

    private final Mode mode;
    private final int axis;
    private final boolean flattenTail;

    /**
     * A kernel computing {@code mode} along {@code axis} (negative counts from the end); with
     * {@code flattenTail} (opset below 13) along all axes from {@code axis} on together.
     */
    public SoftmaxKernel(Mode mode, int axis, boolean flattenTail) {
        this.mode = mode;
        this.axis = axis;
        this.flattenTail = flattenTail;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putEnum("mode", mode).putInt("axis", axis).putBool("flatten_tail", flattenTail);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static SoftmaxKernel readParams(ParamReader in) {
        return new SoftmaxKernel(in.getEnum("mode", Mode.class), in.getInt("axis"),
                in.getBool("flatten_tail"));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        int[] s = x.shapeView();
        int rank = s.length;
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a > rank || (a == rank && !flattenTail) || (rank == 0 && !flattenTail)) {
            throw new ShapeException(mode + ": axis " + axis + " is out of range for rank "
                    + rank);
        }
        int outer = 1;
        for (int i = 0; i < a; i++) {
            outer *= s[i];
        }
        int n;
        int inner = 1;
        if (flattenTail) {
            n = 1;
            for (int i = a; i < rank; i++) {
                n *= s[i];
            }
        } else {
            n = s[a];
            for (int i = a + 1; i < rank; i++) {
                inner *= s[i];
            }
        }
        float[] src = x.floats();
        // Each line writes all its elements (Hardmax its zeros too), so the output may be a
        // recycled array.
        Tensor out = ctx.output(s);
        float[] dst = out.floats();
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                line(src, dst, o * n * inner + j, inner, n);
            }
        }
        return new Tensor[] {out};
    }

    private void line(float[] x, float[] y, int start, int step, int n) {
        if (n == 0) {
            return;
        }
        float max = Float.NEGATIVE_INFINITY;
        int argmax = 0;
        for (int i = 0; i < n; i++) {
            float v = x[start + i * step];
            if (v > max) {
                max = v;
                argmax = i;
            }
        }
        if (mode == Mode.HARDMAX) {
            for (int i = 0; i < n; i++) {
                y[start + i * step] = i == argmax ? 1 : 0;
            }
            return;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int k = start + i * step;
            float e = (float) Math.exp(x[k] - max);
            sum += e;
            if (mode == Mode.SOFTMAX) {
                y[k] = e;
            }
        }
        if (mode == Mode.SOFTMAX) {
            float inv = (float) (1 / sum);
            for (int i = 0; i < n; i++) {
                y[start + i * step] *= inv;
            }
        } else {
            float logSum = (float) Math.log(sum);
            for (int i = 0; i < n; i++) {
                int k = start + i * step;
                y[k] = x[k] - max - logSum;
            }
        }
    }
}
