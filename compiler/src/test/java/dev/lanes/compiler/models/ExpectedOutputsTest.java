package dev.lanes.compiler.models;

import static org.junit.jupiter.api.Assertions.fail;

import dev.lanes.compiler.conformance.BackendTestCase;
import dev.lanes.compiler.conformance.SharedData;
import dev.lanes.compiler.conformance.TestRules;
import dev.lanes.compiler.conformance.TestRules.Tolerance;
import dev.lanes.formats.TensorData;
import dev.lanes.formats.TensorProtos;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Real models with expected outputs: every folder of {@code <shared>/models} that holds
 * {@code test_data_set_*} (the torchvision exports, where data set 0 is batch 1 and data set 1
 * batch 3, whose outputs PyTorch computed in float32; and mnist-8, mnist-1-legacy,
 * teams-bgseg-msra190729). Every output of every data set must match with the tolerance of
 * {@code tolerances.tsv} for {@code models/NAME}, by default |got - want| <= 1e-4 + 1e-3 |want|.
 * The largest differences are printed, so a tolerance can be justified by measurement.
 *
 * <p>Selection: {@code -Dlanes.models.filter=REGEX} over the folder names.
 */
class ExpectedOutputsTest {
    /** The models this suite must find; a missing one fails on CI and is skipped elsewhere. */
    static final List<String> REQUIRED = List.of("lenet_bn", "seed_ops", "squeezenet1_1",
            "mobilenet_v2", "mobilenet_v3_small", "shufflenet_v2_x1_0", "resnet18", "mnist-8",
            "mnist-1-legacy", "teams-bgseg-msra190729");

    @TestFactory
    Stream<DynamicTest> modelsMatchExpectedOutputs() {
        Path root = SharedData.shared().resolve("models");
        if (!Files.isDirectory(root)) {
            return Stream.of(SharedData.missing("models", root, "model tests"));
        }
        Pattern filter = Pattern.compile(System.getProperty("lanes.models.filter", ".*"));
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : REQUIRED) {
            Path dir = root.resolve(name);
            if (filter.matcher(name).find() && !Files.isDirectory(dir)) {
                tests.add(DynamicTest.dynamicTest("models/" + name,
                        () -> SharedData.require(dir, "model test models/" + name)));
            }
        }
        try (Stream<Path> st = Files.list(root)) {
            st.filter(d -> filter.matcher(d.getFileName().toString()).find())
                    .filter(d -> Files.isDirectory(d.resolve("test_data_set_0")))
                    .sorted()
                    .forEach(d -> tests.add(DynamicTest.dynamicTest("models/"
                            + d.getFileName(), () -> check(d))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tests.stream();
    }

    private static void check(Path dir) throws IOException {
        String test = "models/" + dir.getFileName();
        Tolerance tol = TestRules.get().tolerance(test);
        long t0 = System.nanoTime();
        Session s = ModelLoader.load(test, dir.resolve("model.onnx"));
        long compile = System.nanoTime() - t0;
        List<String> problems = new ArrayList<>();
        double worstAbs = 0;
        double worstRtol = 0;
        long run = 0;
        for (Path set : BackendTestCase.dataSets(dir)) {
            Map<String, Tensor> in = BackendTestCase.inputs(s, set);
            long t1 = System.nanoTime();
            Map<String, Tensor> out = s.run(in);
            run += System.nanoTime() - t1;
            for (int i = 0; Files.exists(set.resolve("output_" + i + ".pb")); i++) {
                TensorData d = TensorProtos.read(set.resolve("output_" + i + ".pb"));
                String name = s.outputs().get(i).name();
                Tensor want = Tensor.from(d);
                Tensor got = out.get(name);
                String diff = BackendTestCase.compare(want, got, tol.atol(), tol.rtol());
                if (diff != null) {
                    problems.add(set.getFileName() + " output '" + name + "': " + diff);
                }
                if (got != null && got.size() == want.size()) {
                    worstAbs = Math.max(worstAbs, BackendTestCase.maxAbsDiff(want, got));
                    worstRtol = Math.max(worstRtol, BackendTestCase.neededRtol(want, got,
                            tol.atol()));
                }
            }
        }
        ModelTimings.record(test, compile, run, String.format(
                "max |diff| %.3g, rtol needed at atol %.0e: %.3g (%s)", worstAbs, tol.atol(),
                worstRtol, tol));
        if (!problems.isEmpty()) {
            fail(test + ": " + String.join("; ", problems));
        }
    }

    @AfterAll
    static void writeTimings() {
        ModelTimings.write();
    }
}
