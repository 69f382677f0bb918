package dev.lanes.compiler.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;

/**
 * Where the test material lives and what happens when it is absent. The shared folder is
 * {@code -Dlanes.shared} (the parent pom sets it to {@code ../shared} from the repository root),
 * else the environment variable {@code LANES_SHARED}, else {@code ../shared}. Debian's ONNX 1.12
 * conformance data is {@code -Dlanes.onnx.testdata}.
 *
 * <p>A missing folder fails the test when the environment variable {@code CI} is {@code true}
 * (CI must never pass by running nothing) and skips it elsewhere, saying what was skipped and why.
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

    /** Debian's {@code libonnx-testdata} node tests (ONNX 1.12). */
    public static Path onnxTestdata() {
        String p = System.getProperty("lanes.onnx.testdata");
        return Path.of(p == null || p.isEmpty() ? "/usr/share/libonnx-testdata/data/node" : p);
    }

    /** The build output folder, where reports are written. */
    public static Path buildDir() {
        String p = System.getProperty("lanes.build.dir");
        return Path.of(p == null || p.isEmpty() ? "target" : p);
    }

    /** True on CI, where missing data is an error rather than a reason to skip. */
    public static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Checks that {@code dir} is a folder; if not, fails (on CI) or aborts the current test as
     * skipped, naming the folder, what needed it and how to provide it.
     */
    public static void require(Path dir, String what) {
        if (Files.isDirectory(dir)) {
            return;
        }
        String hint = dir.startsWith(onnxTestdata())
                ? "install Debian's libonnx-testdata package or set -Dlanes.onnx.testdata"
                : "set -Dlanes.shared or LANES_SHARED to the shared test material";
        String msg = what + ": folder " + dir + " not found (" + hint + ")";
        if (onCi()) {
            Assertions.fail("CI=true and test data is missing. " + msg);
        }
        Assumptions.abort("skipped " + msg);
    }

    /**
     * A test standing for a whole group whose data folder is missing, so the skip (or, on CI,
     * the failure) is reported as a test with its reason rather than as nothing at all.
     */
    public static DynamicTest missing(String name, Path dir, String what) {
        return DynamicTest.dynamicTest(name + " (data missing)", () -> require(dir, what));
    }
}
