package dev.lanes.compiler.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.compiler.CompileOptions;
import dev.lanes.compiler.inspect.DotReader.Cluster;
import dev.lanes.compiler.inspect.DotReader.Digraph;
import dev.lanes.compiler.inspect.DotReader.Edge;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DotWriterTest {
    private static final String SHAPE = "\\[[0-9A-Za-z_?,]*\\]";

    private static PlanGraph block() {
        return PlanGraph.of(InspectModels.residualBlock().build(), null,
                CompileOptions.defaults());
    }

    /** The cluster's op nodes (not its inputs and outputs), by id. */
    private static Map<String, Map<String, String>> opNodes(Cluster c) {
        Map<String, Map<String, String>> ops = new java.util.LinkedHashMap<>();
        c.nodes().forEach((id, attrs) -> {
            if (id.matches("(before|after)_n\\d+")) {
                ops.put(id, attrs);
            }
        });
        return ops;
    }

    /** The first line of each op node's label: its op. */
    private static List<String> ops(Cluster c) {
        return opNodes(c).values().stream().map(a -> a.get("label").split("\n")[0]).toList();
    }

    /** Every edge joins two nodes of its own cluster and is labelled with a shape. */
    private static void assertWellFormed(Cluster c) {
        for (Edge e : c.edges()) {
            assertTrue(c.nodes().containsKey(e.from()), e.toString());
            assertTrue(c.nodes().containsKey(e.to()), e.toString());
            assertTrue(e.attrs().get("label").matches(SHAPE), e.toString());
        }
    }

    @Test
    void quotesEscapeQuotesBackslashesAndLineBreaks() {
        assertEquals("\"a\\\"b\\\\c\\nd e\"", DotWriter.quote("a\"b\\c\nd\te"));
        assertEquals("\"\"", DotWriter.quote(""));
        assertEquals("\"\\\\N\"", DotWriter.quote("\\N"));
    }

    @Test
    void writesBothGraphsWithEscapedNamesAndShapedEdges() {
        PlanGraph g = block();
        String dot = DotWriter.toDot(g);
        Digraph d = DotReader.parse(dot);
        assertEquals("block", d.name());
        assertEquals(2, d.clusters().size(), dot);
        Cluster before = d.clusters().get(0);
        Cluster after = d.clusters().get(1);
        assertEquals("cluster_before", before.name());
        assertEquals("cluster_after", after.name());
        assertTrue(before.attrs().get("label").startsWith("before fusion"), dot);
        assertTrue(after.attrs().get("label").startsWith("after fusion"), dot);
        assertEquals(List.of("Conv", "BatchNormalization", "Relu", "Conv",
                "BatchNormalization", "Add", "Relu"), ops(before));
        assertEquals(List.of("FusedConv", "FusedConv"), ops(after));
        // Two ellipses each side: the input x and the output y.
        assertEquals(opNodes(before).size() + 2, before.nodes().size());
        assertEquals(opNodes(after).size() + 2, after.nodes().size());
        String first = after.nodes().get("after_n0").get("label");
        assertEquals(List.of("FusedConv", InspectModels.QUOTED_CONV, "bias+relu",
                g.steps().get(0).algorithm()), List.of(first.split("\n")));
        assertTrue(after.nodes().get("after_n1").get("label")
                .contains("\nbias+residual add+relu\n"), dot);
        assertTrue(before.nodes().get("before_n0").get("label")
                .contains(InspectModels.QUOTED_CONV), dot);
        assertWellFormed(before);
        assertWellFormed(after);
        // x feeds conv1 and the residual; conv1 feeds conv2; conv2 writes y.
        assertEquals(List.of("after_in0 -> after_n0", "after_n0 -> after_n1",
                "after_in0 -> after_n1", "after_n1 -> after_out0"),
                after.edges().stream().map(e -> e.from() + " -> " + e.to()).toList());
        assertEquals("[1,4,8,8]", after.edges().get(0).attrs().get("label"));
    }

    @Test
    void readerRejectsBrokenText() {
        // The checks above mean something only if the reader fails on what Graphviz rejects.
        assertThrows(IllegalArgumentException.class,
                () -> DotReader.parse("digraph g { a [label=\"x\\\"]; }"));
        assertThrows(IllegalArgumentException.class,
                () -> DotReader.parse("digraph g { subgraph c { a; }"));
        assertThrows(IllegalArgumentException.class,
                () -> DotReader.parse("digraph g { a -> ; }"));
    }

    @Test
    void resnet18LosesItsBatchNormsRelusAndAddsToFusion() {
        PlanGraph g = PlanGraph.of(InspectModels.shared("resnet18"), CompileOptions.defaults());
        Digraph d = DotReader.parse(DotWriter.toDot(g));
        Cluster before = d.clusters().get(0);
        Cluster after = d.clusters().get(1);
        assertEquals(69, opNodes(before).size());
        assertEquals(g.imported().nodes().size(), opNodes(before).size());
        assertEquals(g.plan().steps().size(), opNodes(after).size());
        assertEquals(20, ops(before).stream().filter("BatchNormalization"::equals).count());
        assertEquals(8, ops(before).stream().filter("Add"::equals).count());
        for (String gone : List.of("BatchNormalization", "Relu", "Add")) {
            assertFalse(ops(after).contains(gone), gone + " left in " + ops(after));
        }
        assertWellFormed(before);
        assertWellFormed(after);
        assertTrue(after.edges().stream().anyMatch(e -> e.attrs().get("label")
                .equals("[1,64,56,56]")));
    }

    @Test
    void graphvizAcceptsIt(@TempDir Path dir) throws IOException, InterruptedException {
        Path dot = Path.of("/usr/bin/dot");
        Assumptions.assumeTrue(Files.isExecutable(dot), "Graphviz is not installed");
        Path file = dir.resolve("block.dot");
        Files.writeString(file, DotWriter.toDot(block()), StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(dot.toString(), "-Tsvg", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("<svg"), out);
        assertFalse(out.contains("Warning"), out);
    }
}
