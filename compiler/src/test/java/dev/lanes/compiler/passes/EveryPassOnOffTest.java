package dev.lanes.compiler.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lanes.compiler.CompileOptions;
import dev.lanes.compiler.Compiler;
import dev.lanes.compiler.conformance.BackendTestCase;
import dev.lanes.compiler.conformance.SharedData;
import dev.lanes.formats.ModelBuilder;
import dev.lanes.formats.ModelReader;
import dev.lanes.formats.onnx.Onnx.ModelProto;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.SessionOptions;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.ValueInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every pass, switched off alone, leaves every output of several real models unchanged (within
 * float32 reordering: 1e-4 abs + 1e-3 rel), on a seeded random input.
 */
class EveryPassOnOffTest {
    private static final List<String> MODELS = List.of("lenet_bn", "seed_ops", "squeezenet1_1",
            "mobilenet_v3_small", "shufflenet_v2_x1_0", "ultraface-slim-320", "yunet-n-320");

    private static Map<String, Tensor> run(ModelProto m, CompileOptions o, Tensor[] inputs) {
        Session s = new Session(new Compiler(o).compile(m, null), new SessionOptions(1));
        return s.run(inputs);
    }

    private static Tensor[] inputs(ModelProto m) {
        Session s = new Session(new Compiler(CompileOptions.defaults()).compile(m, null),
                new SessionOptions(1));
        Random r = new Random(11);
        List<Tensor> in = new ArrayList<>();
        for (ValueInfo v : s.inputs()) {
            int[] shape = v.dims().clone();
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shape[i] < 0 ? 1 : shape[i];
            }
            float[] x = new float[Tensor.checkedSize(shape)];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextFloat() * 2 - 1;
            }
            in.add(Tensor.of(x, shape));
        }
        return in.toArray(new Tensor[0]);
    }

    @TestFactory
    Stream<DynamicTest> eachPassOffGivesTheSameOutputs() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : MODELS) {
            Path file = SharedData.shared().resolve("models").resolve(name).resolve("model.onnx");
            tests.add(DynamicTest.dynamicTest(name, () -> {
                if (!Files.exists(file)) {
                    SharedData.require(file.getParent(), "pass on/off test");
                    return;
                }
                ModelProto m = ModelReader.read(file);
                Tensor[] in = inputs(m);
                Map<String, Tensor> all = run(m, CompileOptions.defaults(), in);
                for (String pass : Compiler.passNames()) {
                    Map<String, Tensor> off = run(m, CompileOptions.defaults().disable(pass), in);
                    for (String out : all.keySet()) {
                        assertNull(BackendTestCase.compare(off.get(out), all.get(out), 1e-4, 1e-3),
                                name + " with " + pass + " off, output " + out);
                    }
                }
            }));
        }
        return tests.stream();
    }

    @Test
    void duplicateNodesAndConstantsAreShared() {
        ModelBuilder m = new ModelBuilder("g").opset(13).input("x", 2, 3);
        m.initializer("a", new float[] {1, 2, 3}, 3);
        m.initializer("b", new float[] {1, 2, 3}, 3);
        m.node("Add").inputs("x", "a").outputs("p");
        m.node("Add").inputs("x", "b").outputs("q");
        m.node("Mul").inputs("p", "q").outputs("y");
        m.output("y", 2, 3);
        ModelProto model = m.build();
        Compiler c = new Compiler(CompileOptions.defaults());
        var g = c.importGraph(model, null);
        c.optimize(g);
        assertEquals(2, g.nodes().size(), g.nodes().toString());
        Tensor x = Tensor.of(new float[] {0, 1, 2, 3, 4, 5}, 2, 3);
        Tensor y = run(model, CompileOptions.defaults(), new Tensor[] {x}).get("y");
        Tensor yOff = run(model, CompileOptions.defaults()
                .disable("eliminate-common-subexpressions"), new Tensor[] {x}).get("y");
        assertNull(BackendTestCase.compare(yOff, y, 0, 0));
        assertEquals(64f, y.floats()[5]); // (5 + 3) * (5 + 3)
    }
}
