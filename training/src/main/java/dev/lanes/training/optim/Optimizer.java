package dev.lanes.training.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Updates a fixed list of parameters from their gradients, one {@link #step()} per mini-batch.
 * The learning rate is a setting, not state: a {@link ScheduledOptimizer} sets it before each
 * step from a schedule of the step count, so a resumed run gets the same rates.
 *
 * <p>A subclass owns per-parameter buffers (moments) allocated once, as long as each parameter;
 * {@link #state()} and {@link #load(OptimizerState)} export and restore them with the step
 * count as plain arrays.
 */
public abstract class Optimizer {
    private final List<Param> params;
    private final Map<String, float[][]> buffers = new LinkedHashMap<>();
    private double learningRate;
    private long steps;
    private ParameterUpdates updates = ParameterUpdates.HOST;

    /**
     * @param params the parameters this optimizer updates; names must be unique
     * @param learningRate the rate until {@link #setLearningRate} changes it
     */
    protected Optimizer(List<? extends Param> params, double learningRate) {
        this.params = List.copyOf(params);
        Set<String> names = new HashSet<>();
        for (Param p : this.params) {
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("two parameters are named " + p.name()
                        + ": the optimizer state is keyed by name");
            }
            if (p.value().length != p.grad().length) {
                throw new IllegalArgumentException("parameter " + p.name() + ": "
                        + p.value().length + " values but " + p.grad().length + " gradient elements");
            }
        }
        setLearningRate(learningRate);
    }

    /** The kind written into the exported state, e.g. {@code "adam"}. */
    protected abstract String kind();

    /**
     * Updates parameter {@code p} (index {@code i} into {@link #params()}) by one step with
     * learning rate {@code lr}; {@code t} is the 1-based number of this step.
     */
    protected abstract void update(int i, Param p, double lr, long t);

    /** Allocates a zero buffer per parameter under {@code name}; subclasses call it once. */
    protected final float[][] buffer(String name) {
        float[][] b = new float[params.size()][];
        for (int i = 0; i < b.length; i++) {
            b[i] = new float[params.get(i).value().length];
        }
        buffers.put(name, b);
        return b;
    }

    /** Runs the element-wise updates on {@code updates} from now on (the host by default). */
    public final void runUpdatesOn(ParameterUpdates updates) {
        this.updates = java.util.Objects.requireNonNull(updates, "updates");
    }

    /** Where the element-wise updates run. */
    protected final ParameterUpdates updates() {
        return updates;
    }

    /** Applies one update to every parameter with the current learning rate. */
    public final void step() {
        long t = steps + 1;
        for (int i = 0; i < params.size(); i++) {
            update(i, params.get(i), learningRate, t);
        }
        steps = t;
    }

    /** Sets every parameter's gradient to zero, ready for the next backward pass. */
    public final void zeroGrad() {
        for (Param p : params) {
            Arrays.fill(p.grad(), 0f);
        }
    }

    /** The parameters, in the order given. */
    public final List<Param> params() {
        return params;
    }

    /** Steps taken so far (restored by {@link #load}). */
    public final long steps() {
        return steps;
    }

    /** The learning rate the next step uses. */
    public final double learningRate() {
        return learningRate;
    }

    /** Sets the learning rate of the following steps; it must be finite and not negative. */
    public final void setLearningRate(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + lr);
        }
        this.learningRate = lr;
    }

    /** The step count and copies of every buffer, for a checkpoint. */
    public final OptimizerState state() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, float[][]> e : buffers.entrySet()) {
            for (int i = 0; i < params.size(); i++) {
                out.put(e.getKey() + "/" + params.get(i).name(), e.getValue()[i]);
            }
        }
        return new OptimizerState(kind(), steps, out);
    }

    /**
     * Restores a state exported by an optimizer of the same kind over parameters of the same
     * names and lengths; anything else is an error naming what differs, and leaves this
     * optimizer unchanged.
     */
    public final void load(OptimizerState state) {
        if (!state.kind().equals(kind())) {
            throw new IllegalArgumentException("cannot load " + state.kind()
                    + " optimizer state into a " + kind() + " optimizer");
        }
        List<Runnable> copies = new ArrayList<>();
        Set<String> expected = new HashSet<>();
        for (Map.Entry<String, float[][]> e : buffers.entrySet()) {
            for (int i = 0; i < params.size(); i++) {
                String key = e.getKey() + "/" + params.get(i).name();
                expected.add(key);
                float[] src = state.buffers().get(key);
                float[] dst = e.getValue()[i];
                if (src == null) {
                    throw new IllegalArgumentException(kind() + " state lacks buffer " + key);
                }
                if (src.length != dst.length) {
                    throw new IllegalArgumentException(kind() + " state buffer " + key + " has "
                            + src.length + " elements, the parameter has " + dst.length);
                }
                copies.add(() -> System.arraycopy(src, 0, dst, 0, dst.length));
            }
        }
        for (String key : state.buffers().keySet()) {
            if (!expected.contains(key)) {
                throw new IllegalArgumentException(kind() + " state has buffer " + key
                        + " for no parameter of this optimizer");
            }
        }
        copies.forEach(Runnable::run);
        steps = state.steps();
    }
}
