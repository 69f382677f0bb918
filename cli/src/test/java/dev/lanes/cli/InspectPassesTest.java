package dev.lanes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectPassesTest {
    @TempDir
    Path dir;

    @Test
    void printsEveryPassWithNodeCountsAndHonoursDisabledPasses() {
        Path model = TestModels.addRelu(dir);
        CliRunner r = CliRunner.run("inspect", model.toString(), "--passes");
        assertEquals(0, r.code, r.toString());
        assertTrue(r.out.startsWith("(imported)"), r.out);
        for (String pass : dev.lanes.compiler.Compiler.passNames()) {
            assertTrue(r.out.contains(pass + " "), pass + " missing in\n" + r.out);
        }
        CliRunner off = CliRunner.run("inspect", model.toString(), "--passes", "--disable-pass",
                "fold-constants");
        assertEquals(0, off.code, off.toString());
        assertTrue(off.out.contains("fold-constants                   switched off"), off.out);
        CliRunner bad = CliRunner.run("inspect", model.toString(), "--disable-pass", "nope");
        assertEquals(2, bad.code, bad.toString());
        assertTrue(bad.err.contains("no pass named 'nope'"), bad.err);
    }
}
