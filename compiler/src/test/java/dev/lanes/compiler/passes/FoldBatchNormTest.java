package dev.lanes.compiler.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lanes.compiler.CompileOptions;
import dev.lanes.compiler.Compiler;
import dev.lanes.compiler.conformance.BackendTestCase;
import dev.lanes.compiler.conformance.SharedData;
import dev.lanes.compiler.ir.Graph;
import dev.lanes.formats.ModelBuilder;
import dev.lanes.formats.ModelReader;
import dev.lanes.formats.TensorProtos;
import dev.lanes.formats.onnx.Onnx.ModelProto;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.SessionOptions;
import dev.lanes.runtime.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The BatchNormalization fold: same outputs with the pass on and off, and no BN left. */
class FoldBatchNormTest {
    /** float32 results of a rescaled weight sum in another order: 1e-4 abs + 1e-3 rel. */
    private static final double ATOL = 1e-4;
    private static final double RTOL = 1e-3;

    private static float[] random(Random r, int n, float lo, float hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + r.nextFloat() * (hi - lo);
        }
        return v;
    }

    /** A producer (Conv, grouped ConvTranspose or Gemm) followed by BatchNormalization. */
    private static ModelProto model(String op, int groups, boolean bias, int transB) {
        Random r = new Random(op.hashCode() + groups);
        int cin = 4;
        int cout = 6;
        ModelBuilder m = new ModelBuilder("g").opset(13);
        var node = m.node(op).inputs(bias ? new String[] {"x", "w", "b"}
                : new String[] {"x", "w"}).outputs("y");
        switch (op) {
            case "Conv" -> {
                m.input("x", "N", cin, 5, 5).output("z", "N", cout, 5, 5);
                m.initializer("w", random(r, cout * cin / groups * 9, -1, 1), cout,
                        cin / groups, 3, 3);
                node.ints("pads", 1, 1, 1, 1).attr("group", groups);
            }
            case "ConvTranspose" -> {
                m.input("x", "N", cin, 5, 5).output("z", "N", cout, 6, 6);
                m.initializer("w", random(r, cin * (cout / groups) * 4, -1, 1), cin,
                        cout / groups, 2, 2);
                node.attr("group", groups).ints("strides", 1, 1);
            }
            default -> {
                m.input("x", "N", cin).output("z", "N", cout);
                m.initializer("w", random(r, cin * cout, -1, 1),
                        transB == 1 ? new long[] {cout, cin} : new long[] {cin, cout});
                node.attr("transB", transB);
            }
        }
        if (bias) {
            m.initializer("b", random(r, cout, -1, 1), cout);
        }
        m.initializer("gamma", random(r, cout, 0.5f, 1.5f), cout);
        m.initializer("beta", random(r, cout, -1, 1), cout);
        m.initializer("mean", random(r, cout, -1, 1), cout);
        m.initializer("var", random(r, cout, 0.1f, 2f), cout);
        m.node("BatchNormalization").inputs("y", "gamma", "beta", "mean", "var").outputs("z")
                .attr("epsilon", 1e-3f);
        return m.build();
    }

    private static Tensor run(ModelProto model, CompileOptions opts, Tensor x) {
        Session s = new Session(new Compiler(opts).compile(model, null), new SessionOptions(1));
        return s.run(x).values().iterator().next();
    }

    private static int batchNorms(ModelProto model, CompileOptions opts) {
        Compiler c = new Compiler(opts);
        Graph g = c.importGraph(model, null);
        c.optimize(g);
        return (int) g.nodes().stream().filter(n -> n.opType().equals("BatchNormalization"))
                .count();
    }

    @ParameterizedTest
    @CsvSource({"Conv,1,true,0", "Conv,2,false,0", "ConvTranspose,1,true,0",
            "ConvTranspose,2,false,0", "Gemm,1,true,0", "Gemm,1,true,1", "Gemm,1,false,1"})
    void foldedMatchesUnfolded(String op, int groups, boolean bias, int transB) {
        ModelProto m = model(op, groups, bias, transB);
        CompileOptions off = CompileOptions.defaults().disable("fold-batchnorm");
        assertEquals(1, batchNorms(m, off));
        assertEquals(0, batchNorms(m, CompileOptions.defaults()));
        Random r = new Random(7);
        Tensor x = op.equals("Gemm") ? Tensor.of(random(r, 3 * 4, -1, 1), 3, 4)
                : Tensor.of(random(r, 3 * 4 * 25, -1, 1), 3, 4, 5, 5);
        assertNull(BackendTestCase.compare(run(m, off, x), run(m, CompileOptions.defaults(), x),
                ATOL, RTOL));
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "mobilenet_v2", "lenet_bn", "seed_ops"})
    void realModelsMatchWithPassOffAndHaveNoBatchNormLeft(String name) throws Exception {
        Path dir = SharedData.shared().resolve("models").resolve(name);
        if (!Files.isDirectory(dir)) {
            SharedData.require(dir, "fold-batchnorm model test");
            Assumptions.abort("no " + dir);
        }
        ModelProto m = ModelReader.read(dir.resolve("model.onnx"));
        CompileOptions off = CompileOptions.defaults().disable("fold-batchnorm");
        Tensor x = Tensor.from(TensorProtos.read(dir.resolve("test_data_set_0/input_0.pb")));
        assertNull(BackendTestCase.compare(run(m, off, x), run(m, CompileOptions.defaults(), x),
                ATOL, RTOL));
        if (!name.equals("seed_ops")) {
            assertEquals(0, batchNorms(m, CompileOptions.defaults()), name);
        }
    }

    @Test
    void batchNormFeedingTwoConsumersIsKept() {
        ModelBuilder m = new ModelBuilder("g").opset(13).input("x", 1, 2, 3, 3);
        m.initializer("w", new float[] {1, 2, 3, 4}, 2, 2, 1, 1);
        m.node("Conv").inputs("x", "w").outputs("y");
        m.node("Relu").inputs("y").outputs("side");
        for (String p : new String[] {"gamma", "beta", "mean", "var"}) {
            m.initializer(p, new float[] {1, 1}, 2);
        }
        m.node("BatchNormalization").inputs("y", "gamma", "beta", "mean", "var").outputs("z");
        m.output("z", 1, 2, 3, 3).output("side", 1, 2, 3, 3);
        assertEquals(1, batchNorms(m.build(), CompileOptions.defaults()));
    }
}
