package dev.lanes.runtime.plan;

import dev.lanes.runtime.Plan;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.SessionOptions;

/**
 * A plan as loaded from a file, with how it was compiled.
 *
 * @param plan     the plan, ready for a {@link Session}
 * @param info     how it was compiled
 * @param producer what wrote the file ("lanes 0.1.0")
 */
public record SavedPlan(Plan plan, PlanInfo info, String producer) {

    /**
     * The session options the plan asks for: the thread count it was compiled for, or one
     * thread per core when it was compiled for any.
     */
    public SessionOptions sessionOptions() {
        return info.threads() > 0 ? new SessionOptions(info.threads())
                : SessionOptions.defaults();
    }

    /** A session running the plan with {@link #sessionOptions()}. */
    public Session session() {
        return new Session(plan, sessionOptions());
    }
}
