package dev.lanes.training.optim;

/**
 * The learning rate as a function of the step: {@link #at(long) at(s)} is the rate of step
 * {@code s}, counted from 0 for the first optimizer step. Schedules are per optimizer step (one
 * mini-batch); a schedule meant per epoch is wrapped in {@link PerEpoch}, which holds the rate
 * for a whole epoch. Because the rate depends only on the step count, which the optimizer's
 * state holds, a resumed run continues the schedule where it stopped.
 */
public interface LearningRateSchedule {
    /** The learning rate of step {@code step} (0-based); never negative. */
    double at(long step);

    /** The same rate at every step. */
    static LearningRateSchedule constant(double lr) {
        return new ConstantSchedule(lr);
    }
}
