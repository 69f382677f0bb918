package dev.lanes.cli;

import dev.lanes.compiler.inspect.PlanGraph;
import dev.lanes.compiler.inspect.PlanGraph.Output;
import dev.lanes.compiler.inspect.PlanGraph.Step;
import dev.lanes.compiler.inspect.ShapeText;
import dev.lanes.compiler.ir.Dim;
import dev.lanes.compiler.ir.TensorType;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** {@code lanes inspect --graph}: the steps of a {@link PlanGraph} as a table or as JSON. */
final class StepListing {
    private static final String NONE = "-";

    private StepListing() {
    }

    /** One line per step under a header, columns as wide as their widest cell. */
    static void print(PlanGraph g, PrintStream out) {
        out.println("steps:      " + g.steps().size()
                + " (in execution order; shapes with free dimensions such as the batch set to 1)");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"#", "op", "node", "epilogue", "algorithm", "inputs -> outputs",
            "slot", "arena"});
        for (Step s : g.steps()) {
            rows.add(new String[] {Integer.toString(s.index()), s.op(), s.name(),
                orNone(s.epilogue()), orNone(s.algorithm()),
                shapes(s.inputs()) + " -> " + shapes(s.outputs().stream().map(Output::type)
                        .toList()),
                join(s.outputs(), o -> Integer.toString(o.slot())),
                join(s.outputs(), o -> o.hasArenaOffset() ? Long.toString(o.arenaOffset())
                        : NONE)});
        }
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder("  ");
            for (int c = 0; c < r.length; c++) {
                // The index reads best right-aligned; the last column needs no padding.
                String cell = c == 0 ? " ".repeat(width[c] - r[c].length()) + r[c]
                        : c == r.length - 1 ? r[c] : pad(r[c], width[c]);
                b.append(c == 0 ? "" : "  ").append(cell);
            }
            out.println(b);
        }
        if (g.shapeProblem() != null) {
            out.println("shape inference at batch 1 stopped: " + g.shapeProblem());
        }
    }

    /** The steps as JSON objects; an absent epilogue or algorithm is null. */
    static List<Map<String, Object>> json(PlanGraph g) {
        List<Map<String, Object>> steps = new ArrayList<>();
        for (Step s : g.steps()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("index", s.index());
            o.put("op", s.op());
            o.put("name", s.name());
            o.put("epilogue", s.epilogue().isEmpty() ? null : s.epilogue());
            o.put("algorithm", s.algorithm().isEmpty() ? null : s.algorithm());
            o.put("inputs", s.inputs().stream().map(StepListing::dims).toList());
            o.put("outputs", s.outputs().stream().map(out -> dims(out.type())).toList());
            o.put("slots", s.outputs().stream().map(Output::slot).toList());
            List<Object> arena = new ArrayList<>();
            for (Output out : s.outputs()) {
                arena.add(out.hasArenaOffset() ? (Object) out.arenaOffset() : null);
            }
            o.put("arena", arena);
            steps.add(o);
        }
        return steps;
    }

    /** A shape as a JSON array: sizes as numbers, symbols and "?" as strings; null if unranked. */
    private static List<Object> dims(TensorType t) {
        if (!t.hasRank()) {
            return null;
        }
        List<Object> dims = new ArrayList<>();
        for (Dim d : t.dims()) {
            dims.add(d.isKnown() ? (Object) d.value() : d.toString());
        }
        return dims;
    }

    private static String shapes(List<TensorType> types) {
        return types.isEmpty() ? "(none)"
                : String.join(" ", types.stream().map(ShapeText::of).toList());
    }

    private static <T> String join(List<T> items, Function<T, String> text) {
        return String.join(",", items.stream().map(text).toList());
    }

    private static String orNone(String s) {
        return s.isEmpty() ? NONE : s;
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }
}
