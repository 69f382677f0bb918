package dev.lanes.compiler.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.compiler.CompileOptions;
import dev.lanes.compiler.Compiler;
import dev.lanes.compiler.conformance.BackendTestCase;
import dev.lanes.compiler.ir.Graph;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ops.ConvAlgorithmChooser;
import dev.lanes.formats.ElementType;
import dev.lanes.formats.ModelBuilder;
import dev.lanes.formats.onnx.Onnx.ModelProto;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.SessionOptions;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.conv.ConvAlgorithm;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Convolutions write straight into their Concat's output; outputs as with the pass off. */
class WriteConcatInPlaceTest {
    private static final int C = 16;
    private static final int H = 20;

    private static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat() - 0.5f;
        }
        return v;
    }

    /**
     * x[N,16,20,20]: a = Relu(Conv1x1(x)) (3 channels), b = Conv3x3(x) (5), c = Conv1x1(x) + r
     * (4, a residual); y = Concat(b, a, c) along channels, in another order than the file's.
     * {@code variant}: "plain", "negative" (the axis given as -3), "shared" (a is also an
     * output), "pool" (c is a MaxPool of x).
     */
    private static ModelProto model(String variant) {
        Random rnd = new Random(3);
        ModelBuilder m = new ModelBuilder("concat").opset(13).input("x", "N", C, H, H)
                .input("r", "N", 4, H, H);
        m.initializer("wa", random(rnd, 3 * C), 3, C, 1, 1);
        m.initializer("ba", random(rnd, 3), 3);
        m.initializer("wb", random(rnd, 5 * C * 9), 5, C, 3, 3);
        m.initializer("wc", random(rnd, 4 * C), 4, C, 1, 1);
        m.node("Conv").name("a").inputs("x", "wa", "ba").outputs("a0");
        m.node("Relu").inputs("a0").outputs("a");
        m.node("Conv").name("b").inputs("x", "wb").outputs("b").ints("pads", 1, 1, 1, 1);
        if (variant.equals("pool")) {
            m.node("MaxPool").inputs("x").outputs("c").ints("kernel_shape", 1, 1);
        } else {
            m.node("Conv").name("c").inputs("x", "wc").outputs("c0");
            m.node("Add").inputs("c0", "r").outputs("c");
        }
        m.node("Concat").inputs("b", "a", "c").outputs("y")
                .attr("axis", variant.equals("negative") ? -3L : 1L);
        m.outputWithoutShape("y", ElementType.FLOAT);
        if (variant.equals("shared")) {
            m.outputWithoutShape("a", ElementType.FLOAT);
        }
        return m.build();
    }

    private static Graph optimized(ModelProto m, CompileOptions o) {
        Compiler c = new Compiler(o);
        Graph g = c.importGraph(m, null);
        c.optimize(g);
        return g;
    }

    private static boolean hasConcat(Graph g) {
        return g.nodes().stream().anyMatch(n -> n.opType().equals("Concat"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "negative"})
    void convolutionsWriteIntoTheConcatAndGiveItsValues(String variant) {
        ModelProto m = model(variant);
        Graph g = optimized(m, CompileOptions.defaults());
        assertTrue(!hasConcat(g), g.nodes().toString());
        Set<ConvAlgorithm> algorithms = new HashSet<>();
        for (Node n : g.nodes()) {
            algorithms.add(ConvAlgorithmChooser.algorithmOf(n));
        }
        // The 1x1 GEMM (one of them with a residual) and a 3x3 algorithm write.
        assertTrue(algorithms.contains(ConvAlgorithm.POINTWISE_GEMM), algorithms.toString());
        assertEquals(2, algorithms.size(), algorithms.toString());
        compareOnAndOff(m, 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"shared", "pool"})
    void leavesConcatsItCannotWriteInPlace(String variant) {
        ModelProto m = model(variant);
        assertTrue(hasConcat(optimized(m, CompileOptions.defaults())));
        compareOnAndOff(m, variant.equals("shared") ? 2 : 1);
    }

    /** Outputs with the pass on and off, at batch 1 and 2, each run twice (the memory plan). */
    private static void compareOnAndOff(ModelProto m, int outputs) {
        Session on = new Session(new Compiler(CompileOptions.defaults()).compile(m, null),
                new SessionOptions(2));
        Session off = new Session(new Compiler(CompileOptions.defaults()
                .disable("concat-in-place")).compile(m, null), new SessionOptions(2));
        Random r = new Random(9);
        for (int n = 1; n <= 2; n++) {
            Tensor x = Tensor.of(random(r, n * C * H * H), n, C, H, H);
            Tensor res = Tensor.of(random(r, n * 4 * H * H), n, 4, H, H);
            var want = off.run(x, res);
            assertEquals(outputs, want.size());
            for (int rep = 0; rep < 2; rep++) {
                var got = on.run(x, res);
                for (String name : want.keySet()) {
                    // Same kernels, same sums, another place in memory: 1e-6.
                    assertNull(BackendTestCase.compare(want.get(name), got.get(name), 1e-6,
                            1e-6), name + " batch " + n + " run " + rep);
                }
            }
        }
    }
}
