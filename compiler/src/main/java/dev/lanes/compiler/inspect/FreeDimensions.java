package dev.lanes.compiler.inspect;

import dev.lanes.compiler.ir.Dim;
import dev.lanes.compiler.ir.Graph;
import dev.lanes.compiler.ir.TensorType;
import dev.lanes.compiler.ir.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds a graph's free dimensions to 1, so that the inspect views (MACs, step shapes) report
 * concrete sizes per sample rather than symbols.
 */
final class FreeDimensions {
    private FreeDimensions() {
    }

    /**
     * Gives every free dimension of the graph's values a size of 1: symbolic and unknown input
     * dimensions, and symbols in declared shapes of intermediate values, which the passes keep
     * where no operator handler refines them.
     */
    static void bindToOne(Graph graph) {
        for (Value v : graph.values().values()) {
            TensorType t = v.type();
            if (v.isConstant() || !t.hasRank() || t.isStatic()) {
                continue;
            }
            boolean isInput = graph.inputs().contains(v);
            List<Dim> bound = new ArrayList<>();
            for (Dim d : t.dims()) {
                // An unknown intermediate dimension is left for shape inference to derive.
                bound.add(d.isKnown() || (!isInput && d.symbol() == null) ? d : Dim.of(1));
            }
            v.setType(new TensorType(t.dtype(), bound));
        }
    }
}
