package dev.lanes.cli;

import dev.lanes.Lanes;
import dev.lanes.compiler.CompileOptions;
import dev.lanes.compiler.Compiler;
import dev.lanes.compiler.inspect.DotWriter;
import dev.lanes.compiler.inspect.ModelSummary;
import dev.lanes.compiler.inspect.PlanGraph;
import dev.lanes.compiler.ir.Graph;
import dev.lanes.compiler.ir.Node;
import dev.lanes.errors.LanesException;
import dev.lanes.formats.ModelReader;
import dev.lanes.runtime.Plan;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.SessionOptions;
import dev.lanes.compiler.inspect.ModelSummary.NodeMacs;
import dev.lanes.compiler.inspect.ModelSummary.ValueSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code lanes inspect}: what a model is, in numbers. */
final class InspectCommand implements Command {
    static final int DEFAULT_TOP = 10;

    @Override
    public String name() {
        return "inspect";
    }

    @Override
    public String summary() {
        return "print a model's inputs, outputs, operators, parameters and MACs";
    }

    @Override
    public String help() {
        return """
                usage: lanes inspect MODEL.onnx [--json] [--top N] [--passes] [--graph]
                                     [--dot FILE] [--disable-pass NAME]...
                                     [--input FILE.pb | --input NAME=FILE.pb]...
                                     [--dim NAME=SIZE]...

                Prints the model's inputs and outputs (with symbolic dimensions), imported opsets,
                operator histogram, parameter count (elements of floating-point initializers) and
                multiply-accumulates of Conv, ConvTranspose, Gemm and MatMul nodes, in total and
                for the N largest nodes, with the algorithm Lanes picks for each convolution. MACs
                use the shapes Lanes infers with every free input dimension (such as the batch)
                set to 1. Operators Lanes cannot run are listed.

                  --json    print the same as one JSON object
                  --top N   how many of the largest nodes to list (default 10)
                  --passes  print the compiler's passes in their order, with the node count
                            and operator histogram after each
                  --graph   print the compiled plan's steps in execution order instead: index,
                            op, node, fused epilogue (bias, residual add, activation), the
                            convolution algorithm, input and output shapes (free dimensions
                            set to 1), output slot and the byte offset of its buffer in the
                            arena of a run ("-": not in the arena);
                            with --json, the summary gains them as "steps"
                  --dot FILE
                            also write the graph before fusion (as imported) and after
                            (as compiled) as Graphviz, two clusters of one digraph: nodes
                            show op and name (and epilogue and algorithm after fusion), edges
                            the shapes; render with 'dot -Tsvg FILE -o graph.svg'. What is
                            printed does not change; the file's name goes to stderr
                  --disable-pass NAME
                            switch a pass off (repeatable), for bisecting a wrong result
                  --input FILE.pb
                            with --json: measure the memory of a run on these inputs
                            (TensorProto files, in graph order or NAME=FILE.pb) instead of
                            seeded ones with free dimensions 1, for models whose free
                            dimensions cannot be 1 (free height and width)
                  --dim NAME=SIZE
                            with --json: the size of the free dimension NAME in the seeded
                            inputs the memory is measured on (repeatable)

                With --json the object also holds the memory of one run as the session plans
                it: arena_bytes (its buffers), intermediates_bytes (every intermediate added
                up), arena_lower_bound_bytes (the most bytes live at one step: no plan needs
                less) and arena_unplanned_bytes (what kernels allocated outside the plan).
                """;
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("--top", "--disable-pass", "--dot", "--input", "--dim");
    }

