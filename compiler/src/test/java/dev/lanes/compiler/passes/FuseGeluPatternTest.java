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
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The exported erf form of GELU becomes one Gelu node, fused into the Conv before it. */
class FuseGeluPatternTest {
    private static ModelProto model(boolean halfFirst, boolean mulByInverse) {
        Random r = new Random(9);
        float[] w = new float[3 * 3 * 9];
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextFloat() - 0.5f;
        }
        ModelBuilder m = new ModelBuilder("g").opset(13).input("x", "N", 3, 5, 5);
        m.initializer("w", w, 3, 3, 3, 3);
        m.initializer("c", new float[] {mulByInverse ? (float) (1 / Math.sqrt(2)) : 1.4142135f});
        m.initializer("one", new float[] {1f});
        m.initializer("half", new float[] {0.5f});
        m.node("Conv").inputs("x", "w").outputs("v").ints("pads", 1, 1, 1, 1);
        m.node(mulByInverse ? "Mul" : "Div").inputs("v", "c").outputs("d");
        m.node("Erf").inputs("d").outputs("e");
        m.node("Add").inputs("one", "e").outputs("a");
        if (halfFirst) {
            m.node("Mul").inputs("v", "half").outputs("h");
            m.node("Mul").inputs("h", "a").outputs("y");
        } else {
            m.node("Mul").inputs("v", "a").outputs("p");
            m.node("Mul").inputs("p", "half").outputs("y");
        }
        m.output("y", "N", 3, 5, 5);
        return m.build();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void patternBecomesOneFusedConv(int form) {
        ModelProto m = model((form & 1) != 0, (form & 2) != 0);
        Compiler c = new Compiler(CompileOptions.defaults());
        Graph g = c.importGraph(m, null);
        c.optimize(g);
        assertEquals(1, g.nodes().size(), g.nodes().toString());
        Node fused = g.nodes().get(0);
        assertEquals("GELU", fused.getString("activation", ""));
        float[] x = new float[2 * 75];
        Random r = new Random(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat() * 6 - 3;
        }
        Tensor in = Tensor.of(x, 2, 3, 5, 5);
        Tensor on = new Session(c.compile(m, null), new SessionOptions(1)).run(in).get("y");
        Tensor off = new Session(new Compiler(CompileOptions.defaults().disable("fuse-gelu"))
                .compile(m, null), new SessionOptions(1)).run(in).get("y");
        // The fused epilogue uses a vector erf accurate to 1.5e-7: 1e-5 abs + 1e-4 rel.
        assertNull(BackendTestCase.compare(off, on, 1e-5, 1e-4));
    }
}
