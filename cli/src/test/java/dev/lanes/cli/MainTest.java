package dev.lanes.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.formats.TensorData;
import dev.lanes.formats.TensorProtos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path dir;

    @Test
    void printsVersionAndHelp() {
        CliRunner v = CliRunner.run("--version");
        assertEquals(0, v.code, v.toString());
        assertTrue(v.out.matches("lanes \\S+\\R"), v.out);
        CliRunner h = CliRunner.run("help");
        assertEquals(0, h.code);
        for (String c : new String[] {"run", "check", "inspect", "compile", "convert", "demo",
                "ops"}) {
            assertTrue(h.out.contains("  " + c + " "), h.out);
            CliRunner ch = CliRunner.run(c, "--help");
            assertEquals(0, ch.code, ch.toString());
            assertTrue(ch.out.startsWith("usage: lanes " + c), ch.out);
            assertEquals(ch.out, CliRunner.run("help", c).out);
        }
    }

    @Test
    void listsTheRegisteredOperators() {
        CliRunner r = CliRunner.run("ops");
        assertEquals(0, r.code, r.toString());
        assertTrue(r.out.matches("(?sm).*^Relu +opset \\d+-\\d+$.*"), r.out);
        assertTrue(r.out.contains("Add "), r.out);
        CliRunner md = CliRunner.run("ops", "--markdown");
        assertTrue(md.out.contains("`Add`, "), md.out);
    }

    @Test
    void usageErrorsExitWithTwo() {
        CliRunner none = CliRunner.run();
        assertEquals(2, none.code);
        assertTrue(none.err.contains("usage: lanes COMMAND"), none.err);
        CliRunner unknown = CliRunner.run("frobnicate");
        assertEquals(2, unknown.code);
        assertTrue(unknown.err.contains("unknown command 'frobnicate'"), unknown.err);
        CliRunner badOption = CliRunner.run("run", "m.onnx", "--fast");
        assertEquals(2, badOption.code);
        assertTrue(badOption.err.contains("unknown option --fast"), badOption.err);
        assertTrue(badOption.err.contains("lanes run --help"), badOption.err);
        CliRunner noModel = CliRunner.run("inspect");
        assertEquals(2, noModel.code);
        assertTrue(noModel.err.contains("missing MODEL.onnx"), noModel.err);
        CliRunner badThreads = CliRunner.run("run", "m.onnx", "--threads", "zero");
        assertEquals(2, badThreads.code);
        assertTrue(badThreads.err.contains("--threads needs a whole number"), badThreads.err);
        CliRunner missingValue = CliRunner.run("check", "d", "--atol");
        assertEquals(2, missingValue.code);
        assertTrue(missingValue.err.contains("--atol needs a value"), missingValue.err);
    }

    @Test
    void modelErrorsExitWithOneAndAMessage() throws IOException {
        CliRunner missing = CliRunner.run("run", dir.resolve("nope.onnx").toString());
        assertEquals(1, missing.code, missing.toString());
        assertTrue(missing.err.contains("no such file"), missing.err);
        Path garbage = Files.write(dir.resolve("garbage.onnx"), new byte[] {1, 2, 3, 4});
        CliRunner bad = CliRunner.run("inspect", garbage.toString());
        assertEquals(1, bad.code, bad.toString());
        assertTrue(bad.err.startsWith("lanes inspect: "), bad.err);
        assertFalse(bad.err.contains("Exception"), bad.err);
    }

    @Test
    void runBindsInputsInOrderAndByNameAndSavesOutputs() {
        Path model = TestModels.addRelu(dir);
        Path x = TestModels.tensor(dir.resolve("x.pb"), "", new float[] {0, 0, 0, 1, 1, -5}, 2, 3);
        Path a = TestModels.tensor(dir.resolve("a.pb"), "", new float[] {10, 20, 30}, 1, 3);
        Path save = dir.resolve("out");
        CliRunner r = CliRunner.run("run", model.toString(), "--input", "a=" + a,
                "--input", x.toString(), "--save", save.toString(), "--threads", "1");
        assertEquals(0, r.code, r.toString());
        assertTrue(r.out.contains("output y: FLOAT[2,3] [1, 0, 3, 2, 0, 0]"), r.out);
        assertTrue(r.out.contains("output z: FLOAT[2,3] [10, 20, 30, 11, 21, 25]"), r.out);
        assertTrue(r.out.contains("run: "), r.out);
        TensorData y = TensorProtos.read(save.resolve("output_0.pb"));
        assertEquals("y", y.name());
        assertArrayEquals(new float[] {1, 0, 3, 2, 0, 0}, y.floats());
        TensorData z = TensorProtos.read(save.resolve("output_1.pb"));
        assertEquals("z", z.name());
        assertArrayEquals(new long[] {2, 3}, z.dims());
    }

    @Test
    void runMakesSeededRandomInputsWhenNoneAreGiven() {
        Path model = TestModels.addRelu(dir);
        CliRunner first = CliRunner.run("run", model.toString());
        assertEquals(0, first.code, first.toString());
        assertTrue(first.out.contains("random inputs"), first.out);
        assertTrue(first.out.contains("input  x: FLOAT[1,3]"), first.out);
        assertTrue(first.out.contains("output y: FLOAT[1,3]"), first.out);
        CliRunner second = CliRunner.run("run", model.toString());
        assertEquals(values(first.out), values(second.out));
    }

    private static String values(String out) {
        return out.lines().filter(l -> l.startsWith("output ")).toList().toString();
    }

    @Test
    void runRejectsUnknownInputNamesAndTooManyInputs() {
        Path model = TestModels.addRelu(dir);
        Path x = TestModels.tensor(dir.resolve("x.pb"), "", new float[3], 1, 3);
        CliRunner unknown = CliRunner.run("run", model.toString(), "--input", "q=" + x);
        assertEquals(2, unknown.code, unknown.toString());
        assertTrue(unknown.err.contains("no input 'q'; its inputs are x, a"), unknown.err);
        CliRunner many = CliRunner.run("run", model.toString(), "--input", x.toString(),
                "--input", x.toString(), "--input", x.toString());
        assertEquals(2, many.code, many.toString());
        assertTrue(many.err.contains("takes 2 inputs"), many.err);
        CliRunner shape = CliRunner.run("run", model.toString(), "--input", x.toString());
        assertEquals(1, shape.code, shape.toString());
        assertTrue(shape.err.contains("missing input 'a'"), shape.err);
    }

    @Test
    void checkReportsPassAndFailPerOutputAndFolder() throws IOException {
        Path good = TestModels.testFolder(dir, "good", new float[] {1, 0, 3, 2, 0, 0});
        Path off = TestModels.testFolder(dir, "off", new float[] {1, 0, 3, 2, 0, 0.5f});
        Path empty = Files.createDirectories(dir.resolve("empty"));
        CliRunner r = CliRunner.run("check", good.toString(), off.toString(), empty.toString());
        assertEquals(1, r.code, r.toString());
        assertTrue(r.out.contains("test_data_set_0 output 0 'y': max abs 0, max rel 0  PASS"),
                r.out);
        assertTrue(r.out.contains("PASS " + good), r.out);
        assertTrue(r.out.contains("max abs 0.5, max rel 1, 1 values out of tolerance  FAIL"),
                r.out);
        assertTrue(r.out.contains("FAIL " + off), r.out);
        assertTrue(r.out.contains("error: no model.onnx in " + empty), r.out);
        assertTrue(r.out.strip().endsWith("1 passed, 2 failed"), r.out);

        CliRunner loose = CliRunner.run("check", off.toString(), "--atol", "0.6");
        assertEquals(0, loose.code, loose.toString());
        assertTrue(loose.out.strip().endsWith("1 passed, 0 failed"), loose.out);
    }

    @Test
    void inspectPrintsTextAndJson() {
        Path model = TestModels.addRelu(dir);
        CliRunner text = CliRunner.run("inspect", model.toString());
        assertEquals(0, text.code, text.toString());
        assertTrue(text.out.contains("  x FLOAT[N,3]"), text.out);
        assertTrue(text.out.contains("opsets:     ai.onnx 13"), text.out);
        assertTrue(text.out.matches("(?s).*\\n  Add\\s+2\\n  Relu\\s+1\\n.*"), text.out);
        assertTrue(text.out.contains("parameters: 3 "), text.out);
        assertTrue(text.out.contains("MACs:       0 "), text.out);
        assertTrue(text.out.contains("unsupported operators: none"), text.out);

        CliRunner json = CliRunner.run("inspect", model.toString(), "--json");
        assertEquals(0, json.code, json.toString());
        String j = json.out.strip();
        assertTrue(j.startsWith("{") && j.endsWith("}"), j);
        assertTrue(j.contains("\"shape\": [\"N\", 3]"), j);
        assertTrue(j.contains("\"Add\": 2"), j);
        assertTrue(j.contains("\"parameters\": 3"), j);
        assertTrue(j.contains("\"unsupported\": []"), j);
    }
}
