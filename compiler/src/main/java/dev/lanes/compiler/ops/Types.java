package dev.lanes.compiler.ops;

import dev.lanes.compiler.ir.Dim;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.TensorType;
import dev.lanes.compiler.ir.Value;
import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.DType;
import java.util.ArrayList;
import java.util.List;

/** Shape-inference helpers shared by the operator handlers. */
public final class Types {
    private Types() {
    }

    /** The type of input {@code i}, or UNKNOWN when absent. */
    public static TensorType in(Node n, int i) {
        Value v = n.input(i);
        return v == null ? TensorType.UNKNOWN : v.type();
    }

    /** Output 0 has the type of input 0 (element-wise unary ops). */
    public static void sameAsInput(Node n) {
        n.output(0).setType(in(n, 0));
    }

    /** The numpy broadcast of the inputs' types; unknown where an input is unknown. */
    public static TensorType broadcast(Node n, DType resultType) {
        List<TensorType> types = new ArrayList<>();
        for (Value v : n.inputs()) {
            if (v != null) {
                types.add(v.type());
            }
        }
        DType dt = resultType;
        if (dt == null) {
            for (TensorType t : types) {
                if (t.dtype() != null) {
                    dt = t.dtype();
                    break;
                }
            }
        }
        int rank = 0;
        for (TensorType t : types) {
            if (!t.hasRank()) {
                return new TensorType(dt, null);
            }
            rank = Math.max(rank, t.rank());
        }
        List<Dim> out = new ArrayList<>();
        for (int o = 0; o < rank; o++) {
            Dim result = Dim.of(1);
            for (TensorType t : types) {
                int i = o - (rank - t.rank());
                if (i < 0) {
                    continue;
                }
                Dim d = t.dims().get(i);
                result = merge(result, d, n, o);
            }
            out.add(result);
        }
        return new TensorType(dt, out);
    }

    private static Dim merge(Dim acc, Dim d, Node n, int axis) {
        if (d.isKnown() && d.value() == 1) {
            return acc;
        }
        if (acc.isKnown() && acc.value() == 1) {
            return d;
        }
        if (acc.isKnown() && d.isKnown()) {
            if (acc.value() != d.value()) {
                throw new ShapeException(n.describe() + ": inputs cannot be broadcast together"
                        + " (axis " + axis + ": " + acc.value() + " vs " + d.value() + ")");
            }
            return acc;
        }
        if (acc.isKnown()) {
            return acc;
        }
        if (d.isKnown()) {
            return d;
        }
        return acc.symbol() != null && acc.symbol().equals(d.symbol()) ? acc : Dim.unknown();
    }

    /** A type of the given rank with every dimension unknown. */
    public static TensorType unknownDims(DType dtype, int rank) {
        List<Dim> dims = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            dims.add(Dim.unknown());
        }
        return new TensorType(dtype, dims);
    }
}
