package dev.lanes.training.optim;

/** Argument checks the schedules share, so their errors read the same. */
final class Schedules {
    private Schedules() {
    }

    static void checkRate(double lr, String what) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException(what + " must be finite and >= 0, got " + lr);
        }
    }

    static void checkStep(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("negative step " + step);
        }
    }
}
