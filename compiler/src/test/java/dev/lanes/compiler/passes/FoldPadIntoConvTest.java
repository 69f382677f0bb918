package dev.lanes.compiler.passes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.junit.jupiter.params.provider.CsvSource;

/** Zero Pad folded into the Conv (or count_include_pad AveragePool) after it. */
class FoldPadIntoConvTest {
    private static ModelProto model(String next, int opset, String mode, float value) {
        Random r = new Random(5);
        float[] w = new float[3 * 2 * 9];
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextFloat() - 0.5f;
        }
        ModelBuilder m = new ModelBuilder("g").opset(opset).input("x", 1, 2, 5, 6);
        long[] pads = {0, 0, 1, 2, 0, 0, 2, 0};
        var pad = m.node("Pad").inputs(opset >= 11 ? new String[] {"x", "pads", "v"}
                : new String[] {"x"}).outputs("p").attr("mode", mode);
        if (opset >= 11) {
            m.initializer("pads", pads, 8);
            m.initializer("v", new float[] {value});
        } else {
            pad.ints("pads", pads).attr("value", value);
        }
        if (next.equals("Conv")) {
            m.initializer("w", w, 3, 2, 3, 3);
            m.node("Conv").inputs("p", "w").outputs("y").ints("pads", 1, 0, 0, 1);
        } else {
            m.node("AveragePool").inputs("p").outputs("y").ints("kernel_shape", 2, 2)
                    .attr("count_include_pad", 1L);
        }
        m.outputWithoutShape("y", dev.lanes.formats.ElementType.FLOAT);
        return m.build();
    }

    private static Graph optimized(ModelProto m, CompileOptions o) {
        Compiler c = new Compiler(o);
        Graph g = c.importGraph(m, null);
        c.optimize(g);
        return g;
    }

    @ParameterizedTest
    @CsvSource({"Conv,13,constant,0,true", "Conv,7,constant,0,true", "AveragePool,13,constant,0,true",
            "Conv,13,reflect,0,false", "Conv,13,constant,1.5,false"})
    void foldsOnlyZeroConstantPads(String next, int opset, String mode, float value,
            boolean folds) {
        ModelProto m = model(next, opset, mode, value);
        Graph g = optimized(m, CompileOptions.defaults());
        assertEquals(folds ? 1 : 2, g.nodes().size(), g.nodes().toString());
        if (folds && next.equals("Conv")) {
            Node conv = g.nodes().get(0);
            assertArrayEquals(new long[] {2, 2, 2, 1}, conv.getInts("pads", null));
        }
        float[] x = new float[60];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 7 - 3;
        }
        Tensor in = Tensor.of(x, 1, 2, 5, 6);
        Tensor on = new Session(new Compiler(CompileOptions.defaults()).compile(m, null),
                new SessionOptions(1)).run(in).get("y");
        Tensor off = new Session(new Compiler(CompileOptions.defaults().disable("fold-pad"))
                .compile(m, null), new SessionOptions(1)).run(in).get("y");
        assertNull(BackendTestCase.compare(off, on, 1e-5, 1e-5));
    }
}
