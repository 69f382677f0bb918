package dev.lanes.compiler.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** MatMul or Gemm plus a constant bias becomes one Gemm; outputs as with the pass off. */
class FuseGemmBiasTest {
    private static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat() - 0.5f;
        }
        return v;
    }

    /**
     * x[3,5] times w[5,4] (MatMul, or Gemm with beta 0.5 and no C), plus a bias of the given
     * shape ("4", "1x4", "3x4", or "5x4", which is not a bias), the bias first when
     * {@code biasFirst}; then a Relu.
     */
    private static ModelProto model(String op, String biasShape, boolean biasFirst) {
        Random r = new Random(2);
        ModelBuilder m = new ModelBuilder("fc").opset(13).input("x", 3, 5);
        m.initializer("w", random(r, 20), 5, 4);
        long[] dims = switch (biasShape) {
            case "4" -> new long[] {4};
            case "1x4" -> new long[] {1, 4};
            case "3x4" -> new long[] {3, 4};
            default -> new long[] {2, 3, 4};
        };
        int n = 1;
        for (long d : dims) {
            n *= (int) d;
        }
        m.initializer("b", random(r, n), dims);
        if (op.equals("MatMul")) {
            m.node("MatMul").inputs("x", "w").outputs("p");
        } else {
            m.node("Gemm").inputs("x", "w").outputs("p").attr("beta", 0.5f);
        }
        m.node("Add").inputs(biasFirst ? new String[] {"b", "p"} : new String[] {"p", "b"})
                .outputs("s");
        m.node("Relu").inputs("s").outputs("y");
        m.outputWithoutShape("y", ElementType.FLOAT);
        return m.build();
    }

    @ParameterizedTest
    @CsvSource({"MatMul,4,false,true", "MatMul,1x4,true,true", "MatMul,3x4,false,true",
            "Gemm,4,true,true", "Gemm,3x4,false,true", "MatMul,2x3x4,false,false"})
    void fusesConstantBiasesThatBroadcastToTheProduct(String op, String bias, boolean first,
            boolean fuses) {
        ModelProto m = model(op, bias, first);
        Compiler c = new Compiler(CompileOptions.defaults());
        Graph g = c.importGraph(m, null);
        c.optimize(g);
        List<String> ops = g.nodes().stream().map(Node::opType).toList();
        assertEquals(fuses ? List.of("FusedGemm") : List.of(op, "Add", "Relu"), ops);
        Tensor x = Tensor.of(random(new Random(4), 15), 3, 5);
        Tensor on = new Session(new Compiler(CompileOptions.defaults()).compile(m, null),
                new SessionOptions(1)).run(x).get("y");
        Tensor off = new Session(new Compiler(CompileOptions.defaults()
                .disable("fuse-gemm-bias")).compile(m, null), new SessionOptions(1)).run(x)
                .get("y");
        assertNull(BackendTestCase.compare(off, on, 1e-6, 1e-5));
    }
}
