package dev.lanes.training.optim;

/**
 * Linear warm-up, then cosine annealing (Loshchilov and Hutter, SGDR, without restarts), per
 * step. With peak rate {@code P}, final rate {@code F}, {@code W} warm-up steps and {@code T}
 * steps in all:
 *
 * <pre>
 *   at(s) = P * (s + 1) / W                                   for s &lt; W
 *   at(s) = F + (P - F) * (1 + cos(pi * (s - W) / (T - W))) / 2   for W &lt;= s &lt; T
 *   at(s) = F                                                 for s &gt;= T
 * </pre>
 *
 * The warm-up counts from {@code s + 1} so that the first step already moves (a rate of 0 would
 * waste it) and the last warm-up step, {@code W - 1}, reaches the peak; the cosine then starts
 * at the peak at step {@code W} and is halfway, {@code (P + F) / 2}, at step {@code W + (T - W) / 2}.
 * For "one epoch of warm-up, then cosine over 15 epochs" use {@code W} = steps per epoch and
 * {@code T} = 15 times that.
 *
 * @param peak the rate at the end of the warm-up
 * @param last the rate the cosine ends at (often 0)
 * @param warmupSteps {@code W}, at least 0 (0: no warm-up)
 * @param totalSteps {@code T}, more than {@code W}
 */
public record WarmupCosine(double peak, double last, long warmupSteps, long totalSteps)
        implements LearningRateSchedule {
    /** Checks the arguments. */
    public WarmupCosine {
        Schedules.checkRate(peak, "peak learning rate");
        Schedules.checkRate(last, "final learning rate");
        if (last > peak) {
            throw new IllegalArgumentException("final rate " + last + " is above the peak " + peak);
        }
        if (warmupSteps < 0 || totalSteps <= warmupSteps) {
            throw new IllegalArgumentException("need 0 <= warm-up steps < total steps, got "
                    + warmupSteps + " and " + totalSteps);
        }
    }

    @Override
    public double at(long step) {
        Schedules.checkStep(step);
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        if (step >= totalSteps) {
            return last;
        }
        double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        return last + (peak - last) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
