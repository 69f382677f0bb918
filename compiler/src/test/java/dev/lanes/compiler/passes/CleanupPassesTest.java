package dev.lanes.compiler.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.compiler.CompileOptions;
import dev.lanes.compiler.Compiler;
import dev.lanes.compiler.conformance.BackendTestCase;
import dev.lanes.compiler.ir.Graph;
import dev.lanes.compiler.ir.Node;
import dev.lanes.formats.ElementType;
import dev.lanes.formats.ModelBuilder;
import dev.lanes.formats.onnx.Onnx.ModelProto;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.SessionOptions;
import dev.lanes.runtime.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cleanup passes, each on a model made for it, with the pass on and off: the graph changes
 * as the pass says, the outputs do not.
 */
class CleanupPassesTest {
    private static List<String> ops(ModelProto m, CompileOptions o) {
        Compiler c = new Compiler(o);
        Graph g = c.importGraph(m, null);
        c.optimize(g);
        return g.nodes().stream().map(Node::opType).toList();
    }

    private static void sameOutputs(ModelProto m, String pass, Tensor x) {
        Tensor on = new Session(new Compiler(CompileOptions.defaults()).compile(m, null),
                new SessionOptions(1)).run(x).get("y");
        Tensor off = new Session(new Compiler(CompileOptions.defaults().disable(pass))
                .compile(m, null), new SessionOptions(1)).run(x).get("y");
        assertNull(BackendTestCase.compare(off, on, 0, 0), pass);
    }

    private static final Tensor X = Tensor.of(new float[] {-2, -1, 0, 1, 2, 3}, 2, 3);

    @Test
    void identityAndInferenceDropoutGo() {
        ModelBuilder m = new ModelBuilder("g").opset(13).input("x", 2, 3);
        m.node("Identity").inputs("x").outputs("a");
        m.node("Dropout").inputs("a").outputs("b");
        m.node("Relu").inputs("b").outputs("y");
        m.output("y", 2, 3);
        ModelProto model = m.build();
        assertEquals(List.of("Relu"), ops(model, CompileOptions.defaults()));
        assertEquals(List.of("Identity", "Dropout", "Relu"),
                ops(model, CompileOptions.defaults().disable("eliminate-identity")));
        sameOutputs(model, "eliminate-identity", X);
    }

    @Test
    void constantSubgraphsAreComputedOnce() {
        // y = x * (c + c) with c a constant: the Add is folded into one constant.
        ModelBuilder m = new ModelBuilder("g").opset(13).input("x", 2, 3);
        m.initializer("c", new float[] {1, 2, 3}, 3);
        m.node("Add").inputs("c", "c").outputs("d");
        m.node("Mul").inputs("x", "d").outputs("y");
        m.output("y", 2, 3);
        ModelProto model = m.build();
        assertEquals(List.of("Mul"), ops(model, CompileOptions.defaults()));
        assertEquals(List.of("Add", "Mul"),
                ops(model, CompileOptions.defaults().disable("fold-constants")));
        sameOutputs(model, "fold-constants", X);
    }

    @Test
    void shapesAreInferredForEveryValue() {
        ModelBuilder m = new ModelBuilder("g").opset(13).input("x", 2, 3);
        m.node("Relu").inputs("x").outputs("r");
        m.node("Transpose").inputs("r").outputs("y").ints("perm", 1, 0);
        m.outputWithoutShape("y", ElementType.FLOAT);
        ModelProto model = m.build();
        Compiler c = new Compiler(CompileOptions.defaults());
        Graph g = c.importGraph(model, null);
        // Passes that rewrite nodes leave types to it: forget two and let it find them again.
        for (Node n : g.nodes()) {
            n.output(0).setType(dev.lanes.compiler.ir.TensorType.UNKNOWN);
        }
        new InferShapes().run(g, dev.lanes.compiler.ops.OpRegistry.defaults());
        assertTrue(g.outputs().get(0).type().isStatic(), g.outputs().get(0).type().toString());
        assertEquals(3, g.outputs().get(0).type().dims().get(0).value());
        assertEquals(2, g.outputs().get(0).type().dims().get(1).value());
        sameOutputs(model, "infer-shapes", X);
    }
}
