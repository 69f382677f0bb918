package dev.lanes.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A training run's metrics as CSV, one line per epoch: {@code epoch,train_loss,test_accuracy,
 * images_per_s,seconds}, accuracy as a fraction, numbers in the C locale so that any tool reads
 * them.
 */
public final class MetricsCsv {
    /** The first line of the file. */
    public static final String HEADER = "epoch,train_loss,test_accuracy,images_per_s,seconds";

    private MetricsCsv() {
    }

    /** The file's text for these epochs. */
    public static String text(List<Trainer.EpochMetrics> epochs) {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        for (Trainer.EpochMetrics m : epochs) {
            b.append(String.format(Locale.ROOT, "%d,%.6f,%.4f,%.1f,%.2f%n", m.epoch(),
                    m.trainLoss(), m.testAccuracy(), m.imagesPerSecond(), m.seconds()));
        }
        return b.toString();
    }

    /** Writes the file. */
    public static void write(Path file, List<Trainer.EpochMetrics> epochs) {
        try {
            Files.writeString(file, text(epochs), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
