package dev.lanes.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.compiler.conformance.BackendTestCase;
import dev.lanes.formats.ModelBuilder;
import dev.lanes.formats.onnx.Onnx.ModelProto;
import dev.lanes.runtime.Plan;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.SessionOptions;
import dev.lanes.runtime.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fusion passes as a group: which they are, and a plan compiled without them. */
class FusionPassesTest {
    private static float[] random(Random r, int n, float lo, float hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + r.nextFloat() * (hi - lo);
        }
        return v;
    }

    /** z = Relu(BN(Conv(Pad(x))) + x) over [N,4,6,6]: every fusion but GELU and blocks applies. */
    private static ModelProto model() {
        Random r = new Random(3);
        int c = 4;
        ModelBuilder m = new ModelBuilder("g").opset(13);
        m.input("x", "N", c, 6, 6).output("z", "N", c, 6, 6);
        m.initializer("pads", new long[] {0, 0, 1, 1, 0, 0, 1, 1}, 8);
        m.initializer("w", random(r, c * c * 9, -1, 1), c, c, 3, 3);
        m.initializer("b", random(r, c, -1, 1), c);
        m.initializer("gamma", random(r, c, 0.5f, 1.5f), c);
        m.initializer("beta", random(r, c, -1, 1), c);
        m.initializer("mean", random(r, c, -1, 1), c);
        m.initializer("var", random(r, c, 0.1f, 2f), c);
        m.node("Pad").inputs("x", "pads").outputs("p");
        m.node("Conv").inputs("p", "w", "b").outputs("y");
        m.node("BatchNormalization").inputs("y", "gamma", "beta", "mean", "var").outputs("n")
                .attr("epsilon", 1e-3f);
        m.node("Add").inputs("n", "x").outputs("a");
        m.node("Relu").inputs("a").outputs("z");
        return m.build();
    }

    private static List<String> steps(Plan plan) {
        return plan.steps().stream().map(Plan.Step::opType).toList();
    }

    @Test
    void fusionPassesArePassesInTheirOrderAndLeaveTheCleanupOn() {
        List<String> fusion = Compiler.fusionPassNames();
        List<String> all = Compiler.passNames();
        assertEquals(all.stream().filter(fusion::contains).toList(), fusion);
        for (String cleanup : List.of("eliminate-identity", "fold-constants",
                "eliminate-common-subexpressions", "infer-shapes")) {
            assertTrue(all.contains(cleanup), cleanup);
            assertTrue(!fusion.contains(cleanup), cleanup);
        }
        CompileOptions off = CompileOptions.defaults().disable("fold-constants").withoutFusion();
        assertTrue(off.disabledPasses().containsAll(fusion));
        assertTrue(off.disabledPasses().contains("fold-constants"), "keeps what was off");
    }

    @Test
    void withoutFusionEveryNodeIsAStepAndTheOutputsAgree() {
        ModelProto m = model();
        Plan fused = new Compiler(CompileOptions.defaults()).compile(m, null);
        Plan unfused = new Compiler(CompileOptions.defaults().withoutFusion()).compile(m, null);
        assertEquals(List.of("Pad", "Conv", "BatchNormalization", "Add", "Relu"), steps(unfused));
        assertEquals(1, fused.steps().size(), steps(fused).toString());
        Random r = new Random(5);
        Tensor x = Tensor.of(random(r, 2 * 4 * 36, -1, 1), 2, 4, 6, 6);
        Tensor a = new Session(fused, new SessionOptions(1)).run(x).get("z");
        Tensor b = new Session(unfused, new SessionOptions(1)).run(x).get("z");
        assertNull(BackendTestCase.compare(b, a, 1e-4, 1e-3));
    }
}
