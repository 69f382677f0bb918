package dev.lanes.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.Lanes;
import dev.lanes.formats.TensorProtos;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.SavedPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lanes compile} writes a plan; {@code run}, {@code check} and {@code bench} take it
 * wherever they take an ONNX file (told apart by content, whatever the file's name) and give
 * the same results; misuse is a usage error and a damaged plan a failure naming the file.
 */
class PlanCommandsTest {
    @TempDir
    Path dir;

    private Path compiled(Path model, String... options) {
        Path plan = dir.resolve("plan.lanes");
        String[] all = new String[4 + options.length];
        all[0] = "compile";
        all[1] = model.toString();
        all[2] = "-o";
        all[3] = plan.toString();
        System.arraycopy(options, 0, all, 4, options.length);
        CliRunner r = CliRunner.run(all);
        assertEquals(Main.OK, r.code, r::toString);
        assertTrue(r.out.contains("wrote " + plan), r.out);
        return plan;
    }

    @Test
    void runOfThePlanGivesTheOutputsOfTheModel() throws Exception {
        Path model = TestModels.convBnRelu(dir);
        Path plan = compiled(model);
        Path x = TestModels.tensor(dir.resolve("x.pb"), "x", values(2 * 25), 1, 2, 5, 5);
        CliRunner a = CliRunner.run("run", model.toString(), "--input", x.toString(), "--save",
                dir.resolve("a").toString(), "--threads", "1");
        CliRunner b = CliRunner.run("run", plan.toString(), "--input", x.toString(), "--save",
                dir.resolve("b").toString(), "--threads", "1");
        assertEquals(Main.OK, a.code, a::toString);
        assertEquals(Main.OK, b.code, b::toString);
        assertTrue(a.out.contains("loaded and compiled in"), a.out);
        assertTrue(b.out.contains("(loaded plan in"), b.out);
        float[] want = Tensor.from(TensorProtos.read(dir.resolve("a/output_0.pb"))).floats();
        float[] got = Tensor.from(TensorProtos.read(dir.resolve("b/output_0.pb"))).floats();
        assertArrayEquals(want, got);
    }

    @Test
    void aPlanIsKnownByItsContentNotItsName() throws Exception {
        Path plan = compiled(TestModels.addRelu(dir));
        Path disguised = dir.resolve("looks-like.onnx");
        Files.copy(plan, disguised);
        CliRunner r = CliRunner.run("run", disguised.toString(), "--threads", "1");
        assertEquals(Main.OK, r.code, r::toString);
        assertTrue(r.out.contains("loaded plan"), r.out);
    }

    @Test
    void compileRecordsBatchThreadsAndPassesAndDefaultsTheName() throws Exception {
        Path model = TestModels.convBnRelu(dir);
        CliRunner r = CliRunner.run("convert", model.toString(), "--batch", "2", "--threads",
                "3", "--disable-pass", "fuse-epilogue");
        assertEquals(Main.OK, r.code, r::toString);
        Path plan = dir.resolve("conv_bn_relu.lanes");
        assertTrue(Files.isRegularFile(plan), r.out);
        SavedPlan saved = Lanes.readPlan(plan);
        assertEquals(2, saved.info().batch());
        assertEquals(3, saved.info().threads());
        assertEquals(List.of("fuse-epilogue"), saved.info().disabledPasses());
        assertArrayEquals(new int[] {2, 2, 5, 5}, saved.plan().inputs().get(0).dims());
        CliRunner run = CliRunner.run("run", plan.toString());
        assertEquals(Main.OK, run.code, run::toString);
        assertTrue(run.out.contains("3 threads"), run.out);
        assertTrue(run.out.contains("input  x: FLOAT[2,2,5,5]"), run.out);
        assertTrue(saved.plan().steps().stream().anyMatch(s -> s.opType().equals("Relu")),
                "fuse-epilogue was off: " + saved.plan().steps());
    }

    @Test
    void checkRunsAPlanBesideTheDataOrGivenByModel() throws Exception {
        Path folder = TestModels.testFolder(dir, "t", new float[] {1, 0, 3, 2, 0, 0});
        Path plan = compiled(folder.resolve("model.onnx"));
        CliRunner given = CliRunner.run("check", folder.toString(), "--model", plan.toString());
        assertEquals(Main.OK, given.code, given::toString);
        assertTrue(given.out.contains("  model " + plan), given.out);
        assertTrue(given.out.contains("1 passed, 0 failed"), given.out);
        Files.move(plan, folder.resolve("model.lanes"));
        Files.delete(folder.resolve("model.onnx"));
        CliRunner beside = CliRunner.run("check", folder.toString());
        assertEquals(Main.OK, beside.code, beside::toString);
        assertTrue(beside.out.contains("model.lanes"), beside.out);
        assertTrue(beside.out.contains("PASS " + folder), beside.out);
    }

    @Test
    void benchOfAPlanReportsItsLoadTime() {
        Path plan = compiled(TestModels.addRelu(dir));
        CliRunner r = CliRunner.run("bench", plan.toString(), "--seconds", "0.1", "--warmup",
                "0", "--threads", "1", "--json");
        assertEquals(Main.OK, r.code, r::toString);
        Map<?, ?> json = assertInstanceOf(Map.class, BenchJsonReader.parse(r.out));
        assertEquals(Boolean.TRUE, json.get("plan"));
        Map<?, ?> lanes = assertInstanceOf(Map.class, json.get("lanes"));
        assertInstanceOf(Double.class, lanes.get("load_ms"));
        CliRunner text = CliRunner.run("bench", plan.toString(), "--seconds", "0.1", "--warmup",
                "0", "--threads", "1");
        assertTrue(text.out.contains("(plan, batch 1"), text.out);
    }

    @Test
    void misuseIsAUsageError() {
        Path model = TestModels.addRelu(dir);
        Path plan = compiled(model);
        CliRunner again = CliRunner.run("compile", plan.toString(), "-o",
                dir.resolve("x.lanes").toString());
        assertEquals(Main.USAGE, again.code, again::toString);
        assertTrue(again.err.contains("is a compiled plan already"), again.err);
        CliRunner compare = CliRunner.run("bench", plan.toString(), "--compare", "unfused");
        assertEquals(Main.USAGE, compare.code, compare::toString);
        assertTrue(compare.err.contains("--compare needs the ONNX model"), compare.err);
        CliRunner pass = CliRunner.run("bench", plan.toString(), "--disable-pass",
                "fuse-epilogue", "--seconds", "0");
        assertEquals(Main.USAGE, pass.code, pass::toString);
        assertTrue(pass.err.contains("--disable-pass applies to ONNX models"), pass.err);
        CliRunner inspect = CliRunner.run("inspect", plan.toString());
        assertEquals(Main.USAGE, inspect.code, inspect::toString);
        assertTrue(inspect.err.contains("is a compiled plan; inspect reads the ONNX model"),
                inspect.err);
        CliRunner noPass = CliRunner.run("compile", model.toString(), "--disable-pass", "nope");
        assertEquals(Main.USAGE, noPass.code, noPass::toString);
        CliRunner over = CliRunner.run("compile", model.toString(), "-o", model.toString());
        assertEquals(Main.USAGE, over.code, over::toString);
    }

    @Test
    void aDamagedPlanFailsNamingTheFile() throws Exception {
        Path plan = compiled(TestModels.convBnRelu(dir));
        byte[] bytes = Files.readAllBytes(plan);
        Path cut = dir.resolve("cut.lanes");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        CliRunner r = CliRunner.run("run", cut.toString());
        assertEquals(Main.FAILED, r.code, r::toString);
        assertTrue(r.err.contains("lanes run: " + cut + ": truncated or damaged plan file"),
                r.err);
    }

    @Test
    void resnet18PlanPassesItsDataSets() {
        Path model = TestModels.shared("resnet18");
        Path plan = compiled(model);
        CliRunner r = CliRunner.run("check", model.getParent().toString(), "--model",
                plan.toString(), "--threads", "2");
        assertEquals(Main.OK, r.code, r::toString);
        assertTrue(r.out.contains("1 passed, 0 failed"), r.out);
    }

    private static float[] values(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) Math.sin(i * 0.37);
        }
        return v;
    }
}
