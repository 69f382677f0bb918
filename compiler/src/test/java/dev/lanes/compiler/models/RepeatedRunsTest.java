package dev.lanes.compiler.models;

import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lanes.Lanes;
import dev.lanes.compiler.CompileOptions;
import dev.lanes.compiler.conformance.BackendTestCase;
import dev.lanes.compiler.conformance.SharedData;
import dev.lanes.formats.TensorProtos;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.SessionOptions;
import dev.lanes.runtime.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs reuse the arrays of earlier runs (the session's buffer pool): the same input run again
 * and again, alternating with another batch size, must give the same, expected output.
 */
class RepeatedRunsTest {
    @ParameterizedTest
    @ValueSource(strings = {"seed_ops", "squeezenet1_1", "mobilenet_v2", "mobilenet_v3_small",
            "shufflenet_v2_x1_0"})
    void recycledBuffersGiveTheSameOutputs(String name) throws Exception {
        Path dir = SharedData.shared().resolve("models").resolve(name);
        if (!Files.isDirectory(dir)) {
            SharedData.require(dir, "repeated-runs model test");
            Assumptions.abort("no " + dir);
        }
        Session s = Lanes.load(dir.resolve("model.onnx"), new SessionOptions(2),
                CompileOptions.defaults());
        Tensor x1 = Tensor.from(TensorProtos.read(dir.resolve("test_data_set_0/input_0.pb")));
        Tensor x3 = Tensor.from(TensorProtos.read(dir.resolve("test_data_set_1/input_0.pb")));
        Tensor want1 = Tensor.from(TensorProtos.read(dir.resolve("test_data_set_0/output_0.pb")));
        Tensor first = s.run(x1).values().iterator().next();
        // float32 against PyTorch's float32: 1e-4 abs + 1e-3 rel, as in the model suite.
        assertNull(BackendTestCase.compare(want1, first, 1e-4, 1e-3));
        for (int rep = 0; rep < 4; rep++) {
            s.run(x3);
            Tensor again = s.run(x1).values().iterator().next();
            // Not bit-exact: the Vector API leaves the order of a lane reduction unspecified, and
            // it changes when the JIT recompiles a kernel; stale data in a recycled array would
            // be far outside 1e-6 abs + 1e-5 rel.
            assertNull(BackendTestCase.compare(first, again, 1e-6, 1e-5), "run " + rep);
        }
    }
}
