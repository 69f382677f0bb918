package dev.lanes.cli;

import dev.lanes.training.Trainer;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress bar of one training epoch: steps done, the epoch's mean loss so far and images per
 * second. On a terminal it is redrawn in place at most every {@link #REDRAW_NANOS} and erased when
 * the epoch ends; elsewhere (a log, a pipe) only the finished bar is written, once.
 */
final class ProgressBar implements Trainer.Progress {
    static final int WIDTH = 30;
    static final long REDRAW_NANOS = 200_000_000L;

    private final PrintStream err;
    private final int epoch;
    private final int epochs;
    private final boolean live;
    private long lastDraw;
    private String last = "";

    ProgressBar(PrintStream err, int epoch, int epochs) {
        this(err, epoch, epochs, System.console() != null && err == System.err);
    }

    ProgressBar(PrintStream err, int epoch, int epochs, boolean live) {
        this.err = err;
        this.epoch = epoch;
        this.epochs = epochs;
        this.live = live;
    }

    @Override
    public void step(int done, int total, double meanLoss, double imagesPerSecond) {
        last = line(done, total, meanLoss, imagesPerSecond);
        long now = System.nanoTime();
        if (live && (now - lastDraw >= REDRAW_NANOS || done == total)) {
            err.print("\r" + last);
            err.flush();
            lastDraw = now;
        }
    }

    /** The bar's text after {@code done} of {@code total} steps. */
    String line(int done, int total, double meanLoss, double imagesPerSecond) {
        int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
        return String.format(Locale.ROOT, "epoch %d/%d [%s%s] %d/%d  loss %.4f  %.0f images/s", epoch, epochs,
                "#".repeat(filled), ".".repeat(WIDTH - filled), done, total, meanLoss, imagesPerSecond);
    }

    /** Ends the epoch's bar: erased on a terminal (the epoch's line follows on stdout), written once elsewhere. */
    void finish() {
        if (live) {
            err.print("\r" + " ".repeat(last.length()) + "\r");
        } else if (!last.isEmpty()) {
            err.println(last);
        }
        err.flush();
    }
}
