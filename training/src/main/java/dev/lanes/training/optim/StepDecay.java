package dev.lanes.training.optim;

/**
 * The rate multiplied by {@code gamma} every {@code period} steps, as PyTorch's {@code StepLR}:
 * {@code at(s) = base * gamma^floor(s / period)}. Wrap it in {@link PerEpoch} to decay every
 * {@code period} epochs.
 *
 * @param base the rate of the first period
 * @param gamma the factor per period, in (0, 1]
 * @param period the length of a period in steps, at least 1
 */
public record StepDecay(double base, double gamma, long period) implements LearningRateSchedule {
    /** Checks the arguments. */
    public StepDecay {
        Schedules.checkRate(base, "base learning rate");
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma must be in (0, 1], got " + gamma);
        }
        if (period < 1) {
            throw new IllegalArgumentException("period must be at least 1 step, got " + period);
        }
    }

    @Override
    public double at(long step) {
        Schedules.checkStep(step);
        return base * Math.pow(gamma, step / period);
    }
}
