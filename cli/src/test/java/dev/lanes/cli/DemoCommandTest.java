package dev.lanes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.compiler.ops.OpRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    private static final Set<String> DEMO_OPS = Set.of("Conv", "BatchNormalization", "Relu",
            "MaxPool", "GlobalAveragePool", "Flatten", "Gemm", "Softmax");

    @Test
    void writesTheModelWhereAskedEvenWhenItCannotRun(@TempDir Path dir) {
        Path out = dir.resolve("models/demo.onnx");
        CliRunner r = CliRunner.run("demo", "--out", out.toString(), "--runs", "2",
                "--threads", "1");
        assertTrue(Files.isRegularFile(out), r.toString());
        assertTrue(r.out.contains("conv1    Conv"), r.out);
        assertTrue(r.out.contains("1450 parameters"), r.out);
        if (!OpRegistry.defaults().all().keySet().containsAll(DEMO_OPS)) {
            assertEquals(1, r.code, r.toString());
            assertTrue(r.err.contains("unsupported"), r.err);
        }
    }

    @Test
    void runsEndToEnd(@TempDir Path dir) {
        Assumptions.assumeTrue(OpRegistry.defaults().all().keySet().containsAll(DEMO_OPS),
                "this build lacks some of the demo's operators " + DEMO_OPS);
        CliRunner r = CliRunner.run("demo", "--runs", "3", "--threads", "1");
        assertEquals(0, r.code, r.toString());
        assertTrue(r.out.contains("loaded and compiled in "), r.out);
        assertTrue(r.out.contains("median "), r.out);
        assertTrue(r.out.matches("(?s).*top class: \\d \\(p = 0\\.\\d{4}\\).*"), r.out);
        assertTrue(r.err.isEmpty(), r.err);
    }
}
