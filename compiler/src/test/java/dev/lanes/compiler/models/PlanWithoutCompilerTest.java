package dev.lanes.compiler.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import dev.lanes.Lanes;
import dev.lanes.compiler.CompileOptions;
import dev.lanes.compiler.conformance.SharedData;
import dev.lanes.formats.ModelReader;
import dev.lanes.runtime.Plan;
import dev.lanes.runtime.plan.CheckPlan;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A saved plan needs only the runtime: the plan of a real model is written here (with the
 * compiler), then a separate JVM whose class path holds the runtime, formats and protobuf and
 * nothing else runs {@link CheckPlan} on it, which loads the plan, runs the model's
 * {@code test_data_set_0} and compares with its {@code output_0.pb} (1e-4 absolute plus 1e-3
 * relative).
 */
class PlanWithoutCompilerTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"resnet18", "mobilenet_v2"})
    void runtimeAloneRunsTheSavedPlan(String model) throws Exception {
        Path modelDir = SharedData.shared().resolve("models").resolve(model);
        SharedData.require(modelDir, "plan test models/" + model);
        Path plan = dir.resolve(model + ".lanes");
        Plan compiled = Lanes.compileTo(modelDir.resolve("model.onnx"), CompileOptions.defaults(),
                plan);
        assertTrue(compiled.steps().size() > 10);

        List<String> classPath = new ArrayList<>();
        for (Class<?> c : List.of(CheckPlan.class, ModelReader.class, Message.class)) {
            classPath.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString());
        }
        for (String entry : classPath) {
            assertFalse(entry.contains("compiler"), "class path entry " + entry);
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "--add-modules",
                "jdk.incubator.vector", "-cp", String.join(File.pathSeparator, classPath),
                CheckPlan.class.getName(), plan.toString(),
                modelDir.resolve("test_data_set_0").toString(), "2");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the JVM did not finish");
        String text = new String(out, StandardCharsets.UTF_8);
        System.out.println(model + " in a JVM without the compiler:\n" + text);
        assertEquals(0, p.exitValue(), text);
        assertTrue(text.contains("compiler on the class path: no"), text);
        assertTrue(text.contains("output 'output': max abs diff"), text);
        assertTrue(text.strip().endsWith("PASS"), text);
    }
}
