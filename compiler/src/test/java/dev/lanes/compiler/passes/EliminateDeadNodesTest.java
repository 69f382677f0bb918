package dev.lanes.compiler.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lanes.compiler.CompileOptions;
import dev.lanes.compiler.Compiler;
import dev.lanes.compiler.conformance.BackendTestCase;
import dev.lanes.compiler.ir.Graph;
import dev.lanes.compiler.ir.Node;
import dev.lanes.formats.ModelBuilder;
import dev.lanes.formats.onnx.Onnx.ModelProto;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.SessionOptions;
import dev.lanes.runtime.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Nodes nothing reads are dropped, chains of them at once; outputs as with the pass off. */
class EliminateDeadNodesTest {
    @Test
    void dropsUnusedChainsAndKeepsWhatOutputsNeed() {
        ModelBuilder m = new ModelBuilder("g").opset(13).input("x", 2, 3);
        m.node("Relu").inputs("x").outputs("r");
        m.node("Neg").inputs("r").outputs("dead1");
        m.node("Exp").inputs("dead1").outputs("dead2");
        m.node("Sigmoid").inputs("r").outputs("y");
        m.output("y", 2, 3);
        ModelProto model = m.build();
        Compiler c = new Compiler(CompileOptions.defaults());
        Graph g = c.importGraph(model, null);
        c.optimize(g);
        assertEquals(List.of("Relu", "Sigmoid"), g.nodes().stream().map(Node::opType).toList());
        Tensor x = Tensor.of(new float[] {-1, 0, 1, 2, -3, 4}, 2, 3);
        Tensor on = new Session(c.compile(model, null), new SessionOptions(1)).run(x).get("y");
        Compiler off = new Compiler(CompileOptions.defaults().disable("eliminate-dead-nodes"));
        Graph kept = off.importGraph(model, null);
        off.optimize(kept);
        assertEquals(4, kept.nodes().size());
        Tensor offY = new Session(off.compile(model, null), new SessionOptions(1)).run(x)
                .get("y");
        assertNull(BackendTestCase.compare(offY, on, 0, 0));
    }
}
