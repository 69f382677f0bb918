package dev.lanes.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.Lanes;
import dev.lanes.compiler.CompileOptions;
import dev.lanes.runtime.Plan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectGraphTest {
    private static final List<String> COLUMNS = List.of("#", "op", "node", "epilogue",
            "algorithm", "inputs -> outputs", "slot", "arena");

    @TempDir
    Path dir;

    /** The table's rows after its header, each split into its columns. */
    private static List<String[]> rows(String out) {
        String[] lines = out.split("\n");
        int header = -1;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].strip().startsWith("#  op")) {
                header = i;
            }
        }
        assertTrue(header >= 0, "no header in\n" + out);
        assertEquals(COLUMNS, List.of(lines[header].strip().split("\\s{2,}")), lines[header]);
        List<String[]> rows = new ArrayList<>();
        for (int i = header + 1; i < lines.length; i++) {
            String[] cells = lines[i].strip().split("\\s{2,}");
            assertEquals(COLUMNS.size(), cells.length, lines[i]);
            rows.add(cells);
        }
        return rows;
    }

    @Test
    void listsTheStepsOfTheResidualBlock() {
        Path model = TestModels.residualBlock(dir);
        CliRunner r = CliRunner.run("inspect", model.toString(), "--graph");
        assertEquals(0, r.code, r.toString());
        assertTrue(r.out.contains("steps:      2 "), r.out);
        List<String[]> rows = rows(r.out);
        assertEquals(2, rows.size(), r.out);
        assertEquals(List.of("0", "FusedConv", TestModels.QUOTED_CONV, "bias+relu"),
                List.of(rows.get(0)).subList(0, 4));
        assertEquals("[1,4,8,8] -> [1,4,8,8]", rows.get(0)[5]);
        assertEquals("bias+residual add+relu", rows.get(1)[3]);
        assertEquals("[1,4,8,8] [1,4,8,8] -> [1,4,8,8]", rows.get(1)[5]);
        for (String[] row : rows) {
            assertNotEquals("-", row[4], String.join(" | ", row));
            assertTrue(row[6].matches("\\d+"), row[6]);
            assertTrue(row[7].matches("\\d+"), "arena offset " + row[7]);
        }
        // The first output is still live when the second is written: two places.
        assertNotEquals(rows.get(0)[7], rows.get(1)[7]);
    }

    @Test
    void disabledPassesChangeTheListing() {
        Path model = TestModels.residualBlock(dir);
        CliRunner r = CliRunner.run("inspect", model.toString(), "--graph", "--disable-pass",
                "fuse-epilogue");
        assertEquals(0, r.code, r.toString());
        assertEquals(List.of("Conv", "Relu", "Conv", "Add", "Relu"),
                rows(r.out).stream().map(row -> row[1]).toList());
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonGainsTheStepsWithGraph() {
        Path model = TestModels.residualBlock(dir);
        CliRunner plain = CliRunner.run("inspect", model.toString(), "--json");
        assertEquals(0, plain.code, plain.toString());
        assertTrue(!((Map<String, Object>) BenchJsonReader.parse(plain.out)).containsKey("steps"),
                plain.out);

        CliRunner r = CliRunner.run("inspect", model.toString(), "--json", "--graph");
        assertEquals(0, r.code, r.toString());
        Map<String, Object> json = (Map<String, Object>) BenchJsonReader.parse(r.out);
        assertEquals(7, ((Number) json.get("nodeCount")).intValue());
        List<Map<String, Object>> steps = (List<Map<String, Object>>) json.get("steps");
        assertEquals(2, steps.size());
        Map<String, Object> first = steps.get(0);
        assertEquals(List.of("index", "op", "name", "epilogue", "algorithm", "inputs",
                "outputs", "slots", "arena"), List.copyOf(first.keySet()));
        assertEquals(0, ((Number) first.get("index")).intValue());
        assertEquals("FusedConv", first.get("op"));
        assertEquals(TestModels.QUOTED_CONV, first.get("name"));
        assertEquals("bias+relu", first.get("epilogue"));
        assertTrue(first.get("algorithm") instanceof String, first.toString());
        List<List<Number>> inputs = (List<List<Number>>) first.get("inputs");
        assertEquals(List.of(1L, 4L, 8L, 8L), inputs.get(0).stream().map(Number::longValue)
                .toList());
        assertEquals(1, ((List<?>) first.get("outputs")).size());
        Object at0 = ((List<?>) first.get("arena")).get(0);
        Object at1 = ((List<?>) steps.get(1).get("arena")).get(0);
        assertTrue(at0 instanceof Number && at1 instanceof Number, first.toString());
        assertNotEquals(((Number) at0).longValue(), ((Number) at1).longValue());
        assertEquals(2, ((List<?>) steps.get(1).get("inputs")).size());
    }

    @Test
    void graphAndPassesAreOneListingEach() {
        Path model = TestModels.residualBlock(dir);
        CliRunner r = CliRunner.run("inspect", model.toString(), "--graph", "--passes");
        assertEquals(2, r.code, r.toString());
        assertTrue(r.err.contains("give one"), r.err);
    }

    @Test
    void dotWritesBothGraphsAndLeavesStdoutAsItWas() throws IOException {
        Path model = TestModels.residualBlock(dir);
        Path file = dir.resolve("block.dot");
        CliRunner plain = CliRunner.run("inspect", model.toString(), "--graph");
        CliRunner r = CliRunner.run("inspect", model.toString(), "--graph", "--dot",
                file.toString());
        assertEquals(0, r.code, r.toString());
        assertEquals(plain.out, r.out);
        assertTrue(r.err.contains("wrote " + file + " (before fusion 7 nodes, after fusion 2"
                + " steps)"), r.err);
        String dot = Files.readString(file);
        assertTrue(dot.startsWith("digraph \"block\" {"), dot);
        assertTrue(dot.strip().endsWith("}"), dot);
        assertTrue(dot.contains("subgraph \"cluster_before\" {"), dot);
        assertTrue(dot.contains("subgraph \"cluster_after\" {"), dot);
        assertTrue(dot.contains("[label=\"FusedConv\\nconv \\\"1\\\" \\\\ a\\nbias+relu"),
                dot);
        assertTrue(dot.contains("\\nbias+residual add+relu\\n"), dot);
        assertTrue(dot.contains("[label=\"[1,4,8,8]\"]"), dot);
    }

    @Test
    void dotToAFolderThatDoesNotExistFails() {
        Path model = TestModels.residualBlock(dir);
        Path file = dir.resolve("missing").resolve("g.dot");
        CliRunner r = CliRunner.run("inspect", model.toString(), "--dot", file.toString());
        assertEquals(1, r.code, r.toString());
        assertTrue(r.err.contains("cannot write " + file), r.err);
        assertEquals("", r.out);
    }

    @Test
    void resnet18ListsEveryPlanStepWithAnAlgorithmPerConv() {
        Path model = TestModels.shared("resnet18");
        CliRunner r = CliRunner.run("inspect", model.toString(), "--graph");
        assertEquals(0, r.code, r.toString());
        List<String[]> rows = rows(r.out);
        Plan plan = Lanes.compile(model, CompileOptions.defaults());
        assertEquals(plan.steps().size(), rows.size(), r.out);
        int fused = 0;
        for (int i = 0; i < rows.size(); i++) {
            String[] row = rows.get(i);
            assertEquals(Integer.toString(i), row[0]);
            assertEquals(plan.steps().get(i).opType(), row[1]);
            assertEquals(plan.steps().get(i).name(), row[2]);
            if (row[1].equals("FusedConv")) {
                fused++;
                assertTrue(row[4].matches("[A-Z0-9_]+"), String.join(" | ", row));
            }
        }
        assertEquals(17, fused, r.out);
        assertTrue(r.out.contains("[1,3,224,224] -> [1,64,112,112]"), r.out);
        assertTrue(r.out.contains("-> [1,1000]"), r.out);

        Path file = dir.resolve("resnet18.dot");
        CliRunner dot = CliRunner.run("inspect", model.toString(), "--json", "--dot",
                file.toString());
        assertEquals(0, dot.code, dot.toString());
        assertTrue(dot.err.contains("(before fusion 69 nodes, after fusion " + rows.size()
                + " steps)"), dot.err);
        assertTrue(Files.isRegularFile(file));
        BenchJsonReader.parse(dot.out);
    }

    @Test
    void memoryIsMeasuredOnGivenInputsOrFreeDimensions() throws IOException {
        Path model = TestModels.residualBlock(dir);
        CliRunner plain = CliRunner.run("inspect", model.toString(), "--json");
        assertEquals(0, plain.code, plain.toString());
        Map<?, ?> one = (Map<?, ?>) BenchJsonReader.parse(plain.out);
        // The batch axis N at 3: more intermediates than at batch 1 (the tensors triple,
        // scratch arrays need not).
        CliRunner three = CliRunner.run("inspect", model.toString(), "--json", "--dim", "N=3");
        assertEquals(0, three.code, three.toString());
        Map<?, ?> big = (Map<?, ?>) BenchJsonReader.parse(three.out);
        assertTrue(((Number) big.get("intermediates_bytes")).longValue()
                > ((Number) one.get("intermediates_bytes")).longValue(), three.out);
        // The same with an input file of batch 3.
        Path x = TestModels.tensor(dir.resolve("x.pb"), "x", new float[3 * 4 * 8 * 8], 3, 4, 8,
                8);
        CliRunner file = CliRunner.run("inspect", model.toString(), "--json", "--input",
                x.toString());
        assertEquals(0, file.code, file.toString());
        assertEquals(big.get("intermediates_bytes"),
                ((Map<?, ?>) BenchJsonReader.parse(file.out)).get("intermediates_bytes"));
        CliRunner bad = CliRunner.run("inspect", model.toString(), "--json", "--dim", "N=0");
        assertEquals(2, bad.code, bad.toString());
        assertTrue(bad.err.contains("--dim takes NAME=SIZE"), bad.err);
    }
}
