package dev.lanes.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.Lanes;
import dev.lanes.compiler.CompileOptions;
import dev.lanes.compiler.Compiler;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.SessionOptions;
import dev.lanes.runtime.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void jsonHasTheLanesFiguresAndTheSlowestNodes() {
        Path model = TestModels.addRelu(dir);
        CliRunner r = CliRunner.run("bench", model.toString(), "--seconds", "0.2", "--warmup",
                "0.05", "--batch", "4", "--threads", "1", "--json");
        assertEquals(Main.OK, r.code, r::toString);
        Map<?, ?> json = assertInstanceOf(Map.class, BenchJsonReader.parse(r.out));
        assertEquals(4.0, json.get("batch"));
        Map<?, ?> lanes = assertInstanceOf(Map.class, json.get("lanes"));
        for (String key : List.of("median_ms", "p90_ms", "p99_ms", "load_ms", "first_run_ms",
                "throughput", "peak_memory_bytes", "runs")) {
            assertInstanceOf(Double.class, lanes.get(key), key + " in " + r.out);
        }
        assertTrue((Double) lanes.get("runs") >= 1, r.out);
        assertTrue(json.containsKey("ratio") && json.containsKey("max_abs_diff"), r.out);
        assertNull(json.get("ort"), r.out);
        List<?> nodes = assertInstanceOf(List.class, json.get("slowest_nodes"));
        assertEquals(3, nodes.size(), r.out);
        for (Object n : nodes) {
            Map<?, ?> node = assertInstanceOf(Map.class, n);
            assertInstanceOf(String.class, node.get("name"));
            assertInstanceOf(String.class, node.get("op"));
            assertInstanceOf(Double.class, node.get("mean_ms"));
            assertInstanceOf(Double.class, node.get("share"));
        }
    }

    @Test
    void nodesSaysHowManyOfTheSlowestAreListed() {
        Path model = TestModels.addRelu(dir);
        for (String[] c : new String[][] {{"1", "1"}, {"0", "3"}}) {
            CliRunner r = CliRunner.run("bench", model.toString(), "--seconds", "0.1",
                    "--warmup", "0", "--nodes", c[0], "--json");
            assertEquals(Main.OK, r.code, r::toString);
            Map<?, ?> json = assertInstanceOf(Map.class, BenchJsonReader.parse(r.out));
            List<?> nodes = assertInstanceOf(List.class, json.get("slowest_nodes"));
            assertEquals(Integer.parseInt(c[1]), nodes.size(), "--nodes " + c[0] + ": " + r.out);
        }
        CliRunner bad = CliRunner.run("bench", model.toString(), "--nodes", "-1");
        assertEquals(Main.USAGE, bad.code, bad::toString);
    }

    @Test
    void comparesWithOnnxRuntime() {
        Path model = TestModels.addRelu(dir);
        CliRunner r = CliRunner.run("bench", model.toString(), "--seconds", "0.2", "--warmup",
                "0", "--compare", "ort", "--json");
        assertEquals(Main.OK, r.code, r::toString);
        Map<?, ?> json = assertInstanceOf(Map.class, BenchJsonReader.parse(r.out));
        Map<?, ?> ort = assertInstanceOf(Map.class, json.get("ort"));
        assertInstanceOf(Double.class, ort.get("median_ms"), r.out);
        assertInstanceOf(Double.class, json.get("ratio"), r.out);
        // Add and Relu are exact in float: both engines must agree to the bit.
        assertEquals(0.0, json.get("max_abs_diff"), r.out);
    }

    @Test
    void comparesWithTheUnfusedPlan() {
        Path model = TestModels.convBnRelu(dir);
        CliRunner r = CliRunner.run("bench", model.toString(), "--seconds", "0.2", "--warmup",
                "0", "--threads", "1", "--compare", "unfused", "--json");
        assertEquals(Main.OK, r.code, r::toString);
        Map<?, ?> json = assertInstanceOf(Map.class, BenchJsonReader.parse(r.out));
        Map<?, ?> lanes = assertInstanceOf(Map.class, json.get("lanes"));
        Map<?, ?> unfused = assertInstanceOf(Map.class, json.get("unfused"));
        for (String key : List.of("median_ms", "p90_ms", "p99_ms", "load_ms", "first_run_ms",
                "throughput", "runs", "steps")) {
            assertInstanceOf(Double.class, unfused.get(key), key + " in " + r.out);
        }
        assertNull(unfused.get("peak_memory_bytes"), "the heap peak is the process's: " + r.out);
        assertEquals(lanes.get("runs"), unfused.get("runs"), "the engines alternate: " + r.out);
        assertEquals(1.0, lanes.get("steps"), r.out);
        assertEquals(3.0, unfused.get("steps"), "Conv, BatchNormalization, Relu: " + r.out);
        assertEquals(List.of(), lanes.get("disabled_passes"), r.out);
        assertEquals(Compiler.fusionPassNames(), unfused.get("disabled_passes"), r.out);
        assertRatio(json, "ratio_unfused", lanes, unfused);
        double diff = (Double) json.get("max_abs_diff_unfused");
        assertTrue(diff < 1e-4, "folded BN differs by rounding only: " + r.out);
        assertNull(json.get("ort"), r.out);
        assertNull(json.get("ratio"), r.out);
        assertNull(json.get("max_abs_diff"), r.out);
    }

    @Test
    void comparesWithOnnxRuntimeAndTheUnfusedPlanInOneRun() {
        Path model = TestModels.convBnRelu(dir);
        for (String[] compare : new String[][] {{"--compare", "ort,unfused"},
                {"--compare", "unfused, ort"}, {"--compare", "ort", "--compare", "unfused"}}) {
            List<String> argv = new java.util.ArrayList<>(List.of("bench", model.toString(),
                    "--seconds", "0.1", "--warmup", "0", "--threads", "1", "--json"));
            argv.addAll(List.of(compare));
            CliRunner r = CliRunner.run(argv.toArray(String[]::new));
            assertEquals(Main.OK, r.code, r::toString);
            Map<?, ?> json = assertInstanceOf(Map.class, BenchJsonReader.parse(r.out));
            Map<?, ?> lanes = assertInstanceOf(Map.class, json.get("lanes"));
            Map<?, ?> unfused = assertInstanceOf(Map.class, json.get("unfused"));
            Map<?, ?> ort = assertInstanceOf(Map.class, json.get("ort"));
            assertEquals(List.of("model", "plan", "batch", "threads", "seconds",
                    "warmup_seconds", "lanes", "unfused", "ort", "ratio", "max_abs_diff",
                    "ratio_unfused", "max_abs_diff_unfused", "slowest_nodes"),
                    List.copyOf(json.keySet()),
                    String.join(" ", compare));
            for (Map<?, ?> engine : List.of(unfused, ort)) {
                for (String key : List.of("median_ms", "p90_ms", "load_ms", "first_run_ms")) {
                    assertInstanceOf(Double.class, engine.get(key), key + " in " + r.out);
                }
                assertEquals(lanes.get("runs"), engine.get("runs"), r.out);
            }
            assertRatio(json, "ratio", lanes, ort);
            assertRatio(json, "ratio_unfused", lanes, unfused);
            assertTrue((Double) json.get("max_abs_diff") < 1e-4, r.out);
            assertTrue((Double) json.get("max_abs_diff_unfused") < 1e-4, r.out);
        }
    }

    private static void assertRatio(Map<?, ?> json, String key, Map<?, ?> lanes,
            Map<?, ?> reference) {
        double expected = (Double) lanes.get("median_ms") / (Double) reference.get("median_ms");
        double ratio = assertInstanceOf(Double.class, json.get(key), key);
        assertEquals(expected, ratio, 1e-9 * expected, key + " is the ratio of the medians");
    }

    @Test
    void theTableHasAColumnPerEngineAndTheRatios() {
        Path model = TestModels.convBnRelu(dir);
        CliRunner r = CliRunner.run("bench", model.toString(), "--seconds", "0.1", "--warmup",
                "0", "--threads", "1", "--compare", "ort,unfused");
        assertEquals(Main.OK, r.code, r::toString);
        for (String s : List.of("Lanes unfused", "ORT ", "plan steps", "ratio Lanes/ORT",
                "ratio Lanes/Lanes unfused", "max |Lanes - ORT|", "max |Lanes - Lanes unfused|",
                "Lanes unfused: passes off: " + String.join(", ", Compiler.fusionPassNames()))) {
            assertTrue(r.out.contains(s), s + " in\n" + r.out);
        }
        String steps = r.out.lines().filter(l -> l.startsWith("plan steps")).findFirst()
                .orElseThrow();
        assertEquals(List.of("plan", "steps", "1", "3", "-"), List.of(steps.trim().split(
                "\\s+")), r.out);
    }

    @Test
    void disablePassSwitchesPassesOffInTheLanesSession() {
        Path model = TestModels.convBnRelu(dir);
        CliRunner r = CliRunner.run("bench", model.toString(), "--seconds", "0.1", "--warmup",
                "0", "--threads", "1", "--disable-pass", "fuse-epilogue", "--disable-pass",
                "eliminate-identity", "--compare", "unfused", "--json");
        assertEquals(Main.OK, r.code, r::toString);
        Map<?, ?> json = assertInstanceOf(Map.class, BenchJsonReader.parse(r.out));
        Map<?, ?> lanes = assertInstanceOf(Map.class, json.get("lanes"));
        Map<?, ?> unfused = assertInstanceOf(Map.class, json.get("unfused"));
        assertEquals(List.of("eliminate-identity", "fuse-epilogue"),
                lanes.get("disabled_passes"), "in pass order: " + r.out);
        assertEquals(2.0, lanes.get("steps"), "the Conv with the BN folded, the Relu: " + r.out);
        assertTrue(((List<?>) unfused.get("disabled_passes")).contains("eliminate-identity"),
                "the unfused session has the same passes off: " + r.out);

        CliRunner bad = CliRunner.run("bench", model.toString(), "--disable-pass", "fuse-all");
        assertEquals(Main.USAGE, bad.code, bad::toString);
        assertTrue(bad.err.contains("no pass named 'fuse-all'"), bad::toString);
    }

    @Test
    void printsATableByDefault() {
        Path model = TestModels.addRelu(dir);
        CliRunner r = CliRunner.run("bench", model.toString(), "--seconds", "0.1", "--warmup",
                "0");
        assertEquals(Main.OK, r.code, r::toString);
        assertTrue(r.out.contains("median (ms)") && r.out.contains("slowest nodes"), r.out);
        assertTrue(r.out.contains("relu"), r.out);
    }

    @Test
    void profiledRunsGiveTheSameOutputsAndTimeEveryStep() {
        Path model = TestModels.addRelu(dir);
        try (Session session = Lanes.load(model, new SessionOptions(1),
                CompileOptions.defaults())) {
            Map<String, Tensor> inputs = Map.of(
                    "x", Tensor.of(new float[] {-5, 0, 5, 1, 2, 3}, 2, 3),
                    "a", Tensor.of(new float[] {1, 1, 1}, 1, 3));
            long[] nanos = new long[session.plan().steps().size()];
            Arrays.fill(nanos, -1);
            Map<String, Tensor> profiled = session.runProfiled(inputs, nanos);
            Map<String, Tensor> plain = session.run(inputs);
            assertEquals(plain.keySet(), profiled.keySet());
            for (String name : plain.keySet()) {
                assertArrayEquals(plain.get(name).floats(), profiled.get(name).floats(), name);
            }
            for (long n : nanos) {
                assertTrue(n >= 0, Arrays.toString(nanos));
            }
        }
    }

    @Test
    void rejectsAnUnknownComparison() {
        Path model = TestModels.addRelu(dir);
        for (String bad : List.of("tvm", "ort,tvm", "ort,", ",unfused", "ort;unfused", "",
                "ORT")) {
            CliRunner r = CliRunner.run("bench", model.toString(), "--compare", bad);
            assertEquals(Main.USAGE, r.code, r::toString);
            assertTrue(r.err.contains("--compare takes 'ort', 'unfused' or both")
                    && r.err.contains("not '" + bad + "'"), r::toString);
        }
    }

    @Test
    void helpNamesTheFusionPassesTheUnfusedPlanLeavesOut() {
        String help = new BenchCommand().help().replaceAll("\\s+", " ");
        for (String pass : Compiler.fusionPassNames()) {
            assertTrue(help.contains(pass), pass + " in " + help);
        }
        assertTrue(help.contains("--compare REFS") && help.contains("--disable-pass NAME"), help);
    }

    @Test
    void blocksLastAboutTwoHundredMillisecondsWithinBounds() {
        assertEquals(20, BenchCommand.blockRuns(10_000_000L));
        assertEquals(200, BenchCommand.blockRuns(100_000L), "a fast model's block is capped");
        assertEquals(3, BenchCommand.blockRuns(2_000_000_000L), "a slow model still gets 3 runs");
        assertEquals(200, BenchCommand.blockRuns(0), "a run too fast to time");
    }
}
