package dev.lanes.compiler.ops;

import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lanes.compiler.conformance.BackendTestCase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs backend-test folders of another suite than the node tests: {@code -Dlanes.math.suite} is
 * a folder in that layout (e.g. {@code /work/shared/onnx-tests/node-expanded} or
 * {@code /usr/share/libonnx-testdata/data/node}) and {@code -Dlanes.math.filter} a regex over
 * folder names. Without the suite property nothing runs.
 */
class MathConformanceTest {
    @TestFactory
    Stream<DynamicTest> suite() throws IOException {
        String suite = System.getProperty("lanes.math.suite", "");
        Assumptions.assumeFalse(suite.isEmpty(), "no -Dlanes.math.suite given");
        Path root = Path.of(suite);
        Assumptions.assumeTrue(Files.isDirectory(root), "no test data at " + root);
        Pattern filter = Pattern.compile(System.getProperty("lanes.math.filter", ".*"));
        return Files.list(root).filter(Files::isDirectory)
                .filter(p -> filter.matcher(p.getFileName().toString()).find()).sorted()
                .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(),
                        () -> assertNull(BackendTestCase.run(p, 1e-4, 1e-3))));
    }
}