    @Override
    public Set<String> flags() {
        return Set.of("--json", "--passes", "--graph");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws UsageException {
        args.expectPositional(1, 1, "MODEL.onnx");
        int top = args.intValue("--top", DEFAULT_TOP, 0);
        Path model = Path.of(args.positional().get(0));
        if (Lanes.isPlan(model)) {
            // The passes, MAC counts and graphs need the model's graph, which a plan no longer has.
            throw new UsageException(model + " is a compiled plan; inspect reads the ONNX model"
                    + " it came from ('lanes run', 'check' and 'bench' take plans)");
        }
        CompileOptions options = compileOptions(args);
        boolean graph = args.has("--graph");
        if (args.has("--passes") && graph) {
            throw new UsageException("--passes and --graph print different listings; give one");
        }
        String dotFile = args.value("--dot", null);
        // Compiled once for both the drawing and the listing; null until one needs it.
        PlanGraph planGraph = null;
        if (dotFile != null) {
            planGraph = PlanGraph.of(model, options);
            writeDot(planGraph, Path.of(dotFile), err);
        }
        if (args.has("--passes")) {
            printPasses(model, options, out);
            return Main.OK;
        }
        if (graph && !args.has("--json")) {
            out.println("model:      " + model);
            PlanGraph g = planGraph != null ? planGraph : PlanGraph.of(model, options);
            StepListing.print(placed(g, measure(g.plan(), args.all("--input"),
                    dims(args.all("--dim")))), out);
            return Main.OK;
        }
        ModelSummary s = ModelSummary.of(model);
        List<String> inputs = args.all("--input");
        Map<String, Integer> dims = dims(args.all("--dim"));
        if (args.has("--json")) {
            Map<String, Object> json = toJson(model, s, top);
            if (graph && planGraph != null) {
                json.putAll(compiledSteps(planGraph, inputs, dims));
            } else if (graph) {
                json.putAll(compiledSteps(model, options, inputs, dims));
            } else {
                json.putAll(compiled(model, options, inputs, dims));
            }
            out.println(Json.write(json));
        } else {
            printText(model, s, top, out);
        }
        return Main.OK;
    }

    /**
     * The steps with the arena offsets of a run on the given inputs (see compiled()); as they
     * were when the run fails, which the memory figures report.
     */
    private static PlanGraph placed(PlanGraph g, Measured m) {
        return m.profile() == null ? g : g.withArenaOffsets(m.profile().slotOffsets());
    }

    /**
     * The memory of one run of a plan, or why the run failed.
     *
     * @param profile the run's memory, or null
     * @param problem why there is none, or null
     */
    private record Measured(Session.MemoryProfile profile, LanesException problem) {
    }

    /**
     * Runs {@code plan} once for its memory, on the {@code --input} files when given, else on
     * seeded random inputs with free dimensions {@code dims} (others 1).
     */
    private static Measured measure(Plan plan, List<String> inputs, Map<String, Integer> dims)
            throws UsageException {
        try (Session session = new Session(plan, new SessionOptions(1))) {
            return new Measured(session.memoryProfile(inputs.isEmpty()
                    ? BenchCommand.randomInputs(session.inputs(), 1, dims)
                    : RunCommand.readInputs(inputs, session.inputs())), null);
        } catch (LanesException e) {
            return new Measured(null, e);
        }
    }

    /** The sizes of {@code --dim NAME=SIZE} options. */
    static Map<String, Integer> dims(List<String> specs) throws UsageException {
        Map<String, Integer> dims = new LinkedHashMap<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            int size = -1;
            try {
                size = eq > 0 ? Integer.parseInt(spec.substring(eq + 1)) : -1;
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 1) {
                throw new UsageException("--dim takes NAME=SIZE with SIZE 1 or more, not '"
                        + spec + "'");
            }
            dims.put(spec.substring(0, eq), size);
        }
        return dims;
    }

    /** The default compile options with every {@code --disable-pass NAME} switched off. */
    static CompileOptions compileOptions(Args args) throws UsageException {
        CompileOptions options = CompileOptions.defaults();
        for (String pass : args.all("--disable-pass")) {
            if (!Compiler.passNames().contains(pass)) {
                throw new UsageException("no pass named '" + pass + "'; passes are "
                        + Compiler.passNames());
            }
            options = options.disable(pass);
        }
        return options;
    }

    /** {@link #compiled} and the plan's steps, from one compilation; steps are null if none. */
    static Map<String, Object> compiledSteps(Path model, CompileOptions options,
            List<String> inputs, Map<String, Integer> dims) throws UsageException {
        PlanGraph g;
        try {
            g = PlanGraph.of(model, options);
        } catch (LanesException e) {
            Map<String, Object> o = notCompiled(e);
            o.put("steps", null);
            return o;
        }
        return compiledSteps(g, inputs, dims);
    }

    private static Map<String, Object> compiledSteps(PlanGraph g, List<String> inputs,
            Map<String, Integer> dims) throws UsageException {
        // One run gives both the memory figures and the offsets of the steps.
        Measured m = measure(g.plan(), inputs, dims);
        Map<String, Object> o = compiled(g.plan(), m);
        o.put("steps", StepListing.json(placed(g, m)));
        o.put("steps_shape_problem", g.shapeProblem());
        return o;
    }

