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
 * The ONNX node tests of the tensor and shape operators, from the shared ONNX 1.23 test data and
 * from Debian's libonnx-testdata (ONNX 1.12), which has the Slice, Split, Expand, Tile, Range,
 * NonZero, GatherElements, Size and EyeLike tests the shared set lacks.
 */
class TensorOpsConformanceTest {
    /**
     * The tests of this family; Pad (test_constant_pad), the Loop-based Range *_expanded and the
     * sequence and optional Identity tests are excluded.
     */
    static final Pattern OPS = Pattern.compile("^test_(concat_|constant$|constantofshape_"
            + "|dropout_|flatten_|gather_|gather_elements_|identity$|reshape_|shape|size"
            + "|squeeze|unsqueeze_|transpose_|slice|split_|expand_|tile|range_[a-z0-9_]*delta$"
            + "|nonzero_|eyelike_)");

    static final Path LIBONNX = Path.of("/usr/share/libonnx-testdata/data/node");

    @TestFactory
    Stream<DynamicTest> sharedNodeTests() throws IOException {
        return tests(BackendTestCase.shared().resolve("onnx-tests/node"));
    }

    @TestFactory
    Stream<DynamicTest> libonnxNodeTests() throws IOException {
        return tests(LIBONNX);
    }

    /** PyTorch-exported layer tests (opset 6 and 9) made only of this family's operators. */
    @TestFactory
    Stream<DynamicTest> pytorchTests() throws IOException {
        Path root = BackendTestCase.shared().resolve("onnx-tests/pytorch");
        Assumptions.assumeTrue(Files.isDirectory(root), "no test data at " + root);
        return Stream.of("pytorch-converted/test_Embedding",
                "pytorch-converted/test_Embedding_sparse", "pytorch-converted/test_PixelShuffle",
                "pytorch-operator/test_operator_concat2", "pytorch-operator/test_operator_flatten",
                "pytorch-operator/test_operator_permute2", "pytorch-operator/test_operator_view")
                .map(root::resolve)
                .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(),
                        () -> assertNull(BackendTestCase.run(p, 1e-5, 1e-5))));
    }

    private static Stream<DynamicTest> tests(Path root) throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(root), "no test data at " + root);
        return Files.list(root).filter(Files::isDirectory)
                .filter(p -> OPS.matcher(p.getFileName().toString()).find()).sorted()
                .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(),
                        () -> assertNull(BackendTestCase.run(p, 1e-5, 1e-5))));
    }
}
