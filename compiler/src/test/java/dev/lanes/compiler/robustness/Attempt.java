package dev.lanes.compiler.robustness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.lanes.Lanes;
import dev.lanes.compiler.CompileOptions;
import dev.lanes.errors.LanesException;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.SessionOptions;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.ValueInfo;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loads a model through the public path ({@link Lanes#load(byte[], String, SessionOptions,
 * CompileOptions)}) and, if it loads, runs it once on a valid input, on a worker thread with a
 * time limit. The only acceptable endings are success and a {@link LanesException}: any other
 * exception, an {@link Error} (out of memory, stack overflow) or running past the limit fails
 * the calling test, naming the variant.
 */
final class Attempt {
    /** How an attempt ended. */
    enum Result {
        /** Loaded and ran on a valid input. */
        RAN,
        /** Loaded; its inputs were too large or of unknown rank to make one up. */
        LOADED,
        /** Rejected while loading and compiling. */
        REJECTED_AT_LOAD,
        /** Loaded but the run was rejected. */
        REJECTED_AT_RUN
    }

    /**
     * The ending of an attempt.
     *
     * @param result how it ended
     * @param error  the Lanes error when rejected, else null
     */
    record Outcome(Result result, LanesException error) {
        boolean rejected() {
            return error != null;
        }
    }

    /** Inputs with more elements than this are not made up; loading is still checked. */
    private static final long MAX_INPUT_ELEMENTS = 1L << 22;

    private static final AtomicInteger RUNNING = new AtomicInteger();
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        // The stack a server thread typically has: deep recursion on hostile input shows here.
        Thread t = new Thread(null, r, "robustness-attempt", 1 << 20);
        t.setDaemon(true); // a hung attempt must not keep the test JVM alive
        return t;
    });

    private Attempt() {
    }

    /** Loads and runs {@code model} within {@code limit}; fails the test on a bad ending. */
    static Outcome of(String label, byte[] model, Duration limit) {
        Future<Outcome> f = POOL.submit(() -> {
            RUNNING.incrementAndGet();
            try {
                return loadAndRun(label, model);
            } finally {
                RUNNING.decrementAndGet();
            }
        });
        try {
            return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            return fail(label + ": neither loaded nor failed within " + limit + " (a hang?)");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            return fail(label + ": ended in " + c + " instead of success or a LanesException", c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(label + ": interrupted");
        }
    }

    private static Outcome loadAndRun(String label, byte[] model) {
        Session s;
        try {
            s = Lanes.load(model, label, SessionOptions.defaults(), CompileOptions.defaults());
        } catch (LanesException e) {
            return new Outcome(Result.REJECTED_AT_LOAD, e);
        }
        try (s) {
            Map<String, Tensor> in = validInputs(s, 1);
            if (in == null) {
                return new Outcome(Result.LOADED, null);
            }
            try {
                Map<String, Tensor> out = s.run(in);
                if (out.size() > s.outputs().size()) {
                    fail(label + ": " + out.size() + " outputs for " + s.outputs().size()
                            + " declared");
                }
                return new Outcome(Result.RAN, null);
            } catch (LanesException e) {
                return new Outcome(Result.REJECTED_AT_RUN, e);
            }
        }
    }

    /**
     * Inputs matching a session's signature, free dimensions set to {@code free}; null when an
     * input has unknown rank or would be too large.
     */
    static Map<String, Tensor> validInputs(Session s, int free) {
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (ValueInfo v : s.inputs()) {
            if (v.dims() == null) {
                return null;
            }
            int[] shape = v.dims().clone();
            long n = 1;
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] < 0) {
                    shape[i] = free;
                }
                n *= shape[i];
                if (n > MAX_INPUT_ELEMENTS) {
                    return null;
                }
            }
            if (v.dtype().isFloat()) {
                float[] data = new float[(int) n];
                for (int i = 0; i < data.length; i++) {
                    data[i] = (float) Math.sin(i * 0.37);
                }
                in.put(v.name(), Tensor.of(data, shape));
            } else {
                in.put(v.name(), Tensor.zeros(v.dtype(), shape));
            }
        }
        return in;
    }

    /**
     * Checks that every attempt has finished and that the JVM still loads and runs a model
     * correctly after all the bad ones.
     */
    static void assertJvmHealthy() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (RUNNING.get() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(0, RUNNING.get(), "attempts still running after the suite");
        byte[] good = TinyModels.addRelu().toByteArray();
        try (Session s = Lanes.load(good, "healthy", SessionOptions.defaults(),
                CompileOptions.defaults())) {
            Tensor y = s.run(Tensor.of(new float[] {0, 0, 0, 1, 1, -5}, 2, 3)).get("y");
            assertArrayEquals(new float[] {1, 0, 3, 2, 0, 0}, y.floats());
        }
        // A sizeable allocation still succeeds: nothing leaked the heap away.
        float[] probe = new float[1 << 24];
        probe[probe.length - 1] = 1;
        assertEquals(1, probe[probe.length - 1]);
    }
}
