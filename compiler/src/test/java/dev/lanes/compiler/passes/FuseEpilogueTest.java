package dev.lanes.compiler.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.compiler.CompileOptions;
import dev.lanes.compiler.Compiler;
import dev.lanes.compiler.conformance.BackendTestCase;
import dev.lanes.compiler.conformance.SharedData;
import dev.lanes.compiler.ir.Graph;
import dev.lanes.compiler.ir.Node;
import dev.lanes.formats.ModelBuilder;
import dev.lanes.formats.ModelReader;
import dev.lanes.formats.TensorProtos;
import dev.lanes.formats.onnx.Onnx.ModelProto;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.SessionOptions;
import dev.lanes.runtime.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The conv epilogue fusion: same outputs with the pass on and off, and what is left. */
class FuseEpilogueTest {
    /** float32 with activations evaluated by vector approximations: 1e-4 abs + 1e-3 rel. */
    private static final double ATOL = 1e-4;
    private static final double RTOL = 1e-3;

    private static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return v;
    }

    /** conv -> (Add skip) -> pattern, where pattern names what follows the conv. */
    private static ModelProto model(String pattern) {
        Random r = new Random(pattern.hashCode());
        ModelBuilder m = new ModelBuilder("g").opset(13).input("x", "N", 4, 6, 6);
        m.initializer("w", random(r, 4 * 4 * 9), 4, 4, 3, 3);
        m.initializer("b", random(r, 4), 4);
        m.node("Conv").inputs("x", "w", "b").outputs("c").ints("pads", 1, 1, 1, 1);
        String y = "c";
        if (pattern.startsWith("residual")) {
            m.node("Add").inputs("x", "c").outputs("s");
            y = "s";
        }
        String act = pattern.replace("residual-", "");
        switch (act) {
            case "relu" -> m.node("Relu").inputs(y).outputs("z");
            case "clip" -> {
                m.initializer("lo", new float[] {0f});
                m.initializer("hi", new float[] {6f});
                m.node("Clip").inputs(y, "lo", "hi").outputs("z");
            }
            case "leaky" -> m.node("LeakyRelu").inputs(y).outputs("z").attr("alpha", 0.2f);
            case "hardswish" -> {
                m.node("HardSigmoid").inputs(y).outputs("g").attr("alpha", 1f / 6f)
                        .attr("beta", 0.5f);
                m.node("Mul").inputs(y, "g").outputs("z");
            }
            case "silu" -> {
                m.node("Sigmoid").inputs(y).outputs("g");
                m.node("Mul").inputs("g", y).outputs("z");
            }
            case "tanh" -> m.node("Tanh").inputs(y).outputs("z");
            default -> m.node("Identity").inputs(y).outputs("z");
        }
        m.output("z", "N", 4, 6, 6);
        return m.build();
    }

    private static Tensor run(ModelProto model, CompileOptions opts, Tensor x) {
        Session s = new Session(new Compiler(opts).compile(model, null), new SessionOptions(2));
        return s.run(x).values().iterator().next();
    }

    private static Map<String, Integer> ops(ModelProto model, CompileOptions opts) {
        Compiler c = new Compiler(opts);
        Graph g = c.importGraph(model, null);
        c.optimize(g);
        Map<String, Integer> h = new TreeMap<>();
        for (Node n : g.nodes()) {
            h.merge(n.opType(), 1, Integer::sum);
        }
        return h;
    }

    @ParameterizedTest
    @ValueSource(strings = {"relu", "clip", "leaky", "hardswish", "silu", "tanh", "residual-relu",
            "residual-clip", "residual-none"})
    void fusedMatchesUnfused(String pattern) {
        ModelProto m = model(pattern);
        CompileOptions off = CompileOptions.defaults().disable("fuse-epilogue");
        Map<String, Integer> after = ops(m, CompileOptions.defaults());
        assertEquals(1, after.getOrDefault("FusedConv", 0), after.toString());
        int expectedLeft = pattern.equals("residual-none") ? 1 : 0; // the graph output Identity
        assertEquals(expectedLeft, after.size() - 1, after.toString());
        Tensor x = Tensor.of(random(new Random(3), 2 * 4 * 36), 2, 4, 6, 6);
        assertNull(BackendTestCase.compare(run(m, off, x), run(m, CompileOptions.defaults(), x),
                ATOL, RTOL));
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "mobilenet_v2", "mobilenet_v3_small", "squeezenet1_1",
            "seed_ops"})
    void realModelsMatchWithPassOff(String name) throws Exception {
        Path dir = SharedData.shared().resolve("models").resolve(name);
        if (!Files.isDirectory(dir)) {
            SharedData.require(dir, "fuse-epilogue model test");
            Assumptions.abort("no " + dir);
        }
        ModelProto m = ModelReader.read(dir.resolve("model.onnx"));
        CompileOptions off = CompileOptions.defaults().disable("fuse-epilogue");
        Tensor x = Tensor.from(TensorProtos.read(dir.resolve("test_data_set_1/input_0.pb")));
        assertNull(BackendTestCase.compare(run(m, off, x), run(m, CompileOptions.defaults(), x),
                ATOL, RTOL));
        Map<String, Integer> after = ops(m, CompileOptions.defaults());
        switch (name) {
            case "resnet18" -> {
                for (String op : new String[] {"BatchNormalization", "Relu", "Add"}) {
                    assertTrue(!after.containsKey(op), op + " left in " + after);
                }
            }
            case "mobilenet_v2" -> {
                for (String op : new String[] {"BatchNormalization", "Clip"}) {
                    assertTrue(!after.containsKey(op), op + " left in " + after);
                }
            }
            case "mobilenet_v3_small" -> {
                assertTrue(!after.containsKey("HardSigmoid"), "HardSigmoid left in " + after);
                // The Muls left are the squeeze-excite scalings, one per block with SE (each
                // has its own GlobalAveragePool; one more pools before the classifier); the
                // channel-blocks pass turns those in its chains into blocked forms.
                int pools = after.getOrDefault("GlobalAveragePool", 0)
                        + after.getOrDefault("BlockedGlobalAveragePool", 0);
                int scales = after.getOrDefault("Mul", 0)
                        + after.getOrDefault("BlockedChannelScale", 0);
                assertEquals(pools - 1, scales, after.toString());
            }
            default -> { }
        }
    }
}