    /** Writes the Graphviz file and says so on {@code err}, keeping stdout what was asked. */
    private static void writeDot(PlanGraph g, Path file, PrintStream err) {
        try {
            Files.writeString(file, DotWriter.toDot(g), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot write " + file + ": " + e,
                    e));
        }
        err.println("lanes inspect: wrote " + file + " (before fusion " + g.imported().nodes()
                .size() + " nodes, after fusion " + g.steps().size() + " steps)");
    }

    /**
     * What compilation made of the model: the histogram of compiled steps (fused epilogues are
     * part of their step), and the intermediate memory of one run at batch 1 on a seeded input.
     * Values are null when the model does not compile or run.
     */
    static Map<String, Object> compiled(Path model, CompileOptions options, List<String> inputs,
            Map<String, Integer> dims) throws UsageException {
        try {
            Plan plan = Lanes.compile(model, options);
            return compiled(plan, measure(plan, inputs, dims));
        } catch (LanesException e) {
            return notCompiled(e);
        }
    }

    /** The compiled steps' histogram and the memory of one run ({@link #measure}). */
    private static Map<String, Object> compiled(Plan plan, Measured m) {
        Map<String, Object> o = new LinkedHashMap<>();
        Map<String, Integer> steps = new java.util.TreeMap<>();
        for (Plan.Step st : plan.steps()) {
            steps.merge(st.opType(), 1, Integer::sum);
        }
        o.put("steps_after", steps);
        if (m.profile() != null) {
            o.put("arena_bytes", m.profile().arenaBytes());
            o.put("intermediates_bytes", m.profile().intermediatesBytes());
            o.put("arena_lower_bound_bytes", m.profile().lowerBoundBytes());
            o.put("arena_unplanned_bytes", m.profile().unplannedBytes());
        } else {
            putProblem(o, m.problem());
        }
        return o;
    }

    private static Map<String, Object> notCompiled(LanesException e) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("steps_after", null);
        putProblem(o, e);
        return o;
    }

    private static void putProblem(Map<String, Object> o, LanesException e) {
        o.put("arena_bytes", null);
        o.put("intermediates_bytes", null);
        o.put("arena_lower_bound_bytes", null);
        o.put("arena_unplanned_bytes", null);
        o.put("compile_problem", e.getMessage());
    }

    /** The passes in order with the graph's size after each. */
    static void printPasses(Path model, CompileOptions options, PrintStream out) {
        Compiler compiler = new Compiler(options);
        Graph g = compiler.importGraph(ModelReader.read(model), model.toAbsolutePath().getParent());
        out.printf("%-32s %6d nodes  %s%n", "(imported)", g.nodes().size(), histogram(g));
        compiler.optimize(g, (pass, graph) -> out.printf("%-32s %6d nodes  %s%n", pass,
                graph.nodes().size(), histogram(graph)));
        for (String pass : Compiler.passNames()) {
            if (options.disabledPasses().contains(pass)) {
                out.printf("%-32s switched off%n", pass);
            }
        }
    }

    private static String histogram(Graph g) {
        Map<String, Integer> ops = new java.util.TreeMap<>();
        for (Node n : g.nodes()) {
            ops.merge(n.opType(), 1, Integer::sum);
        }
        StringBuilder b = new StringBuilder();
        ops.forEach((op, n) -> b.append(b.length() == 0 ? "" : " ").append(op).append('=')
                .append(n));
        return b.toString();
    }

    static void printText(Path model, ModelSummary s, int top, PrintStream out) {
        out.println("model:      " + model);
        out.println("graph:      " + (s.graphName().isEmpty() ? "(unnamed)" : s.graphName())
                + ", IR version " + s.irVersion()
                + (s.producer().isEmpty() ? "" : ", produced by " + s.producer()));
        List<String> opsets = new ArrayList<>();
        s.opsets().forEach((d, v) -> opsets.add(d + " " + v));
        out.println("opsets:     " + String.join(", ", opsets));
        out.println("inputs:");
        printValues(s.inputs(), out);
        out.println("outputs:");
        printValues(s.outputs(), out);
        out.println("nodes:      " + s.nodeCount());
        out.println("operators:");
        int width = s.operators().keySet().stream().mapToInt(String::length).max().orElse(0);
        s.operators().forEach((op, n) -> out.printf("  %-" + width + "s %6d%n", op, n));
        out.println("parameters: " + grouped(s.parameterCount()) + " ("
                + bytes(s.parameterCount() * 4L) + " as float32)");
        out.println("MACs:       " + grouped(s.totalMacs()) + " (" + engineering(s.totalMacs())
                + "; free dimensions such as the batch set to 1"
                + (s.macsIncomplete() ? "; INCOMPLETE: some nodes' shapes are unknown" : "")
                + ")");
        List<NodeMacs> largest = s.topMacs(top);
        if (!largest.isEmpty()) {
            out.println("largest nodes by MACs:");
            int nw = largest.stream().mapToInt(m -> m.node().length()).max().orElse(0);
            int sw = largest.stream().mapToInt(m -> m.outputShape().length()).max().orElse(0);
            for (NodeMacs m : largest) {
                double share = s.totalMacs() == 0 ? 0 : 100.0 * m.macs() / s.totalMacs();
                out.printf(Locale.ROOT,
                        "  %-" + nw + "s %-13s %-" + sw + "s %15s %5.1f%%  %s%n",
                        m.node(), m.opType(), m.outputShape(), grouped(m.macs()), share,
                        m.algorithm());
            }
        }
        List<String> unknown = s.macs().stream().filter(m -> !m.known())
                .map(m -> m.node() + " (" + m.opType() + ")").toList();
        if (!unknown.isEmpty()) {
            out.println("MACs unknown for: " + String.join(", ", unknown.subList(0,
                    Math.min(5, unknown.size())))
                    + (unknown.size() > 5 ? " and " + (unknown.size() - 5) + " more" : ""));
        }
        if (s.shapeProblem() != null) {
            out.println("shape inference stopped: " + s.shapeProblem());
        }
        out.println("unsupported operators: " + (s.unsupported().isEmpty() ? "none"
                : String.join(", ", s.unsupported())));
    }

    private static void printValues(List<ValueSummary> values, PrintStream out) {
        int width = values.stream().mapToInt(v -> v.name().length()).max().orElse(0);
        for (ValueSummary v : values) {
            out.printf("  %-" + width + "s %s%s%n", v.name(), v.dtype(), v.shapeString());
        }
    }

    static Map<String, Object> toJson(Path model, ModelSummary s, int top) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("model", model.toString());
        o.put("graph", s.graphName());
        o.put("irVersion", s.irVersion());
        o.put("producer", s.producer());
        o.put("opsets", s.opsets());
        o.put("inputs", s.inputs().stream().map(InspectCommand::valueJson).toList());
        o.put("outputs", s.outputs().stream().map(InspectCommand::valueJson).toList());
        o.put("nodeCount", s.nodeCount());
        o.put("operators", s.operators());
        o.put("ops_before", s.operators());
        o.put("parameters", s.parameterCount());
        Map<String, Object> macs = new LinkedHashMap<>();
        macs.put("total", s.totalMacs());
        macs.put("complete", !s.macsIncomplete());
        macs.put("freeDimensionsSetTo", 1);
        macs.put("top", s.topMacs(top).stream().map(InspectCommand::macsJson).toList());
        macs.put("nodes", s.macs().stream().map(InspectCommand::macsJson).toList());
        o.put("macs", macs);
        o.put("unsupported", s.unsupported());
        o.put("shapeProblem", s.shapeProblem());
        return o;
    }

    private static Map<String, Object> valueJson(ValueSummary v) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", v.name());
        o.put("dtype", v.dtype());
        if (v.dims() == null) {
            o.put("shape", null);
        } else {
            List<Object> dims = new ArrayList<>();
            for (String d : v.dims()) {
                dims.add(d.chars().allMatch(Character::isDigit) && !d.isEmpty()
                        ? (Object) Long.parseLong(d) : d);
            }
            o.put("shape", dims);
        }
        return o;
    }

    private static Map<String, Object> macsJson(NodeMacs m) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("node", m.node());
        o.put("op", m.opType());
        o.put("outputShape", m.outputShape());
        o.put("macs", m.known() ? m.macs() : null);
        o.put("algorithm", m.algorithm().isEmpty() ? null : m.algorithm());
        return o;
    }

    static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String engineering(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f G", n / 1e9);
        }
        if (n >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.2f M", n / 1e6);
        }
        if (n >= 1_000L) {
            return String.format(Locale.ROOT, "%.2f k", n / 1e3);
        }
        return Long.toString(n);
    }

    static String bytes(long n) {
        if (n >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", n / (double) (1L << 20));
        }
        if (n >= 1L << 10) {
            return String.format(Locale.ROOT, "%.1f KiB", n / (double) (1L << 10));
        }
        return n + " bytes";
    }
}
