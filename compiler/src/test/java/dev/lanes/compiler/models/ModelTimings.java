package dev.lanes.compiler.models;

import dev.lanes.compiler.conformance.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The wall-clock time of each model test in this JVM, printed as each finishes and written to
 * {@code target/model-timings.txt} so the cost of the model suite stays visible.
 */
final class ModelTimings {
    private static final List<String> LINES = new ArrayList<>();

    private ModelTimings() {
    }

    /** Records one test's time, split into compiling and running, with a remark. */
    static synchronized void record(String test, long compileNanos, long runNanos, String note) {
        String line = String.format("%-45s compile %7.2f s  run %7.2f s  %s", test,
                compileNanos / 1e9, runNanos / 1e9, note);
        LINES.add(line);
        System.out.println("model timing: " + line);
    }

    /** Writes every time recorded so far. */
    static synchronized void write() {
        Path file = SharedData.buildDir().resolve("model-timings.txt");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, LINES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
