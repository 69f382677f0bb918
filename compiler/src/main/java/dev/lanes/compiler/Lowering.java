package dev.lanes.compiler;

import dev.lanes.compiler.ir.Dim;
import dev.lanes.compiler.ir.Graph;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.TensorType;
import dev.lanes.compiler.ir.Value;
import dev.lanes.compiler.ops.OpRegistry;
import dev.lanes.errors.LanesException;
import dev.lanes.errors.ModelFormatException;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.Plan;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.ValueInfo;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Turns a compiled graph into a runtime {@link Plan}: one step per node, one slot per value. */
final class Lowering {
    private final Map<Value, Integer> slots = new IdentityHashMap<>();
    private final List<Tensor> constants = new ArrayList<>();

    private Lowering() {
    }

    static Plan lower(Graph g, OpRegistry ops) {
        return new Lowering().run(g, ops);
    }

    private Plan run(Graph g, OpRegistry ops) {
        int[] inputSlots = new int[g.inputs().size()];
        List<ValueInfo> inputs = new ArrayList<>();
        for (int i = 0; i < inputSlots.length; i++) {
            Value v = g.inputs().get(i);
            inputSlots[i] = slot(v);
            inputs.add(info(v));
        }
        List<Plan.Step> steps = new ArrayList<>();
        for (Node n : g.nodes()) {
            Kernel k = lowerNode(n, ops);
            int[] in = new int[n.inputCount()];
            for (int i = 0; i < in.length; i++) {
                in[i] = n.input(i) == null ? -1 : slot(n.input(i));
            }
            int[] out = new int[n.outputs().size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = slot(n.output(i));
            }
            steps.add(new Plan.Step(n.name(), n.opType(), k, in, out));
        }
        int[] outputSlots = new int[g.outputs().size()];
        List<ValueInfo> outputs = new ArrayList<>();
        for (int i = 0; i < outputSlots.length; i++) {
            Value v = g.outputs().get(i);
            outputSlots[i] = slot(v);
            outputs.add(info(v));
        }
        return new Plan(constants.size(), steps, constants.toArray(new Tensor[0]), inputs,
                inputSlots, outputs, outputSlots);
    }

    /** Lowers one node; an unexpected failure is blamed on the node, by name. */
    private static Kernel lowerNode(Node n, OpRegistry ops) {
        try {
            return ops.find(n).lower(n);
        } catch (LanesException e) {
            throw e;
        } catch (RuntimeException e) {
            throw n.error("cannot be compiled (" + e + ")");
        }
    }

    private int slot(Value v) {
        Integer s = slots.get(v);
        if (s == null) {
            s = constants.size();
            slots.put(v, s);
            constants.add(v.constant());
        }
        return s;
    }

    static ValueInfo info(Value v) {
        TensorType t = v.type();
        DType dtype = t.dtype() == null ? DType.FLOAT : t.dtype();
        if (!t.hasRank()) {
            return new ValueInfo(v.name(), dtype, null, null);
        }
        int[] dims = new int[t.rank()];
        String[] symbols = new String[t.rank()];
        for (int i = 0; i < dims.length; i++) {
            Dim d = t.dims().get(i);
            if (d.value() > Integer.MAX_VALUE) {
                throw new ModelFormatException("value '" + v.name() + "': axis " + i
                        + " has size " + d.value() + ", more than a tensor can hold");
            }
            dims[i] = d.isKnown() ? (int) d.value() : -1;
            symbols[i] = d.symbol();
        }
        return new ValueInfo(v.name(), dtype, dims, symbols);
    }
}
