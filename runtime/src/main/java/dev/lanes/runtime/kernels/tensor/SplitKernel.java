package dev.lanes.runtime.kernels.tensor;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;

/**
 * Splits its input along one axis into consecutive parts (Split). The part sizes come from the
 * optional second input, else from the constructor (the attribute form of older opsets), else
 * the axis is cut into as many parts as there are outputs: equal parts, or (opset 18's
 * num_outputs) parts of the rounded-up size with a smaller last one.
 */
public final class SplitKernel implements Kernel {
    private final long axis;
    private final long[] splits;
    private final int outputs;
    private final boolean unevenLast;

    /**
     * A split kernel.
     *
     * @param axis       the axis (negative counts from the end)
     * @param splits     the part sizes, or null to read them from input 1 or split evenly
     * @param outputs    the number of outputs
     * @param unevenLast when splitting evenly, allow a smaller last part (num_outputs form)
     */
    public SplitKernel(long axis, long[] splits, int outputs, boolean unevenLast) {
        this.axis = axis;
        this.splits = splits == null ? null : splits.clone();
        this.outputs = outputs;
        this.unevenLast = unevenLast;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putInt("axis", axis).putLongs("splits", splits).putInt("outputs", outputs)
                .putBool("uneven_last", unevenLast);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static SplitKernel readParams(ParamReader in) {
        int outputs = in.getInt("outputs");
        if (outputs != in.stepOutputs()) {
            throw in.error("outputs", "is " + outputs + " but the step has " + in.stepOutputs()
                    + " outputs");
        }
        return new SplitKernel(in.getLong("axis"), in.longs("splits"), outputs,
                in.getBool("uneven_last"));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        int ax = Elements.axis(axis, x.rank(), "Split axis");
        int len = x.dim(ax);
        long[] sizes = in.length > 1 && in[1] != null ? Elements.integers(in[1], "Split split")
                : splits;
        if (sizes == null) {
            sizes = evenSizes(len);
        }
        if (sizes.length != outputs) {
            throw new ShapeException("Split has " + outputs + " outputs but " + sizes.length
                    + " split sizes " + Arrays.toString(sizes));
        }
        long sum = 0;
        for (long s : sizes) {
            if (s < 0) {
                throw new ShapeException("Split size " + s + " is negative: "
                        + Arrays.toString(sizes));
            }
            sum += s;
        }
        if (sum != len) {
            throw new ShapeException("Split sizes " + Arrays.toString(sizes) + " sum to " + sum
                    + " but axis " + ax + " of " + Elements.str(x.shapeView()) + " is " + len);
        }
        int outer = Elements.product(x.shapeView(), 0, ax);
        int inner = Elements.product(x.shapeView(), ax + 1, x.rank());
        Object src = Elements.array(x);
        Tensor[] result = new Tensor[outputs];
        int pos = 0;
        for (int k = 0; k < outputs; k++) {
            int[] shape = x.shape();
            shape[ax] = (int) sizes[k];
            // The chunks copied cover every element, so each output may be a recycled array;
            // taken in output order, on this thread, the same every run.
            Tensor out = Elements.output(x.dtype(), shape, ctx);
            Object dst = Elements.array(out);
            int chunk = shape[ax] * inner;
            for (int o = 0; o < outer; o++) {
                System.arraycopy(src, o * len * inner + pos, dst, o * chunk, chunk);
            }
            pos += chunk;
            result[k] = out;
        }
        return result;
    }

    private long[] evenSizes(int len) {
        long[] sizes = new long[outputs];
        if (unevenLast) {
            long part = (len + outputs - 1) / outputs;
            long left = len;
            for (int k = 0; k < outputs; k++) {
                sizes[k] = Math.min(part, left);
                left -= sizes[k];
            }
            return sizes;
        }
        if (len % outputs != 0) {
            throw new ShapeException("Split cannot cut an axis of " + len + " into " + outputs
                    + " equal parts");
        }
        Arrays.fill(sizes, len / outputs);
        return sizes;
    }
}
