package dev.lanes.cli;

import dev.lanes.Lanes;
import dev.lanes.compiler.CompileOptions;
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
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * {@code lanes bench}: times a whole model (load, first run, latency percentiles, throughput,
 * peak heap, slowest nodes), optionally side by side with ONNX Runtime in the same process.
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
        return "time a model (latency, throughput, memory, slowest nodes), optionally vs ORT";
    }

    @Override
    public String help() {
        return """
                usage: lanes bench MODEL.onnx [--batch N] [--threads N] [--seconds S]
                                   [--warmup S] [--input FILE.pb]... [--compare ort]
                                   [--nodes N] [--json]

                Loads MODEL.onnx, runs it once (first-run latency), warms up for --warmup
                seconds, then runs it for --seconds seconds and prints the median, p90 and p99
                latency, the throughput (batch / median), the peak Java heap use and the nodes
                that took the most time.

                  --batch N        size of the first axis of inputs whose first axis is free
                                   (default 1); other free axes are 1
                  --threads N      threads the kernels may use (default: all cores)
                  --seconds S      measuring time (default 10)
                  --warmup S       warm-up time of each engine before measuring (default 2)
                  --input FILE.pb  a TensorProto per input (as in 'lanes run') instead of
                                   seeded random values
                  --compare ort    also runs ONNX Runtime (all graph optimizations, the same
                                   intra-op thread count, 1 inter-op thread) on the same inputs,
                                   alternating blocks of runs with Lanes' so machine noise hits both,
                                   and prints the ratio of the medians (Lanes / ORT) and the
                                   largest absolute difference of the outputs; needs the
                                   onnxruntime jar on the class path (cli/target/lib has it)
                  --nodes N        how many of the slowest nodes to list (default 10; 0
                                   lists every node)
                  --json           prints one JSON object instead of the table

                Peak memory is the sum of the Java heap pools' peak use during the measured
                runs (an upper bound of the heap's peak; native memory is not counted).
                Node times come from per-step timing during the measured runs.
                """;
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("--batch", "--threads", "--seconds", "--warmup", "--input", "--compare",
                "--nodes");
    }

    @Override
    public Set<String> flags() {
        return Set.of("--json");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws UsageException {
        args.expectPositional(1, 1, "MODEL.onnx");
        Path model = Path.of(args.positional().get(0));
        int batch = args.intValue("--batch", 1, 1);
        int threads = args.intValue("--threads", SessionOptions.defaults().threads(), 1);
        double seconds = args.doubleValue("--seconds", 10);
        double warmup = args.doubleValue("--warmup", 2);
        String compare = args.value("--compare", null);
        if (compare != null && !compare.equals("ort")) {
            throw new UsageException("--compare takes 'ort', not '" + compare + "'");
        }
        boolean json = args.has("--json");
        int nodes = args.intValue("--nodes", SLOWEST, 0);

        long t0 = System.nanoTime();
        Session session = Lanes.load(model, new SessionOptions(threads), CompileOptions.defaults());
        long loadNanos = System.nanoTime() - t0;
        Map<String, Tensor> inputs = args.has("--input")
                ? RunCommand.readInputs(args.all("--input"), session.inputs())
                : randomInputs(session.inputs(), batch);
        int effectiveBatch = batchOf(inputs);

        Plan plan = session.plan();
        long[] stepNanos = new long[plan.steps().size()];
        long[] stepTotals = new long[plan.steps().size()];
        BenchEngine lanes = new LanesEngine(session, inputs, stepNanos);

        BenchEngine ort = null;
        long ortLoadNanos = 0;
        if (compare != null) {
            long t1 = System.nanoTime();
            ort = openOrt(model, threads, inputs);
            ortLoadNanos = System.nanoTime() - t1;
        }
        try {
            long t2 = System.nanoTime();
            Map<String, Tensor> lanesOut = lanes.run();
            long lanesFirst = System.nanoTime() - t2;
            long ortFirst = 0;
            Map<String, Tensor> ortOut = null;
            if (ort != null) {
                long t3 = System.nanoTime();
                ortOut = ort.run();
                ortFirst = System.nanoTime() - t3;
            }

            // Each engine warms up alone (Lanes' JIT needs seconds; alternating run by run would
            // put a settle between every run); the last warm-up runs size the blocks.
            long lanesRun = warmUp(lanes, warmup);
            long ortRun = 0;
            if (ort != null) {
                settle();
                ortRun = warmUp(ort, warmup);
            }
            int block = blockRuns(Math.max(lanesRun, ortRun));

            BenchMemory memory = new BenchMemory();
            memory.reset();
            long[] lanesTimes = new long[1024];
            long[] ortTimes = new long[1024];
            int count = 0;
            long end = System.nanoTime() + (long) (seconds * 1e9);
            do {
                if (count + block > lanesTimes.length) {
                    lanesTimes = Arrays.copyOf(lanesTimes, 2 * (count + block));
                    ortTimes = Arrays.copyOf(ortTimes, 2 * (count + block));
                }
                // The engines take turns in blocks of runs, so machine noise hits both; each block
                // starts after a settle (see there) and one unmeasured run, which pays for waking
                // the engine's parked workers.
                if (ort != null) {
                    settle();
                    lanes.run();
                }
                for (int b = 0; b < block; b++) {
                    long a = System.nanoTime();
                    lanesOut = lanes.run();
                    lanesTimes[count + b] = System.nanoTime() - a;
                    for (int s = 0; s < stepNanos.length; s++) {
                        stepTotals[s] += stepNanos[s];
                    }
                }
                if (ort != null) {
                    settle();
                    ort.run();
                    for (int b = 0; b < block; b++) {
                        long t = System.nanoTime();
                        ortOut = ort.run();
                        ortTimes[count + b] = System.nanoTime() - t;
                    }
                }
                count += block;
            } while (System.nanoTime() < end);
            long peak = memory.peakBytes();

            BenchStats lanesStats = BenchStats.of(lanesTimes, count);
            BenchStats ortStats = ort == null ? null : BenchStats.of(ortTimes, count);
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("model", model.toString());
            report.put("batch", effectiveBatch);
            report.put("threads", threads);
            report.put("seconds", seconds);
            report.put("warmup_seconds", warmup);
            report.put("lanes", engineReport(loadNanos, lanesFirst, lanesStats, effectiveBatch,
                    peak));
            if (ort != null) {
                Map<String, Object> o = engineReport(ortLoadNanos, ortFirst, ortStats,
                        effectiveBatch, -1);
                o.put("version", ort.label());
                report.put("ort", o);
            }
            report.put("ratio", ort == null ? null : lanesStats.medianMs() / ortStats.medianMs());
            report.put("max_abs_diff", ort == null ? null : maxAbsDiff(lanesOut, ortOut));
            report.put("slowest_nodes", slowest(plan, stepTotals, count,
                    nodes == 0 ? stepTotals.length : nodes));
            if (json) {
                out.println(Json.write(report));
            } else {
                printTable(report, out, ort == null ? null : ort.label());
            }
            return Main.OK;
        } finally {
            if (ort != null) {
                ort.close();
            }
            session.close();
        }
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
                    shape[i] = i == 0 ? batch : 1;
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

    private static void printTable(Map<String, Object> r, PrintStream out, String ortLabel) {
        @SuppressWarnings("unchecked")
        Map<String, Object> l = (Map<String, Object>) r.get("lanes");
        @SuppressWarnings("unchecked")
        Map<String, Object> o = (Map<String, Object>) r.get("ort");
        out.printf("model: %s (batch %s, %s thread%s, %s s measured after %s s warm-up%s)%n",
                r.get("model"), r.get("batch"), r.get("threads"),
                ((Integer) r.get("threads")) == 1 ? "" : "s", r.get("seconds"),
                r.get("warmup_seconds"), o == null ? "" : ", Lanes and ORT alternating");
        out.printf("%-22s %14s%s%n", "", "Lanes", o == null ? "" : String.format(" %14s",
                ortLabel));
        row(out, "load (ms)", l, o, "load_ms", "%14.1f");
        row(out, "first run (ms)", l, o, "first_run_ms", "%14.2f");
        row(out, "runs", l, o, "runs", "%14d");
        row(out, "median (ms)", l, o, "median_ms", "%14.2f");
        row(out, "p90 (ms)", l, o, "p90_ms", "%14.2f");
        row(out, "p99 (ms)", l, o, "p99_ms", "%14.2f");
        row(out, "throughput (images/s)", l, o, "throughput", "%14.1f");
        out.printf("%-22s %14.1f%s%n", "peak heap (MiB)",
                ((Long) l.get("peak_memory_bytes")) / 1048576.0, o == null ? "" : String.format(
                " %14s", "(native)"));
        if (o != null) {
            out.printf("ratio Lanes/ORT (median): %.2fx%n", (Double) r.get("ratio"));
            out.printf("max |Lanes - ORT| over outputs: %.3g%n", (Double) r.get("max_abs_diff"));
        }
        out.println("slowest nodes (Lanes; mean per run, share of all step time):");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) r.get("slowest_nodes");
        for (Map<String, Object> n : nodes) {
            out.printf("  %9.3f ms %5.1f%%  %-20s %s%n", (Double) n.get("mean_ms"),
                    100 * (Double) n.get("share"), n.get("op"), n.get("name"));
        }
    }

    private static void row(PrintStream out, String label, Map<String, Object> l,
            Map<String, Object> o, String key, String format) {
        out.printf("%-22s " + format + "%s%n", label, l.get(key),
                o == null ? "" : String.format(" " + format, o.get(key)));
    }

    /** Lanes as a {@link BenchEngine}: each run is timed per step into a shared array. */
    private record LanesEngine(Session session, Map<String, Tensor> inputs, long[] stepNanos)
            implements BenchEngine {
        @Override
        public String label() {
            return "Lanes";
        }

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
