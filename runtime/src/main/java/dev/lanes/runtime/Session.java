package dev.lanes.runtime;

import dev.lanes.errors.LanesException;
import dev.lanes.errors.ModelFormatException;
import dev.lanes.errors.ShapeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded model ready to run: what a server keeps for its lifetime. Every input is checked
 * against the model's signature before anything runs. Safe to call from many threads at once;
 * each call works on its own values.
 */
public final class Session implements AutoCloseable {
    private final Plan plan;
    private final SessionOptions options;
    /** The memory plans of the input signatures seen so far. */
    private final MemoryPlans memoryPlans = new MemoryPlans();
    /** Output-array pools for signatures without a plan, each reused by one run at a time. */
    private final java.util.concurrent.ConcurrentLinkedQueue<BufferPool> idleBuffers =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** Creates a session that runs {@code plan} with the given options. */
    public Session(Plan plan, SessionOptions options) {
        this.plan = plan;
        this.options = options;
    }

    /** The input signatures, in graph order. */
    public List<ValueInfo> inputs() {
        return plan.inputs();
    }

    /** The output signatures, in graph order. */
    public List<ValueInfo> outputs() {
        return plan.outputs();
    }

    /** The options this session was made with. */
    public SessionOptions options() {
        return options;
    }

    /** The memory plans made so far, for tests. */
    MemoryPlans memoryPlans() {
        return memoryPlans;
    }

    /** The plan this session runs. */
    public Plan plan() {
        return plan;
    }

