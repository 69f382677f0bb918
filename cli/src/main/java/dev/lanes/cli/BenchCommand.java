package dev.lanes.cli;

import dev.lanes.Lanes;
import dev.lanes.compiler.CompileOptions;
import dev.lanes.compiler.Compiler;
import dev.lanes.errors.LanesException;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Plan;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.SessionOptions;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.ValueInfo;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * {@code lanes bench}: times a whole model (load, first run, latency percentiles, throughput,
 * peak heap, slowest nodes), optionally side by side with ONNX Runtime and with its own unfused
 * plan in the same process.
 */
final class BenchCommand implements Command {
    /** How many of the slowest nodes are listed unless --nodes says otherwise. */
    static final int SLOWEST = 10;

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "time a model (latency, throughput, memory, slowest nodes), optionally vs ORT"
                + " or its unfused plan";
    }

    @Override
    public String help() {
        return """
                usage: lanes bench MODEL.onnx [--batch N] [--threads N] [--seconds S]
                                   [--warmup S] [--input FILE.pb]...
                                   [--compare ort|unfused|ort,unfused]
                                   [--disable-pass NAME]... [--nodes N] [--json]

                Loads MODEL.onnx, runs it once (first-run latency), warms up for --warmup
                seconds, then runs it for --seconds seconds and prints the median, p90 and p99
                latency, the throughput (batch / median), the peak Java heap use and the nodes
                that took the most time. MODEL may be a plan saved by 'lanes compile' (told by
                its content): its load time is then reading the plan, without compiling
                ("plan": true in --json); --compare and --disable-pass need the ONNX model.

                  --batch N        size of the first axis of inputs whose first axis is free
                                   (default 1); other free axes are 1
                  --threads N      threads the kernels may use (default: all cores, or the
                                   count a plan was compiled for)
                  --seconds S      measuring time (default 10)
                  --warmup S       warm-up time of each engine before measuring (default 2)
                  --input FILE.pb  a TensorProto per input (as in 'lanes run') instead of
                                   seeded random values
                  --compare REFS   also times references, a comma-separated list of:
                                     ort      ONNX Runtime (all graph optimizations, the same
                                              intra-op thread count, 1 inter-op thread); needs
                                              the onnxruntime jar on the class path
                                              (cli/target/lib has it)
                                     unfused  a second Lanes session of the model compiled
                                              with the fusion passes off (fold-batchnorm,
                                              fold-pad, fuse-gemm-bias, fuse-gelu,
                                              fuse-epilogue, channel-blocks,
                                              concat-in-place) and the cleanup passes on:
                                              what fusion gains
                                   Every engine runs the same inputs, taking turns in blocks of
                                   runs so machine noise hits all; prints the ratios of the
                                   medians (Lanes / ORT, Lanes / Lanes unfused) and the largest
                                   absolute difference of each reference's outputs from Lanes'
                  --disable-pass NAME
                                   switch a pass off in the Lanes session (repeatable), for
                                   bisecting; the unfused session has it off as well
                  --nodes N        how many of the slowest nodes to list (default 10; 0
                                   lists every node)
                  --json           prints one JSON object instead of the table

                Peak memory is the sum of the Java heap pools' peak use during the measured
                runs (an upper bound of the heap's peak; native memory is not counted); it is
                the process's, so with 'unfused' it includes that second session.
                Node times come from per-step timing during the measured runs (the unfused
                session is timed per step too, so both pay the same).
                """;
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("--batch", "--threads", "--seconds", "--warmup", "--input", "--compare",
                "--disable-pass", "--nodes");
    }

    @Override
    public Set<String> flags() {
        return Set.of("--json");
    }

    private static final String LANES = "lanes";
    private static final String ORT = "ort";
    private static final String UNFUSED = "unfused";

    /** The references {@code --compare} takes. */
    static final List<String> REFERENCES = List.of(ORT, UNFUSED);

    /**
     * The references of every {@code --compare} value (comma-separated lists; repeating the
     * option adds to the list), without duplicates.
     */
    static Set<String> references(Args args) throws UsageException {
        Set<String> refs = new LinkedHashSet<>();
        for (String value : args.all("--compare")) {
            for (String ref : value.split(",", -1)) {
                String r = ref.trim();
                if (!REFERENCES.contains(r)) {
                    throw new UsageException("--compare takes 'ort', 'unfused' or both separated"
                            + " by a comma ('ort,unfused'), not '" + value + "'"
                            + (r.isEmpty() ? " (an empty name)" : " ('" + r + "' is neither)"));
                }
                refs.add(r);
            }
        }
        return refs;
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws UsageException {
        args.expectPositional(1, 1, "MODEL.onnx");
        Path model = Path.of(args.positional().get(0));
        int batch = args.intValue("--batch", 1, 1);
        Integer givenThreads = args.has("--threads") ? args.intValue("--threads", 1, 1) : null;
        double seconds = args.doubleValue("--seconds", 10);
        double warmup = args.doubleValue("--warmup", 2);
        Set<String> refs = references(args);
        CompileOptions options = InspectCommand.compileOptions(args);
        boolean json = args.has("--json");
        int nodes = args.intValue("--nodes", SLOWEST, 0);
        if (Lanes.isPlan(model) && !refs.isEmpty()) {
            throw new UsageException(model + " is a compiled plan: --compare needs the ONNX"
                    + " model (ONNX Runtime reads it, 'unfused' compiles it again)");
        }

        // The engines in the order they load, run first, warm up and take turns: Lanes first.
        List<Contender> engines = new ArrayList<>();
        try {
            LoadedModel loaded = LoadedModel.load(model, givenThreads, options);
            Session session = loaded.session();
            long loadNanos = loaded.loadNanos();
            int threads = loaded.threads();
            Map<String, Tensor> inputs;
            try {
                inputs = inputsOf(args, session, batch);
            } catch (RuntimeException | UsageException e) {
                session.close();
                throw e;
            }
            Contender lanes = new Contender(LANES, new LanesEngine("Lanes", session, inputs,
                    new long[session.plan().steps().size()]), loadNanos, options);
            engines.add(lanes);
            int effectiveBatch = batchOf(inputs);
            Plan plan = session.plan();
            long[] stepTotals = new long[plan.steps().size()];
            Contender unfused = null;
            if (refs.contains(UNFUSED)) {
                CompileOptions off = options.withoutFusion();
                long t1 = System.nanoTime();
                Session s = Lanes.load(model, new SessionOptions(threads), off);
                unfused = new Contender(UNFUSED, new LanesEngine("Lanes unfused", s, inputs,
                        new long[s.plan().steps().size()]), System.nanoTime() - t1, off);
                engines.add(unfused);
            }
            Contender ort = null;
            if (refs.contains(ORT)) {
                long t1 = System.nanoTime();
                BenchEngine e = openOrt(model, threads, inputs);
                ort = new Contender(ORT, e, System.nanoTime() - t1, null);
                engines.add(ort);
            }
            boolean alternate = engines.size() > 1;

            for (Contender c : engines) {
                long t = System.nanoTime();
                c.out = c.engine.run();
                c.firstNanos = System.nanoTime() - t;
            }

            // Each engine warms up alone (Lanes' JIT needs seconds; alternating run by run would
            // put a settle between every run); the last warm-up runs size the blocks.
            long slowest = 0;
            for (Contender c : engines) {
                if (c != lanes) {
                    settle();
                }
                slowest = Math.max(slowest, warmUp(c.engine, warmup));
            }
            int block = blockRuns(slowest);

            BenchMemory memory = new BenchMemory();
            memory.reset();
            int count = 0;
            long end = System.nanoTime() + (long) (seconds * 1e9);
            do {
                // The engines take turns in blocks of runs, so machine noise hits all; each block
                // starts after a settle (see there) and one unmeasured run, which pays for waking
                // the engine's parked workers.
                for (Contender c : engines) {
                    c.ensureRoom(count + block);
                    if (alternate) {
                        settle();
                        c.engine.run();
                    }
                    long[] stepNanos = c == lanes ? ((LanesEngine) c.engine).stepNanos() : null;
                    for (int b = 0; b < block; b++) {
                        long a = System.nanoTime();
                        c.out = c.engine.run();
                        c.times[count + b] = System.nanoTime() - a;
                        if (stepNanos != null) {
                            for (int s = 0; s < stepNanos.length; s++) {
                                stepTotals[s] += stepNanos[s];
                            }
                        }
                    }
                }
                count += block;
            } while (System.nanoTime() < end);
            long peak = memory.peakBytes();

            Map<String, Object> report = new LinkedHashMap<>();
            report.put("model", model.toString());
            report.put("plan", loaded.plan());
            report.put("batch", effectiveBatch);
            report.put("threads", threads);
            report.put("seconds", seconds);
            report.put("warmup_seconds", warmup);
            for (Contender c : engines) {
                c.stats = BenchStats.of(c.times, count);
                Map<String, Object> m = engineReport(c.loadNanos, c.firstNanos, c.stats,
                        effectiveBatch, c == lanes ? peak : -1);
                if (c.engine instanceof LanesEngine l) {
                    m.put("steps", l.session().plan().steps().size());
                    m.put("disabled_passes", Compiler.passNames().stream()
                            .filter(c.options.disabledPasses()::contains).toList());
                } else {
                    m.put("version", c.engine.label());
                }
                report.put(c.key, m);
            }
            report.put("ratio", ratio(lanes, ort));
            report.put("max_abs_diff", ort == null ? null : maxAbsDiff(lanes.out, ort.out));
            report.put("ratio_unfused", ratio(lanes, unfused));
            report.put("max_abs_diff_unfused", unfused == null ? null
                    : maxAbsDiff(lanes.out, unfused.out));
            report.put("slowest_nodes", slowest(plan, stepTotals, count,
                    nodes == 0 ? stepTotals.length : nodes));
            if (json) {
                out.println(Json.write(report));
            } else {
                printTable(report, out, engines);
            }
            return Main.OK;
        } finally {
            for (Contender c : engines.reversed()) {
                c.engine.close();
            }
        }
    }

    /** An engine in the run with what is measured of it; {@code key} names it in the JSON. */
    private static final class Contender {
        final String key;
        final BenchEngine engine;
        final long loadNanos;
        /** The Lanes session's compile options, null for ORT. */
        final CompileOptions options;
        long firstNanos;
        long[] times = new long[1024];
        Map<String, Tensor> out;
        BenchStats stats;

        Contender(String key, BenchEngine engine, long loadNanos, CompileOptions options) {
            this.key = key;
            this.engine = engine;
            this.loadNanos = loadNanos;
            this.options = options;
        }

        void ensureRoom(int runs) {
            if (runs > times.length) {
                times = Arrays.copyOf(times, 2 * runs);
            }
        }
    }

    /** The ratio of the medians of Lanes and a reference, or null without the reference. */
    private static Double ratio(Contender lanes, Contender reference) {
        return reference == null ? null : lanes.stats.medianMs() / reference.stats.medianMs();
    }

    private static Map<String, Tensor> inputsOf(Args args, Session session, int batch)
            throws UsageException {
        return args.has("--input")
                ? RunCommand.readInputs(args.all("--input"), session.inputs())
                : randomInputs(session.inputs(), batch);
    }

    private static BenchEngine openOrt(Path model, int threads, Map<String, Tensor> inputs) {
        try {
            return BenchOrt.open(model, threads, inputs);
        } catch (NoClassDefFoundError e) {
            throw new LanesException("--compare ort needs ONNX Runtime (com.microsoft.onnxruntime"
                    + ":onnxruntime) on the class path; the CLI build copies it to"
                    + " cli/target/lib (" + e.getMessage() + ")", e);
        }
    }

    private static Map<String, Object> engineReport(long loadNanos, long firstNanos,
            BenchStats stats, int batch, long peakBytes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("load_ms", loadNanos / 1e6);
        m.put("first_run_ms", firstNanos / 1e6);
        m.put("runs", stats.runs());
        m.put("median_ms", stats.medianMs());
        m.put("p90_ms", stats.p90Ms());
        m.put("p99_ms", stats.p99Ms());
        m.put("throughput", batch * 1000.0 / stats.medianMs());
        if (peakBytes >= 0) {
            m.put("peak_memory_bytes", peakBytes);
        }
        return m;
    }

    /** The steps with the largest total time, with their mean time and share of all steps. */
    private static List<Map<String, Object>> slowest(Plan plan, long[] totals, int runs,
            int limit) {
        long all = Arrays.stream(totals).sum();
        List<Integer> order = new ArrayList<>();
        for (int s = 0; s < totals.length; s++) {
            order.add(s);
        }
        order.sort(Comparator.comparingLong((Integer s) -> totals[s]).reversed());
        List<Map<String, Object>> list = new ArrayList<>();
        for (int s : order.subList(0, Math.min(limit, order.size()))) {
            Plan.Step step = plan.steps().get(s);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", step.name());
            m.put("op", step.opType());
            m.put("mean_ms", totals[s] / 1e6 / runs);
            m.put("share", all == 0 ? 0.0 : (double) totals[s] / all);
            list.add(m);
        }
        return list;
    }

    /**
     * Runs {@code engine} for {@code seconds} (at least once) and returns the median of its
     * last runs in nanoseconds.
     */
    private static long warmUp(BenchEngine engine, double seconds) {
        long[] last = new long[WARM_SAMPLES];
        int n = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        do {
            long a = System.nanoTime();
            engine.run();
            last[n++ % last.length] = System.nanoTime() - a;
        } while (System.nanoTime() < end);
        long[] kept = Arrays.copyOf(last, Math.min(n, last.length));
        Arrays.sort(kept);
        return kept[kept.length / 2];
    }

    /** Runs per block: enough for about {@link #BLOCK_MS} of running, within bounds. */
    static int blockRuns(long runNanos) {
        long runs = BLOCK_MS * 1_000_000L / Math.max(1, runNanos);
        return (int) Math.max(MIN_BLOCK, Math.min(MAX_BLOCK, runs));
    }

    /**
     * Pause between the engines' blocks, so that each block starts with the other engine's
     * threads idle. Both engines' workers spin a while for more work after a run before they
     * park, and a spinning thread takes one of the cores from the other engine: ONNX Runtime's
     * intra-op worker was measured spinning for about 50 ms after its last run, and Lanes at two
     * threads ran mobilenet_v3_small in 6.7-8.3 ms a run right after ORT's blocks against
     * 2.6-4.2 ms alone. The pause busy-waits rather than sleeps: after a sleep of 200 ms
     * both engines' next runs measured 1.3-1.6x slower (the core was let go idle), and a sleep
     * short enough to avoid that leaves ORT's worker spinning.
     */
    private static void settle() {
        long end = System.nanoTime() + SETTLE_MS * 1_000_000L;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    /** The largest absolute difference between outputs of the same name. */
    static double maxAbsDiff(Map<String, Tensor> a, Map<String, Tensor> b) {
        double max = 0;
        for (Map.Entry<String, Tensor> e : a.entrySet()) {
            Tensor x = e.getValue();
            Tensor y = b.get(e.getKey());
            if (y == null || x.size() != y.size()) {
                throw new LanesException("output '" + e.getKey() + "' differs between the"
                        + " engines: " + Tensors.typeAndShape(x) + " vs "
                        + (y == null ? "missing" : Tensors.typeAndShape(y)));
            }
            for (int i = 0; i < x.size(); i++) {
                double d = Math.abs(x.getDouble(i) - y.getDouble(i));
                if (!(d <= max)) {
                    max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
                }
            }
        }
        return max;
    }

    /** Time a block of measured runs of one engine lasts before the other takes its turn. */
    private static final long BLOCK_MS = 200;
    /** Bounds of the runs in a block (a slow model's block lasts longer than BLOCK_MS). */
    private static final int MIN_BLOCK = 3;
    private static final int MAX_BLOCK = 200;
    /** Warm-up runs whose median sizes the blocks. */
    private static final int WARM_SAMPLES = 9;
    /** See {@link #settle()}. */
    private static final long SETTLE_MS = Long.getLong("lanes.bench.settleMs", 100);

    /** Seeded random inputs: free first axes are {@code batch}, other free axes 1. */
    static Map<String, Tensor> randomInputs(List<ValueInfo> declared, int batch) {
        return randomInputs(declared, batch, Map.of());
    }

    /**
     * Seeded random inputs: a free axis named in {@code dims} has that size, other free first
     * axes are {@code batch}, other free axes 1.
     */
    static Map<String, Tensor> randomInputs(List<ValueInfo> declared, int batch,
            Map<String, Integer> dims) {
        Random random = new Random(RunCommand.RANDOM_SEED);
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (ValueInfo v : declared) {
            if (v.dims() == null) {
                throw new LanesException("input '" + v.name() + "' has no declared shape, so no"
                        + " random value can be made for it; give it with --input");
            }
            int[] shape = v.dims().clone();
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] < 0) {
                    String symbol = v.symbols() == null ? null : v.symbols()[i];
                    Integer given = symbol == null ? null : dims.get(symbol);
                    shape[i] = given != null ? given : i == 0 ? batch : 1;
                }
            }
            int n = Tensor.checkedSize(shape);
            if (v.dtype() == DType.FLOAT) {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = random.nextFloat();
                }
                inputs.put(v.name(), Tensor.of(f, shape));
            } else {
                long[] l = new long[n];
                int bound = v.dtype() == DType.BOOL ? 2 : 10;
                for (int i = 0; i < n; i++) {
                    l[i] = random.nextInt(bound);
                }
                inputs.put(v.name(), Tensor.ofLongs(v.dtype(), l, shape));
            }
        }
        return inputs;
    }

    private static int batchOf(Map<String, Tensor> inputs) {
        for (Tensor t : inputs.values()) {
            if (t.rank() > 0) {
                return t.dim(0);
            }
        }
        return 1;
    }

    private static void printTable(Map<String, Object> r, PrintStream out,
            List<Contender> engines) {
        List<Map<String, Object>> cols = new ArrayList<>();
        StringBuilder header = new StringBuilder(String.format("%-22s", ""));
        for (Contender c : engines) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) r.get(c.key);
            cols.add(m);
            header.append(String.format(" %14s", c.engine.label()));
        }
        List<String> labels = engines.stream().map(c -> c.engine.label()).toList();
        out.printf("model: %s (%sbatch %s, %s thread%s, %s s measured after %s s warm-up%s)%n",
                r.get("model"), Boolean.TRUE.equals(r.get("plan")) ? "plan, " : "",
                r.get("batch"), r.get("threads"),
                ((Integer) r.get("threads")) == 1 ? "" : "s", r.get("seconds"),
                r.get("warmup_seconds"), labels.size() == 1 ? ""
                : ", " + String.join(labels.size() == 2 ? " and " : ", ", labels.subList(0,
                        labels.size() - 1)) + (labels.size() > 2 ? " and " : "")
                        + labels.getLast() + " alternating");
        for (Contender c : engines) {
            if (c.options != null && !c.options.disabledPasses().isEmpty()) {
                out.printf("%s: passes off: %s%n", c.engine.label(), String.join(", ",
                        Compiler.passNames().stream().filter(c.options.disabledPasses()::contains)
                                .toList()));
            }
        }
        out.println(header);
        row(out, "load (ms)", cols, "load_ms", "%14.1f");
        row(out, "first run (ms)", cols, "first_run_ms", "%14.2f");
        row(out, "plan steps", cols, "steps", "%14d");
        row(out, "runs", cols, "runs", "%14d");
        row(out, "median (ms)", cols, "median_ms", "%14.2f");
        row(out, "p90 (ms)", cols, "p90_ms", "%14.2f");
        row(out, "p99 (ms)", cols, "p99_ms", "%14.2f");
        row(out, "throughput (images/s)", cols, "throughput", "%14.1f");
        StringBuilder heap = new StringBuilder(String.format("%-22s %14.1f", "peak heap (MiB)",
                ((Long) cols.get(0).get("peak_memory_bytes")) / 1048576.0));
        for (Contender c : engines.subList(1, engines.size())) {
            heap.append(String.format(" %14s", c.key.equals(ORT) ? "(native)" : "(included)"));
        }
        out.println(heap);
        if (r.get("ratio") != null) {
            out.printf("ratio Lanes/ORT (median): %.2fx%n", (Double) r.get("ratio"));
        }
        if (r.get("ratio_unfused") != null) {
            out.printf("ratio Lanes/Lanes unfused (median): %.2fx%n",
                    (Double) r.get("ratio_unfused"));
        }
        if (r.get("max_abs_diff") != null) {
            out.printf("max |Lanes - ORT| over outputs: %.3g%n", (Double) r.get("max_abs_diff"));
        }
        if (r.get("max_abs_diff_unfused") != null) {
            out.printf("max |Lanes - Lanes unfused| over outputs: %.3g%n",
                    (Double) r.get("max_abs_diff_unfused"));
        }
        out.println("slowest nodes (Lanes; mean per run, share of all step time):");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) r.get("slowest_nodes");
        for (Map<String, Object> n : nodes) {
            out.printf("  %9.3f ms %5.1f%%  %-20s %s%n", (Double) n.get("mean_ms"),
                    100 * (Double) n.get("share"), n.get("op"), n.get("name"));
        }
    }

    /** One table row: each engine's value of {@code key}, "-" where it has none. */
    private static void row(PrintStream out, String label, List<Map<String, Object>> cols,
            String key, String format) {
        StringBuilder b = new StringBuilder(String.format("%-22s", label));
        for (Map<String, Object> m : cols) {
            Object v = m.get(key);
            b.append(' ').append(v == null ? String.format("%14s", "-") : String.format(format,
                    v));
        }
        out.println(b);
    }

    /** Lanes as a {@link BenchEngine}: each run is timed per step into a shared array. */
    private record LanesEngine(String label, Session session, Map<String, Tensor> inputs,
            long[] stepNanos) implements BenchEngine {

        @Override
        public Map<String, Tensor> run() {
            return session.runProfiled(inputs, stepNanos);
        }

        @Override
        public void close() {
            session.close();
        }
    }
}
