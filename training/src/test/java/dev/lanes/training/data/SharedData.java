package dev.lanes.training.data;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the shared test material lives and what happens when it is absent, as in the other
 * modules: {@code -Dlanes.shared} (the parent pom sets {@code ../shared}), else the environment
 * variable {@code LANES_SHARED}, else {@code ../shared}. A missing folder fails the test when
 * {@code CI=true} (CI must never pass by running nothing) and skips it elsewhere, saying why.
 */
public final class SharedData {
    private SharedData() {
    }

    /** The shared test material folder. */
    public static Path shared() {
        String p = System.getProperty("lanes.shared");
        if (p == null || p.isEmpty()) {
            p = System.getenv("LANES_SHARED");
        }
        return Path.of(p == null || p.isEmpty() ? "../shared" : p).toAbsolutePath().normalize();
    }

    /** {@code shared/datasets/<name>}, after {@link #require}. */
    public static Path dataset(String name) {
        Path dir = shared().resolve("datasets").resolve(name);
        require(dir, "the " + name + " data set");
        return dir;
    }

    /** Fails (CI) or skips the test when {@code dir} is missing. */
    public static void require(Path dir, String what) {
        if (Files.isDirectory(dir)) {
            return;
        }
        String msg = what + ": folder " + dir + " not found (set -Dlanes.shared or LANES_SHARED"
                + " to the shared test material)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail("CI=true and test data is missing. " + msg);
        }
        Assumptions.abort("skipped " + msg);
    }
}
