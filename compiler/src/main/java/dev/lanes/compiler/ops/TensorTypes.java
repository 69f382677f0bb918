package dev.lanes.compiler.ops;

import dev.lanes.compiler.ir.Dim;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.TensorType;
import dev.lanes.compiler.ir.Value;
import dev.lanes.runtime.DType;
import java.util.ArrayList;
import java.util.List;

/** Shape-inference helpers of the tensor and shape operators. */
final class TensorTypes {
    private TensorTypes() {
    }

    /** The dimensions of input {@code i}, or null when its rank is unknown. */
    static List<Dim> dims(Node n, int i) {
        return Types.in(n, i).dims();
    }

    /** The element type of input {@code i}, or null. */
    static DType dtype(Node n, int i) {
        return Types.in(n, i).dtype();
    }

    /** Sets output {@code i}'s type. */
    static void set(Node n, int i, DType dtype, List<Dim> dims) {
        if (i < n.outputs().size()) {
            n.output(i).setType(new TensorType(dtype, dims));
        }
    }

    /** The constant integer values of input {@code i}, or null. */
    static long[] ints(Node n, int i) {
        return ShapeValues.constant(n.input(i));
    }

    /** True when input {@code i} is present. */
    static boolean present(Node n, int i) {
        Value v = n.input(i);
        return v != null;
    }

    /** An axis in {@code [-rank, rank)} made non-negative, or a format error naming the node. */
    static int axis(Node n, long axis, int rank, String what) {
        if (axis < -rank || axis >= rank) {
            throw n.error(what + " " + axis + " is out of range for rank " + rank);
        }
        return (int) (axis < 0 ? axis + rank : axis);
    }

    /** Two dimensions that must be equal: the more informative one. */
    static Dim same(Dim a, Dim b) {
        if (a.isKnown()) {
            return a;
        }
        if (b.isKnown() || a.symbol() == null) {
            return b;
        }
        return a;
    }

    /** The product of dimensions: known, one symbol times 1s, or unknown. */
    static Dim product(List<Dim> dims) {
        long p = 1;
        Dim symbolic = null;
        for (Dim d : dims) {
            if (d.isKnown()) {
                p *= d.value();
            } else if (symbolic == null && d.symbol() != null) {
                symbolic = d;
            } else {
                return Dim.unknown();
            }
        }
        if (symbolic != null) {
            return p == 1 ? symbolic : p == 0 ? Dim.of(0) : Dim.unknown();
        }
        return Dim.of(p);
    }

    /** A list of {@code n} unknown dimensions. */
    static List<Dim> unknown(int n) {
        List<Dim> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Dim.unknown());
        }
        return out;
    }
}
