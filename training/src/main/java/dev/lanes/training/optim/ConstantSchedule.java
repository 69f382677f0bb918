package dev.lanes.training.optim;

/**
 * The same learning rate at every step.
 *
 * @param lr the rate, at least 0
 */
public record ConstantSchedule(double lr) implements LearningRateSchedule {
    /** Checks the rate. */
    public ConstantSchedule {
        Schedules.checkRate(lr, "learning rate");
    }

    @Override
    public double at(long step) {
        return lr;
    }
}
