package dev.lanes.compiler.models;

import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lanes.compiler.conformance.BackendTestCase;
import dev.lanes.compiler.conformance.SharedData;
import dev.lanes.formats.TensorProtos;
import dev.lanes.runtime.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Checks the checker: the ONNX Runtime reference used by the comparisons reproduces a model's
 * stored expected outputs (mnist-8, data set 0), so a mismatch in those comparisons is Lanes'.
 */
class OrtReferenceTest {
    @Test
    void reproducesExpectedOutputs() throws Exception {
        Path dir = SharedData.shared().resolve("models/mnist-8");
        SharedData.require(dir, "ONNX Runtime reference check");
        Path set = dir.resolve("test_data_set_0");
        Tensor input = Tensor.from(TensorProtos.read(set.resolve("input_0.pb")));
        Tensor want = Tensor.from(TensorProtos.read(set.resolve("output_0.pb")));
        Map<String, Tensor> out = OrtReference.run(Files.readAllBytes(dir.resolve("model.onnx")),
                Map.of("Input3", input));
        assertNull(BackendTestCase.compare(want, out.get("Plus214_Output_0"), 1e-4, 1e-3));
    }
}
