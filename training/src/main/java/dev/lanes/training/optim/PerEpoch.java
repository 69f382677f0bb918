package dev.lanes.training.optim;

/**
 * Runs a schedule whose unit is the epoch: step {@code s} gets {@code epochs.at(s / stepsPerEpoch)},
 * so the rate changes only at epoch boundaries, as PyTorch schedulers stepped once per epoch do.
 *
 * @param epochs the schedule over epoch numbers (0-based)
 * @param stepsPerEpoch optimizer steps in one epoch, at least 1
 */
public record PerEpoch(LearningRateSchedule epochs, long stepsPerEpoch) implements LearningRateSchedule {
    /** Checks the arguments. */
    public PerEpoch {
        java.util.Objects.requireNonNull(epochs, "epochs");
        if (stepsPerEpoch < 1) {
            throw new IllegalArgumentException("steps per epoch must be at least 1, got " + stepsPerEpoch);
        }
    }

    @Override
    public double at(long step) {
        Schedules.checkStep(step);
        return epochs.at(step / stepsPerEpoch);
    }
}
