package dev.lanes.compiler.ops;

import dev.lanes.compiler.ir.Dim;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.TensorType;
import dev.lanes.compiler.ir.Value;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.kernels.reduce.ArgReduceKernel;
import dev.lanes.runtime.kernels.reduce.ReduceKernel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Reduce* family, ArgMax and ArgMin. Axes are an attribute until the opset where they became
 * input 1 (ReduceSum 13, the others 18); the handler resolves the form so the kernel either has
 * its axes or reads them from input 1.
 */
final class ReduceOps {
    private ReduceOps() {
    }

    static void register(OpRegistry r) {
        reduce(r, "ReduceSum", ReduceKernel.Op.SUM, 13);
        reduce(r, "ReduceMean", ReduceKernel.Op.MEAN, 18);
        reduce(r, "ReduceMax", ReduceKernel.Op.MAX, 18);
        reduce(r, "ReduceMin", ReduceKernel.Op.MIN, 18);
        reduce(r, "ReduceProd", ReduceKernel.Op.PROD, 18);
        reduce(r, "ReduceL1", ReduceKernel.Op.L1, 18);
        reduce(r, "ReduceL2", ReduceKernel.Op.L2, 18);
        reduce(r, "ReduceLogSum", ReduceKernel.Op.LOG_SUM, 18);
        reduce(r, "ReduceLogSumExp", ReduceKernel.Op.LOG_SUM_EXP, 18);
        reduce(r, "ReduceSumSquare", ReduceKernel.Op.SUM_SQUARE, 18);
        argReduce(r, "ArgMax", true);
        argReduce(r, "ArgMin", false);
    }

    private static void reduce(OpRegistry r, String name, ReduceKernel.Op op, int axesInputSince) {
        r.register(name, MathHandler.of(n -> inferReduce(n, axesInputSince), n -> {
            boolean keep = n.getInt("keepdims", 1) != 0;
            boolean noop = n.getInt("noop_with_empty_axes", 0) != 0;
            int[] axes = n.opset() < axesInputSince ? n.getIntArray("axes", null) : null;
            return new ReduceKernel(op, axes, keep, noop);
        }));
    }

    /** The axes known at compile time: int[0] means "none given", null means unknown. */
    private static int[] knownAxes(Node n, int axesInputSince) {
        if (n.opset() < axesInputSince) {
            return n.getIntArray("axes", new int[0]);
        }
        Value v = n.input(1);
        if (v == null) {
            return new int[0];
        }
        if (!v.isConstant()) {
            return null;
        }
        long[] a = v.constant().longs();
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (int) a[i];
        }
        return out;
    }

    private static void inferReduce(Node n, int axesInputSince) {
        TensorType t = Types.in(n, 0);
        boolean keep = n.getInt("keepdims", 1) != 0;
        boolean noop = n.getInt("noop_with_empty_axes", 0) != 0;
        int[] axes = knownAxes(n, axesInputSince);
        if (!t.hasRank()) {
            n.output(0).setType(new TensorType(t.dtype(), null));
            return;
        }
        int rank = t.rank();
        if (axes == null) {
            n.output(0).setType(keep ? Types.unknownDims(t.dtype(), rank)
                    : new TensorType(t.dtype(), null));
            return;
        }
        boolean[] reduced = new boolean[rank];
        if (axes.length == 0) {
            if (noop) {
                n.output(0).setType(t);
                return;
            }
            Arrays.fill(reduced, true);
        }
        for (int a : axes) {
            int k = a < 0 ? a + rank : a;
            if (k < 0 || k >= rank) {
                throw n.error("axis " + a + " is out of range for rank " + rank);
            }
            reduced[k] = true;
        }
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            if (!reduced[i]) {
                out.add(t.dims().get(i));
            } else if (keep) {
                out.add(Dim.of(1));
            }
        }
        n.output(0).setType(new TensorType(t.dtype(), out));
    }

    private static void argReduce(OpRegistry r, String name, boolean max) {
        r.register(name, MathHandler.of(n -> {
            TensorType t = Types.in(n, 0);
            boolean keep = n.getInt("keepdims", 1) != 0;
            if (!t.hasRank()) {
                n.output(0).setType(new TensorType(DType.INT64, null));
                return;
            }
            int rank = t.rank();
            long axis = n.getInt("axis", 0);
            int a = (int) (axis < 0 ? axis + rank : axis);
            if (a < 0 || a >= rank) {
                throw n.error("axis " + axis + " is out of range for rank " + rank);
            }
            List<Dim> out = new ArrayList<>(t.dims());
            if (keep) {
                out.set(a, Dim.of(1));
            } else {
                out.remove(a);
            }
            n.output(0).setType(new TensorType(DType.INT64, out));
        }, n -> new ArgReduceKernel(max, (int) n.getInt("axis", 0),
                n.getInt("keepdims", 1) != 0, n.getInt("select_last_index", 0) != 0)));
    }
}
