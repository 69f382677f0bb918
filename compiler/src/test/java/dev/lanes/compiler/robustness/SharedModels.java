package dev.lanes.compiler.robustness;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;

/**
 * The shared model files: {@code <shared>/models/<name>/model.onnx}, where {@code <shared>} is
 * the system property {@code lanes.shared} (set by the parent pom) or the environment variable
 * {@code LANES_SHARED}. Without them a test is skipped with a message, except on CI
 * ({@code CI=true}), where missing test material is a failure.
 */
final class SharedModels {
    private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();

    private SharedModels() {
    }

    /** The shared folder, or the test is skipped (failed on CI) when it is missing. */
    static Path folder() {
        Path dir = modelsIn(System.getProperty("lanes.shared"));
        if (dir == null) {
            // The pom's default (../shared beside the checkout) is missing in a worktree.
            dir = modelsIn(System.getenv("LANES_SHARED"));
        }
        if (dir == null) {
            String msg = "shared models not found (lanes.shared="
                    + System.getProperty("lanes.shared") + ", LANES_SHARED="
                    + System.getenv("LANES_SHARED") + "): set either to the folder holding"
                    + " models/";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(msg);
            }
            Assumptions.abort(msg);
        }
        return dir;
    }

    private static Path modelsIn(String shared) {
        if (shared == null || shared.isBlank()) {
            return null;
        }
        Path dir = Path.of(shared, "models");
        return Files.isDirectory(dir) ? dir : null;
    }

    /** The bytes of one shared model, read once. */
    static byte[] bytes(String model) {
        Path file = folder().resolve(model).resolve("model.onnx");
        if (!Files.isRegularFile(file)) {
            String msg = "shared model missing: " + file;
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(msg);
            }
            Assumptions.abort(msg);
        }
        return CACHE.computeIfAbsent(model, m -> {
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
