package dev.lanes.compiler.conformance;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the ONNX node tests of {@code ../shared/onnx-tests/node} whose folder name matches
 * {@code -Dlanes.node.filter} (a regex; default: all).
 */
class NodeConformanceTest {
    @TestFactory
    Stream<DynamicTest> nodeTests() throws IOException {
        Path root = BackendTestCase.shared().resolve("onnx-tests/node");
        Assumptions.assumeTrue(Files.isDirectory(root), "no test data at " + root);
        Pattern filter = Pattern.compile(System.getProperty("lanes.node.filter", ".*"));
        return Files.list(root).filter(Files::isDirectory)
                .filter(p -> filter.matcher(p.getFileName().toString()).find()).sorted()
                .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(),
                        () -> assertNull(BackendTestCase.run(p, 1e-4, 1e-3))));
    }
}
