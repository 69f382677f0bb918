package dev.lanes.compiler.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lanes.compiler.CompileOptions;
import dev.lanes.compiler.Compiler;
import dev.lanes.compiler.conformance.BackendTestCase;
import dev.lanes.compiler.conformance.SharedData;
import dev.lanes.compiler.conformance.TestRules;
import dev.lanes.compiler.conformance.TestRules.Tolerance;
import dev.lanes.formats.ModelReader;
import dev.lanes.formats.onnx.Onnx.ModelProto;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.SessionOptions;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.ValueInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every shared model gives the same outputs with every pass on as with every pass off (the
 * graph lowered as imported), on its first test data set or, without one, on seeded inputs
 * (free batch 1, other free dimensions 64). The ONNX node tests check the same in
 * {@link BackendTestCase#run}.
 */
class AllPassesOffTest {
    @TestFactory
    Stream<DynamicTest> everySharedModel() {
        Path root = SharedData.shared().resolve("models");
        if (!Files.isDirectory(root)) {
            return Stream.of(SharedData.missing("models", root, "all-passes-off test"));
        }
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> st = Files.list(root)) {
            st.filter(d -> Files.isRegularFile(d.resolve("model.onnx"))).sorted()
                    .forEach(d -> tests.add(DynamicTest.dynamicTest("models/" + d.getFileName(),
                            () -> check(d))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tests.stream();
    }

    private static void check(Path dir) throws IOException {
        ModelProto m = ModelReader.read(dir.resolve("model.onnx"));
        Session on = new Session(new Compiler(CompileOptions.defaults()).compile(m, dir),
                new SessionOptions(2));
        Session off = new Session(new Compiler(CompileOptions.allPassesOff()).compile(m, dir),
                new SessionOptions(2));
        Path set = dir.resolve("test_data_set_0");
        Map<String, Tensor> in = Files.isDirectory(set) ? BackendTestCase.inputs(on, set)
                : seeded(on.inputs());
        Tolerance tol = TestRules.get().tolerance("models/" + dir.getFileName());
        Map<String, Tensor> want = off.run(in);
        Map<String, Tensor> got = on.run(in);
        assertEquals(want.keySet(), got.keySet());
        for (String name : want.keySet()) {
            assertNull(BackendTestCase.compare(want.get(name), got.get(name), tol.atol(),
                    tol.rtol()), dir.getFileName() + " output " + name + " (" + tol + ")");
        }
    }

    private static Map<String, Tensor> seeded(List<ValueInfo> declared) {
        Random r = new Random(21);
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (ValueInfo v : declared) {
            int[] shape = v.dims().clone();
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shape[i] >= 0 ? shape[i] : i == 0 ? 1 : 64;
            }
            float[] x = new float[Tensor.checkedSize(shape)];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextFloat();
            }
            in.put(v.name(), Tensor.of(x, shape));
        }
        return in;
    }
}
