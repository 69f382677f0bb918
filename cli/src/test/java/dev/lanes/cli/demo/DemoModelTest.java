package dev.lanes.cli.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.Lanes;
import dev.lanes.compiler.CompileOptions;
import dev.lanes.compiler.inspect.ModelSummary;
import dev.lanes.compiler.ops.OpRegistry;
import dev.lanes.formats.ModelReader;
import dev.lanes.formats.TensorData;
import dev.lanes.formats.TensorProtos;
import dev.lanes.formats.onnx.Onnx.GraphProto;
import dev.lanes.formats.onnx.Onnx.ModelProto;
import dev.lanes.formats.onnx.Onnx.NodeProto;
import dev.lanes.formats.onnx.Onnx.TensorProto;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.SessionOptions;
import dev.lanes.runtime.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class DemoModelTest {
    static final List<String> OPS = List.of("Conv", "BatchNormalization", "Relu", "MaxPool",
            "Conv", "Relu", "GlobalAveragePool", "Flatten", "Gemm", "Softmax");

    /** True when this build registers every operator the demo uses. */
    static boolean lanesRunsTheDemo() {
        return OpRegistry.defaults().all().keySet().containsAll(Set.copyOf(OPS));
    }

    @Test
    void hasTheDocumentedLayersAndSignature() {
        ModelProto m = ModelReader.read(DemoModel.create().bytes(), "demo");
        GraphProto g = m.getGraph();
        assertEquals(OPS, g.getNodeList().stream().map(NodeProto::getOpType).toList());
        assertEquals(13, m.getOpsetImport(0).getVersion());
        assertEquals(1, g.getInputCount());
        assertEquals(DemoModel.INPUT, g.getInput(0).getName());
        assertEquals("N", g.getInput(0).getType().getTensorType().getShape().getDim(0)
                .getDimParam());
        assertEquals(List.of(DemoModel.OUTPUT), List.of(g.getOutput(0).getName()));
        assertEquals(OPS.size(), DemoModel.create().layers().size());
        NodeProto pool = g.getNode(3);
        assertEquals("kernel_shape", pool.getAttribute(0).getName());
        assertEquals(List.of(2L, 2L), pool.getAttribute(0).getIntsList());
    }

    @Test
    void hasHeInitialisedWeightsOfTheRightShapes() {
        Map<String, TensorData> w = weights(DemoModel.create().proto());
        assertArrayEquals(new long[] {8, 1, 3, 3}, w.get("conv1.weight").dims());
        assertArrayEquals(new long[] {16, 8, 3, 3}, w.get("conv2.weight").dims());
        assertArrayEquals(new long[] {10, 16}, w.get("fc.weight").dims());
        assertArrayEquals(new long[] {8}, w.get("bn1.var").dims());
        for (float v : w.get("bn1.var").floats()) {
            assertTrue(v > 0, "variance " + v);
        }
        // conv2 has 1152 weights drawn with std sqrt(2 / 72); the sample std is within 10%.
        float[] c2 = w.get("conv2.weight").floats();
        double mean = 0;
        double sq = 0;
        for (float v : c2) {
            mean += v;
            sq += v * v;
        }
        mean /= c2.length;
        double std = Math.sqrt(sq / c2.length - mean * mean);
        assertEquals(Math.sqrt(2.0 / 72), std, 0.1 * Math.sqrt(2.0 / 72));
    }

    @Test
    void isDeterministicPerSeed() {
        assertArrayEquals(DemoModel.create().bytes(), DemoModel.create().bytes());
        assertFalse(java.util.Arrays.equals(DemoModel.create(1).bytes(),
                DemoModel.create(2).bytes()));
    }

    @Test
    void summaryCountsItsParametersAndMacs() {
        ModelSummary s = ModelSummary.of(DemoModel.create().proto(), null);
        long params = DemoModel.create().layers().stream().mapToLong(DemoModel.Layer::parameters)
                .sum();
        assertEquals(8 * 9 + 8 + 4 * 8 + 16 * 72 + 16 + 160 + 10, s.parameterCount());
        assertEquals(s.parameterCount(), params);
        // conv1: 8 x 28 x 28 outputs x 9; conv2: 16 x 12 x 12 outputs x 72; fc: 16 x 10.
        assertEquals(8 * 28 * 28 * 9 + 16 * 12 * 12 * 72 + 160, s.totalMacs());
        assertEquals(10, s.nodeCount());
    }

    @Test
    void referenceOutputIsAProbabilityDistribution() {
        float[] p = new ReferenceCnn(DemoModel.create().proto()).run(DigitImage.synthetic()
                .pixels());
        double sum = 0;
        for (float v : p) {
            assertTrue(v > 0 && v < 1, "probability " + v);
            sum += v;
        }
        assertEquals(1, sum, 1e-5);
    }

    @Test
    void lanesMatchesTheReferenceEvaluation() {
        Assumptions.assumeTrue(lanesRunsTheDemo(),
                "this build lacks some of the demo's operators " + OPS);
        DemoModel model = DemoModel.create();
        float[] pixels = DigitImage.synthetic().pixels();
        float[] want = new ReferenceCnn(model.proto()).run(pixels);
        try (Session s = Lanes.load(model.bytes(), "demo", new SessionOptions(1),
                CompileOptions.defaults())) {
            Tensor got = s.run(Tensor.of(pixels, 1, 1, 28, 28)).get(DemoModel.OUTPUT);
            assertArrayEquals(new int[] {1, 10}, got.shape());
            assertArrayEquals(want, got.floats(), 1e-5f);
        }
    }

    private static Map<String, TensorData> weights(ModelProto m) {
        Map<String, TensorData> w = new HashMap<>();
        for (TensorProto t : m.getGraph().getInitializerList()) {
            w.put(t.getName(), TensorProtos.decode(t));
        }
        return w;
    }
}