    /**
     * Runs the model on named inputs and returns every output by name, in graph order. The
     * returned tensors belong to the caller.
     *
     * @throws ShapeException if an input is unknown, missing, or of the wrong rank, dimension or
     *                        type; the message lists every problem found
     */
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        Tensor[] bound = bind(inputs);
        return execute(bound, null);
    }

    /**
     * Runs the model like {@link #run(Map)} and also times each step: {@code stepNanos[s]} gets
     * the wall-clock nanoseconds of {@code plan().steps().get(s)}. For profilers and benchmarks;
     * {@link #run(Map)} itself takes no timings.
     *
     * @param stepNanos an array of at least {@code plan().steps().size()} elements
     */
    public Map<String, Tensor> runProfiled(Map<String, Tensor> inputs, long[] stepNanos) {
        if (stepNanos.length < plan.steps().size()) {
            throw new IllegalArgumentException("stepNanos has " + stepNanos.length
                    + " elements but the plan has " + plan.steps().size() + " steps");
        }
        Tensor[] bound = bind(inputs);
        return execute(bound, stepNanos);
    }

    /** Runs the model on inputs given in graph input order. */
    public Map<String, Tensor> run(Tensor... inputs) {
        if (inputs.length != plan.inputs().size()) {
            throw new ShapeException("model takes " + plan.inputs().size() + " input"
                    + (plan.inputs().size() == 1 ? "" : "s") + " " + plan.inputs() + " but "
                    + inputs.length + " were given");
        }
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (int i = 0; i < inputs.length; i++) {
            named.put(plan.inputs().get(i).name(), inputs[i]);
        }
        return run(named);
    }

    private Tensor[] bind(Map<String, Tensor> given) {
        List<String> problems = new ArrayList<>();
        for (String name : given.keySet()) {
            if (plan.inputs().stream().noneMatch(v -> v.name().equals(name))) {
                problems.add("unknown input '" + name + "'");
            }
        }
        Map<String, Integer> symbolSizes = new HashMap<>();
        Map<String, String> symbolOrigin = new HashMap<>();
        Tensor[] bound = new Tensor[plan.inputs().size()];
        for (int i = 0; i < bound.length; i++) {
            ValueInfo spec = plan.inputs().get(i);
            Tensor t = given.get(spec.name());
            if (t == null) {
                problems.add("missing input '" + spec.name() + "' " + spec.dtype()
                        + spec.shapeString());
                continue;
            }
            bound[i] = t;
            if (t.dtype() != spec.dtype()) {
                problems.add("input '" + spec.name() + "': expected element type " + spec.dtype()
                        + ", got " + t.dtype());
            }
            if (spec.dims() == null) {
                continue;
            }
            if (t.rank() != spec.dims().length) {
                problems.add("input '" + spec.name() + "': expected rank " + spec.dims().length
                        + " " + spec.shapeString() + ", got rank " + t.rank() + " "
                        + java.util.Arrays.toString(t.shapeView()));
                continue;
            }
            for (int a = 0; a < t.rank(); a++) {
                int want = spec.dims()[a];
                int got = t.dim(a);
                if (want >= 0 && want != got) {
                    problems.add("input '" + spec.name() + "' axis " + a + ": expected " + want
                            + ", got " + got + " (shape " + java.util.Arrays.toString(t.shapeView())
                            + ", expected " + spec.shapeString() + ")");
                } else if (want < 0 && spec.symbols() != null && spec.symbols()[a] != null) {
                    String sym = spec.symbols()[a];
                    Integer prev = symbolSizes.putIfAbsent(sym, got);
                    String here = "input '" + spec.name() + "' axis " + a;
                    symbolOrigin.putIfAbsent(sym, here);
                    if (prev != null && prev != got) {
                        problems.add(here + ": dimension '" + sym + "' is " + got + " but "
                                + symbolOrigin.get(sym) + " set it to " + prev);
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ShapeException(String.join("; ", problems));
        }
        return bound;
    }

    /**
     * The memory of the intermediate tensors of a run, in bytes, as the session plans it.
     *
     * @param arenaBytes         the planned buffers, plus the intermediates some kernels make
     *                           themselves (outside the plan, counted in full)
     * @param intermediatesBytes every intermediate tensor (and scratch array) added up
     * @param lowerBoundBytes    the most bytes of intermediates live at one step: no plan can
     *                           use less
     * @param unplannedBytes     the part of {@code arenaBytes} that kernels allocate themselves
     *                           each run instead of taking it from the plan
     * @param slotOffsets        for each value slot, the byte offset of its buffer in the arena
     *                           (the buffers laid out one after another), or -1 when the slot's
     *                           value is not in the arena (inputs, constants, views kept
     *                           elsewhere, non-FLOAT values)
     */
    public record MemoryProfile(long arenaBytes, long intermediatesBytes, long lowerBoundBytes,
            long unplannedBytes, long[] slotOffsets) {
    }

    /** Measures the intermediate memory of one run on these inputs (see {@link MemoryProfile}). */
    public MemoryProfile memoryProfile(Map<String, Tensor> inputs) {
        Tensor[] bound = bind(inputs);
        BufferPool pool = new BufferPool();
        java.util.Set<float[]> external = java.util.Collections.newSetFromMap(
                new java.util.IdentityHashMap<>());
        for (Tensor t : bound) {
            if (t.dtype().isFloat()) {
                external.add(t.floats());
            }
        }
        for (int s = 0; s < plan.slotCount(); s++) {
            Tensor c = plan.constant(s);
            if (c != null && c.dtype().isFloat()) {
                external.add(c.floats());
            }
        }
        pool.measureAll(external);
        pool.record();
        execute(bound, pool, new RunContext(options.threads(), pool), null);
        AllocationLog log = pool.recording();
        int last = plan.steps().size();
        MemoryPlan planned = MemoryPlan.of(log, last);
        long unplanned = sum(log.foreignLengths());
        long all = sum(log.takeLengths()) + unplanned;
        long bound0 = ArenaPlanner.lowerBound(
                concat(log.takeLengths(), log.foreignLengths()),
                concat(log.takeStarts(), log.foreignStarts()),
                concat(log.takeEnds(last), log.foreignEnds(last)));
        long b = Float.BYTES;
        return new MemoryProfile((planned.floats() + unplanned) * b, all * b, bound0 * b,
                unplanned * b, slotOffsets(log, planned));
    }

    /** Each slot's buffer offset in bytes, buffers laid out in order, or -1 (see above). */
    private long[] slotOffsets(AllocationLog log, MemoryPlan planned) {
        int[] sizes = planned.bufferSizes();
        long[] start = new long[sizes.length];
        for (int i = 1; i < sizes.length; i++) {
            start[i] = start[i - 1] + sizes[i - 1];
        }
        long[] offsets = new long[plan.slotCount()];
        java.util.Arrays.fill(offsets, -1);
        for (int s = 0; s < plan.steps().size(); s++) {
            int[] sources = log.sources(s);
            int[] slots = plan.steps().get(s).outputs();
            for (int k = 0; sources != null && k < sources.length && k < slots.length; k++) {
                if (sources[k] >= 0) {
                    offsets[slots[k]] = start[planned.bufferOf(sources[k])] * Float.BYTES;
                }
            }
        }
        return offsets;
    }

    private static long sum(int[] v) {
        long n = 0;
        for (int x : v) {
            n += x;
        }
        return n;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private Map<String, Tensor> execute(Tensor[] bound, long[] stepNanos) {
        MemoryPlans.Entry planned = memoryPlans.lookup(bound);
        if (planned != null && planned.usable()) {
            PlannedArena arena = planned.arena();
            arena.start();
            try {
                return execute(bound, arena, new RunContext(options.threads(), arena), stepNanos);
            } finally {
                planned.finished(arena);
            }
        }
        boolean recordIt = planned == null && memoryPlans.hasRoom();
        BufferPool buffers = recordIt ? new BufferPool() : idleBuffers.poll();
        if (buffers == null) {
            buffers = new BufferPool();
        }
        if (recordIt) {
            buffers.record();
        }
        try {
            Map<String, Tensor> result = execute(bound, buffers,
                    new RunContext(options.threads(), buffers), stepNanos);
            if (recordIt) {
                memoryPlans.add(bound, MemoryPlan.of(buffers.recording(), plan.steps().size()));
            }
            return result;
        } finally {
            buffers.releaseAll();
            if (!recordIt) {
                idleBuffers.offer(buffers);
            }
        }
    }

    private Map<String, Tensor> execute(Tensor[] bound, RunBuffers buffers, RunContext ctx,
            long[] stepNanos) {
        Tensor[] values = new Tensor[plan.slotCount()];
        for (int s = 0; s < values.length; s++) {
            values[s] = plan.constant(s);
        }
        for (int i = 0; i < bound.length; i++) {
            values[plan.inputSlot(i)] = bound[i];
        }
        AllocationLog log = buffers instanceof BufferPool p ? p.recording() : null;
        PlannedArena arena = buffers instanceof PlannedArena a ? a : null;
        List<Plan.Step> steps = plan.steps();
        for (int s = 0; s < steps.size(); s++) {
            Plan.Step step = steps.get(s);
            Tensor[] in = new Tensor[step.inputs().length];
            for (int k = 0; k < in.length; k++) {
                int slot = step.inputs()[k];
                in[k] = slot < 0 ? null : values[slot];
            }
            buffers.atStep(s);
            ctx.writableInputs(writableInputs(s, in, buffers));
            long start = stepNanos == null ? 0 : System.nanoTime();
            Tensor[] out = runStep(step, in, ctx);
            ctx.writableInputs(NO_ARRAYS);
            if (stepNanos != null) {
                stepNanos[s] = System.nanoTime() - start;
            }
            if (log != null) {
                log.sources(s, sources(out, buffers));
            } else if (arena != null && !arena.diverged()
                    && !sourcesAre(out, buffers, arena.plan().sources(s))) {
                // A step's output came from elsewhere than when the plan was made, so the
                // planned lifetimes may no longer hold: no more sharing in this run.
                arena.diverge();
            }
            for (int k = 0; k < step.outputs().length && k < out.length; k++) {
                values[step.outputs()[k]] = out[k];
                if (out[k] != null && out[k].dtype().isFloat()) {
                    buffers.retain(out[k].floats());
                }
            }
            for (int slot : plan.releaseAfter(s)) {
                Tensor dead = values[slot];
                if (dead != null && dead.dtype().isFloat()) {
                    buffers.release(dead.floats());
                }
                values[slot] = null;
            }
        }
        Map<String, Tensor> result = new LinkedHashMap<>();
        for (int i = 0; i < plan.outputs().size(); i++) {
            Tensor t = values[plan.outputSlot(i)];
            if (t == null) {
                throw new ModelFormatException("output '" + plan.outputs().get(i).name()
                        + "' was not computed by any step");
            }
            // Copied because a step may return a view of an input or a constant, and the
            // array of an intermediate belongs to the next run.
            result.put(plan.outputs().get(i).name(), t.copy());
        }
        return result;
    }

    private static final float[][] NO_ARRAYS = new float[0][];

    /**
     * The arrays of step {@code s}'s inputs that its output may be written over: FLOAT inputs
     * whose value dies at this step, shared with no other input of the step, and held by no
     * other live slot.
     */
    private float[][] writableInputs(int s, Tensor[] in, RunBuffers buffers) {
        int[] dying = plan.releaseAfter(s);
        if (dying.length == 0) {
            return NO_ARRAYS;
        }
        int[] slots = plan.steps().get(s).inputs();
        float[][] found = null;
        int count = 0;
        for (int k = 0; k < in.length; k++) {
            if (in[k] == null || !in[k].dtype().isFloat() || !contains(dying, slots[k])) {
                continue;
            }
            float[] a = in[k].floats();
            boolean shared = false;
            for (int j = 0; j < in.length && !shared; j++) {
                shared = j != k && in[j] != null && in[j].dtype().isFloat()
                        && in[j].floats() == a;
            }
            if (!shared && buffers.mayWriteOver(a, s)) {
                if (found == null) {
                    found = new float[in.length][];
                }
                found[count++] = a;
            }
        }
        return found == null ? NO_ARRAYS : java.util.Arrays.copyOf(found, count);
    }

    private static boolean contains(int[] values, int v) {
        for (int x : values) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    /** Whether the outputs came from where {@code planned} says (no array made: every run). */
    private static boolean sourcesAre(Tensor[] out, RunBuffers buffers, int[] planned) {
        if (planned == null || planned.length != out.length) {
            return false;
        }
        for (int k = 0; k < out.length; k++) {
            if (source(out[k], buffers) != planned[k]) {
                return false;
            }
        }
        return true;
    }

    private static int source(Tensor t, RunBuffers buffers) {
        return t == null || !t.dtype().isFloat() ? AllocationLog.FOREIGN
                : buffers.allocationOf(t.floats());
    }

    /** Where each output's array came from: its allocation number in this run, or FOREIGN. */
    private static int[] sources(Tensor[] out, RunBuffers buffers) {
        int[] codes = new int[out.length];
        for (int k = 0; k < out.length; k++) {
            codes[k] = source(out[k], buffers);
        }
        return codes;
    }

    private Tensor[] runStep(Plan.Step step, Tensor[] in, RunContext ctx) {
        try {
            return step.kernel().run(in, ctx);
        } catch (ShapeException e) {
            throw new ShapeException(where(step) + e.getMessage());
        } catch (LanesException e) {
            throw new LanesException(where(step) + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new LanesException(where(step) + "failed: " + e, e);
        } catch (OutOfMemoryError e) {
            // A failed allocation leaves the heap as it was: the run fails, the server lives.
            throw new LanesException(where(step) + "ran out of memory (heap limit "
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB; inputs "
                    + describe(in) + ")", e);
        }
    }

    private static String describe(Tensor[] in) {
        StringBuilder b = new StringBuilder();
        for (Tensor t : in) {
            b.append(b.isEmpty() ? "" : ", ")
                    .append(t == null ? "-" : java.util.Arrays.toString(t.shapeView()));
        }
        return b.toString();
    }

    private static String where(Plan.Step step) {
        return "node '" + step.name() + "' (" + step.opType() + "): ";
    }

    /** Releases the session's resources; a closed session must not be run again. */
    @Override
    public void close() {
        // Nothing is held outside the Java heap yet; the method exists so callers can use
        // try-with-resources now and keep working when sessions own thread pools.
    }
}
