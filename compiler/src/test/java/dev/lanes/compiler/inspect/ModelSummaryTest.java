package dev.lanes.compiler.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.compiler.inspect.ModelSummary.NodeMacs;
import dev.lanes.formats.ElementType;
import dev.lanes.formats.ModelBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSummaryTest {
    private static float[] zeros(int n) {
        return new float[n];
    }

    /**
     * x[N,3,8,8] -> Conv 3x3 pad 1 (4 filters) -> Relu -> depthwise Conv 3x3 (4 groups, no pad)
     * -> y[N,4,6,6]. Conv output shapes are declared so the count does not depend on which
     * shape-inference handlers exist.
     */
    private static ModelBuilder convModel() {
        ModelBuilder m = new ModelBuilder("convs").opset(13);
        m.input("x", "N", 3, 8, 8);
        m.initializer("w1", zeros(4 * 3 * 3 * 3), 4, 3, 3, 3);
        m.initializer("b1", zeros(4), 4);
        m.initializer("w2", zeros(4 * 1 * 3 * 3), 4, 1, 3, 3);
        m.node("Conv").name("conv1").inputs("x", "w1", "b1").outputs("c1")
                .ints("kernel_shape", 3, 3).ints("pads", 1, 1, 1, 1);
        m.valueInfo("c1", ElementType.FLOAT, "N", 4, 8, 8);
        m.node("Relu").name("relu1").inputs("c1").outputs("r1");
        m.node("Conv").name("dw").inputs("r1", "w2").outputs("y").attr("group", 4);
        m.output("y", "N", 4, 6, 6);
        return m;
    }

    @Test
    void countsConvMacsWithTheBatchBoundToOne(@TempDir Path dir) {
        Path file = dir.resolve("convs.onnx");
        convModel().write(file);
        ModelSummary s = ModelSummary.of(file);
        assertEquals(2, s.macs().size());
        NodeMacs conv1 = s.macs().get(0);
        assertEquals("conv1", conv1.node());
        // 4 x 8 x 8 outputs, each over 3 channels x 3 x 3.
        assertEquals(4 * 8 * 8 * 3 * 3 * 3, conv1.macs());
        // Depthwise: 4 x 6 x 6 outputs, each over 1 channel x 3 x 3.
        assertEquals(4 * 6 * 6 * 9, s.macs().get(1).macs());
        assertEquals(6912 + 1296, s.totalMacs());
        assertFalse(s.macsIncomplete());
        assertEquals("conv1", s.topMacs(1).get(0).node());
    }

    @Test
    void describesSignatureHistogramAndParameters() {
        ModelSummary s = ModelSummary.of(convModel().build(), null);
        assertEquals("convs", s.graphName());
        assertEquals(Map.of("ai.onnx", 13L), s.opsets());
        assertEquals(1, s.inputs().size());
        assertEquals("x", s.inputs().get(0).name());
        assertEquals("FLOAT", s.inputs().get(0).dtype());
        assertEquals("[N,3,8,8]", s.inputs().get(0).shapeString());
        assertEquals("[N,4,6,6]", s.outputs().get(0).shapeString());
        assertEquals(List.of("Conv", "Relu"), List.copyOf(s.operators().keySet()));
        assertEquals(2, s.operators().get("Conv"));
        assertEquals(3, s.nodeCount());
        assertEquals(108 + 4 + 36, s.parameterCount());
        assertEquals("lanes", s.producer());
    }

    @Test
    void countsGemmWithTransposesAndMatMulWithBatchDims() {
        ModelBuilder m = new ModelBuilder("dense").opset(13);
        m.input("a", "B", 16);
        m.input("p", 2, 5, 6);
        m.initializer("w", zeros(10 * 16), 10, 16);
        m.initializer("at", zeros(16 * 3), 16, 3);
        m.initializer("k", zeros(6 * 7), 6, 7);
        m.node("Relu").inputs("a").outputs("ra");
        m.node("Gemm").name("fc").inputs("ra", "w").outputs("g").attr("transB", 1);
        m.valueInfo("g", ElementType.FLOAT, "B", 10);
        m.node("Gemm").name("fcT").inputs("at", "ra").outputs("h").attr("transA", 1)
                .attr("transB", 1);
        m.valueInfo("h", ElementType.FLOAT, 3, "B");
        m.node("MatMul").name("mm").inputs("p", "k").outputs("q");
        m.valueInfo("q", ElementType.FLOAT, 2, 5, 7);
        m.output("g", "B", 10);
        m.output("h", 3, "B");
        m.output("q", 2, 5, 7);
        ModelSummary s = ModelSummary.of(m.build(), null);
        Map<String, Long> byNode = s.macs().stream()
                .collect(Collectors.toMap(NodeMacs::node, NodeMacs::macs));
        assertEquals(Map.of("fc", 160L, "fcT", 48L, "mm", 420L), byNode,
                "fc: 1 x 16 x 10; fcT: at^T [3,16] x ra^T [16,1]; mm: 2 x 5 x 7 outputs x 6");
        assertEquals(160 + 48 + 420, s.totalMacs());
        assertEquals("[B,16]", s.inputs().get(0).shapeString());
    }

    @Test
    void countsConvTransposeFromItsInput() {
        ModelBuilder m = new ModelBuilder("up").opset(13);
        m.input("x", 1, 2, 4, 4);
        m.initializer("w", zeros(2 * 3 * 3 * 3), 2, 3, 3, 3);
        m.node("ConvTranspose").inputs("x", "w").outputs("y");
        m.output("y", 1, 3, 6, 6);
        ModelSummary s = ModelSummary.of(m.build(), null);
        // 2 x 4 x 4 input elements, each scattered over 3 output channels x 3 x 3.
        assertEquals(32 * 27, s.totalMacs());
    }

    @Test
    void reportsUnknownShapesAndUnsupportedOperators() {
        ModelBuilder m = new ModelBuilder("odd").opset(13);
        m.input("x", 4, 4);
        m.initializer("w", zeros(16), 4, 4);
        m.node("FancyOp").inputs("x").outputs("f");
        m.node("MatMul").name("mm").inputs("f", "w").outputs("y");
        m.outputWithoutShape("y", ElementType.FLOAT);
        ModelSummary s = ModelSummary.of(m.build(), null);
        assertTrue(s.unsupported().contains("FancyOp (opset 13)"), s.unsupported().toString());
        assertEquals(1, s.macs().size());
        assertFalse(s.macs().get(0).known());
        assertTrue(s.macsIncomplete());
        assertEquals(0, s.totalMacs());
        assertEquals("[?]", s.outputs().get(0).shapeString());
    }

    @Test
    void reportsShapeErrorsInsteadOfFailing() {
        ModelBuilder m = new ModelBuilder("broken").opset(13);
        m.input("x", 2, 3);
        m.initializer("b", new float[] {1, 2, 3, 4}, 4);
        m.node("Add").inputs("x", "b").outputs("y");
        m.output("y", 2, 3);
        ModelSummary s = ModelSummary.of(m.build(), null);
        assertTrue(s.shapeProblem() != null && s.shapeProblem().contains("broadcast"),
                String.valueOf(s.shapeProblem()));
        assertTrue(s.macsIncomplete());
        assertEquals(Map.of("Add", 1), s.operators());
    }

    @Test
    void excludesInitializersListedAsInputsAndCountsOnlyFloatParameters() {
        ModelBuilder m = new ModelBuilder("legacy").opset(9);
        m.input("x", 2);
        m.input("b", 2);
        m.initializer("b", new float[] {1, 2}, 2);
        m.initializer("shape", new long[] {2}, 1);
        m.node("Add").inputs("x", "b").outputs("y");
        m.output("y", 2);
        ModelSummary s = ModelSummary.of(m.build(), null);
        assertEquals(List.of("x"), s.inputs().stream().map(v -> v.name()).toList());
        assertEquals(2, s.parameterCount());
        assertTrue(s.macs().isEmpty());
        assertTrue(s.unsupported().isEmpty(), s.unsupported().toString());
        assertEquals(null, s.shapeProblem());
        assertEquals(Map.of("ai.onnx", 9L), s.opsets());
    }
}
