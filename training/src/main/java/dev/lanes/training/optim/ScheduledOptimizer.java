package dev.lanes.training.optim;

import java.util.Objects;

/**
 * An optimizer driven by a learning-rate schedule: each {@link #step()} sets the rate to
 * {@code schedule.at(optimizer.steps())} and then steps. The position in the schedule is the
 * optimizer's own step count, so loading a checkpointed {@link OptimizerState} also restores
 * where the schedule was.
 */
public final class ScheduledOptimizer {
    private final Optimizer optimizer;
    private final LearningRateSchedule schedule;

    /** Drives {@code optimizer} by {@code schedule}. */
    public ScheduledOptimizer(Optimizer optimizer, LearningRateSchedule schedule) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
    }

    /** Sets this step's rate from the schedule, steps, and returns the rate used. */
    public double step() {
        double lr = schedule.at(optimizer.steps());
        optimizer.setLearningRate(lr);
        optimizer.step();
        return lr;
    }

    /** The optimizer being driven. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** The schedule. */
    public LearningRateSchedule schedule() {
        return schedule;
    }
}
