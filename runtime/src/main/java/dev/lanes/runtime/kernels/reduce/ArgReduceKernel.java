package dev.lanes.runtime.kernels.reduce;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;

/**
 * ArgMax and ArgMin: the INT64 index of the largest (smallest) value along one axis; ties give
 * the first index, or the last with {@code selectLastIndex}.
 */
public final class ArgReduceKernel implements Kernel {
    private final boolean max;
    private final int axis;
    private final boolean keepdims;
    private final boolean selectLastIndex;

    /** ArgMax ({@code max}) or ArgMin along {@code axis} (negative counts from the end). */
    public ArgReduceKernel(boolean max, int axis, boolean keepdims, boolean selectLastIndex) {
        this.max = max;
        this.axis = axis;
        this.keepdims = keepdims;
        this.selectLastIndex = selectLastIndex;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putBool("max", max).putInt("axis", axis).putBool("keepdims", keepdims)
                .putBool("select_last_index", selectLastIndex);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static ArgReduceKernel readParams(ParamReader in) {
        return new ArgReduceKernel(in.getBool("max"), in.getInt("axis"), in.getBool("keepdims"),
                in.getBool("select_last_index"));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        int[] s = x.shapeView();
        int rank = s.length;
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new ShapeException((max ? "ArgMax" : "ArgMin") + ": axis " + axis
                    + " is out of range for rank " + rank);
        }
        int outer = 1;
        for (int i = 0; i < a; i++) {
            outer *= s[i];
        }
        int n = s[a];
        int inner = 1;
        for (int i = a + 1; i < rank; i++) {
            inner *= s[i];
        }
        int[] outShape = new int[keepdims ? rank : rank - 1];
        for (int i = 0, k = 0; i < rank; i++) {
            if (i != a) {
                outShape[k++] = s[i];
            } else if (keepdims) {
                outShape[k++] = 1;
            }
        }
        Tensor out = Tensor.zeros(DType.INT64, outShape);
        long[] y = out.longs();
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                int base = o * n * inner + j;
                int best = 0;
                double bestValue = n > 0 ? x.getDouble(base) : 0;
                for (int i = 1; i < n; i++) {
                    double v = x.getDouble(base + i * inner);
                    boolean better = max ? v > bestValue : v < bestValue;
                    if (better || (selectLastIndex && v == bestValue)) {
                        best = i;
                        bestValue = v;
                    }
                }
                y[o * inner + j] = best;
            }
        }
        return new Tensor[] {out};
    }
}
