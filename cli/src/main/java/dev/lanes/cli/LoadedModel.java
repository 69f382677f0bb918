package dev.lanes.cli;

import dev.lanes.Lanes;
import dev.lanes.compiler.CompileOptions;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.SessionOptions;
import dev.lanes.runtime.plan.SavedPlan;
import java.nio.file.Path;

/**
 * A model file loaded for a command: an ONNX model compiled now, or a plan saved by
 * {@code lanes compile} loaded without compiling (the file's content decides, not its name).
 *
 * @param session   the session running it
 * @param plan      true when the file was a plan
 * @param loadNanos the time reading (and compiling) took
 * @param threads   the session's thread count
 */
record LoadedModel(Session session, boolean plan, long loadNanos, int threads) {

    /**
     * Loads a model; {@code threads} null means the default: every core for an ONNX model, the
     * thread count a plan was compiled for. Compile options other than the defaults are a
     * usage error for a plan, which is compiled already.
     */
    static LoadedModel load(Path model, Integer threads, CompileOptions options)
            throws UsageException {
        long t0 = System.nanoTime();
        if (Lanes.isPlan(model)) {
            if (!options.disabledPasses().isEmpty()) {
                throw new UsageException(model + " is a compiled plan: --disable-pass applies"
                        + " to ONNX models ('lanes compile --disable-pass' makes a plan"
                        + " without the pass)");
            }
            SavedPlan saved = Lanes.readPlan(model);
            int n = threads != null ? threads : saved.sessionOptions().threads();
            Session s = new Session(saved.plan(), new SessionOptions(n));
            return new LoadedModel(s, true, System.nanoTime() - t0, n);
        }
        int n = threads != null ? threads : SessionOptions.defaults().threads();
        Session s = Lanes.load(model, new SessionOptions(n), options);
        return new LoadedModel(s, false, System.nanoTime() - t0, n);
    }

    /** How the load is described: "loaded plan" or "loaded and compiled". */
    String verb() {
        return plan ? "loaded plan" : "loaded and compiled";
    }
}
