package dev.lanes.training.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An optimizer's state as plain data, for a checkpoint: which optimizer it belongs to, how
 * many steps it has taken (bias correction and the learning-rate schedule depend on it) and
 * its per-parameter buffers, keyed by {@code "<buffer>/<parameter name>"} (for example
 * {@code "m/conv1.weight"}). The arrays are copies: changing them changes neither the optimizer
 * that exported them nor one that loads them.
 *
 * @param kind the optimizer's kind, e.g. {@code "sgd"}; loading checks it
 * @param steps steps taken
 * @param buffers per-parameter buffers in a fixed order
 */
public record OptimizerState(String kind, long steps, Map<String, float[]> buffers) {
    /** Copies the buffers so the state is a value, detached from any optimizer. */
    public OptimizerState {
        Objects.requireNonNull(kind, "kind");
        if (steps < 0) {
            throw new IllegalArgumentException("negative step count " + steps);
        }
        Map<String, float[]> copy = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : buffers.entrySet()) {
            copy.put(e.getKey(), e.getValue().clone());
        }
        buffers = Collections.unmodifiableMap(copy);
    }

    /** A copy of one buffer; an error naming the buffer when the state has none by that name. */
    public float[] buffer(String key) {
        float[] b = buffers.get(key);
        if (b == null) {
            throw new IllegalArgumentException(kind + " state has no buffer " + key
                    + " (it has " + buffers.keySet() + ")");
        }
        return b.clone();
    }
}
