package dev.lanes.cli;

import dev.lanes.runtime.Tensor;
import java.util.Map;

/** One inference engine the bench command times: it runs the same inputs again and again. */
interface BenchEngine extends AutoCloseable {
    /** A name for tables, e.g. "Lanes" or "ORT 1.29.0". */
    String label();

    /** Runs the model once and returns its outputs by name, in graph order. */
    Map<String, Tensor> run();

    /** Releases what the engine holds. */
    @Override
    void close();
}
