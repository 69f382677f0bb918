package dev.lanes.compiler.inspect;

import dev.lanes.compiler.inspect.PlanGraph.Step;
import dev.lanes.compiler.ir.Graph;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.Value;
import dev.lanes.compiler.ops.FusedOps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link PlanGraph} as Graphviz DOT: one digraph holding two clusters, the graph as
 * imported (before fusion) and the compiled graph (after fusion), side by side so the effect of
 * the passes can be seen at once. Nodes are labelled with their op and name, and after fusion
 * with the fused epilogue and convolution algorithm; edges carry the shape of the value they
 * pass (batch 1). Graph inputs and outputs are ellipses; constants such as weights are left
 * out, as they would bury the data flow.
 *
 * <p>Node ids are {@code before_nI} and {@code after_nI} for the I-th node of each graph,
 * {@code before_inK}/{@code before_outK} (and {@code after_...}) for the K-th graph input and
 * output; names only ever appear in quoted labels, escaped, so any name is safe.
 */
public final class DotWriter {
    private static final String BEFORE = "before";
    private static final String AFTER = "after";

    private DotWriter() {
    }

    /** The DOT text of the graph. */
    public static String toDot(PlanGraph g) {
        StringBuilder b = new StringBuilder();
        try {
            write(g, b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toString();
    }

    /** Writes the DOT text of the graph to {@code out}. */
    public static void write(PlanGraph g, Appendable out) throws IOException {
        out.append("digraph ").append(quote(g.compiled().name().isEmpty() ? "model"
                : g.compiled().name())).append(" {\n");
        out.append("  rankdir=TB;\n");
        out.append("  fontname=\"Helvetica\";\n");
        out.append("  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n");
        out.append("  edge [fontname=\"Helvetica\", fontsize=8];\n");
        cluster(out, BEFORE, "before fusion: as imported, " + g.imported().nodes().size()
                + " nodes", g.imported(), null);
        cluster(out, AFTER, "after fusion: compiled, " + g.compiled().nodes().size()
                + " steps", g.compiled(), g.steps());
        out.append("}\n");
    }

    /** One graph as a cluster; {@code steps} labels its nodes (after fusion), or null. */
    private static void cluster(Appendable out, String prefix, String title, Graph g,
            List<Step> steps) throws IOException {
        out.append("  subgraph ").append(quote("cluster_" + prefix)).append(" {\n");
        out.append("    label=").append(quote(title)).append(";\n");
        Map<Value, String> source = new IdentityHashMap<>();
        for (int k = 0; k < g.inputs().size(); k++) {
            String id = prefix + "_in" + k;
            source.put(g.inputs().get(k), id);
            out.append("    ").append(id).append(" [shape=ellipse, label=")
                    .append(quote(List.of("input", g.inputs().get(k).name()))).append("];\n");
        }
        List<Node> nodes = g.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            for (Value v : nodes.get(i).outputs()) {
                source.put(v, prefix + "_n" + i);
            }
        }
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            String id = prefix + "_n" + i;
            out.append("    ").append(id).append(" [label=")
                    .append(quote(label(n, steps == null ? null : steps.get(i))));
            if (n.domain().equals(FusedOps.DOMAIN)) {
                // Lanes' own ops are what the passes made: shade them to find them at a glance.
                out.append(", style=filled, fillcolor=\"#dbe8f6\"");
            }
            out.append("];\n");
            for (Value v : n.inputs()) {
                if (v != null && !v.isConstant() && source.containsKey(v)) {
                    edge(out, source.get(v), id, v);
                }
            }
        }
        for (int k = 0; k < g.outputs().size(); k++) {
            Value v = g.outputs().get(k);
            String id = prefix + "_out" + k;
            out.append("    ").append(id).append(" [shape=ellipse, label=")
                    .append(quote(List.of("output", v.name()))).append("];\n");
            if (source.containsKey(v)) {
                edge(out, source.get(v), id, v);
            }
        }
        out.append("  }\n");
    }

    private static void edge(Appendable out, String from, String to, Value v)
            throws IOException {
        out.append("    ").append(from).append(" -> ").append(to).append(" [label=")
                .append(quote(ShapeText.of(v.type()))).append("];\n");
    }

    /** Op and name; after fusion also the epilogue and algorithm, each on its own line. */
    private static List<String> label(Node n, Step step) {
        List<String> lines = new ArrayList<>();
        lines.add(n.opType());
        lines.add(n.name());
        if (step != null) {
            if (!step.epilogue().isEmpty()) {
                lines.add(step.epilogue());
            }
            if (!step.algorithm().isEmpty()) {
                lines.add(step.algorithm());
            }
        }
        return lines;
    }

    /** Lines as one quoted DOT string, joined by DOT's centred line break. */
    private static String quote(List<String> lines) {
        return quote(String.join("\n", lines));
    }

    /**
     * {@code s} as a DOT quoted string. A quote and a backslash are escaped (Graphviz reads
     * {@code \\} in a label as one backslash, where a lone one would start an escape such as
     * {@code \N}); a line break becomes {@code \n} and other control characters a space, so
     * the text stays on one line of the file.
     */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> b.append(Character.isISOControl(c) ? ' ' : c);
            }
        }
        return b.append('"').toString();
    }
}
