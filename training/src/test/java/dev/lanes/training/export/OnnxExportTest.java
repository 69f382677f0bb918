package dev.lanes.training.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lanes.formats.ModelReader;
import dev.lanes.formats.onnx.Onnx.ModelProto;
import dev.lanes.formats.onnx.Onnx.NodeProto;
import dev.lanes.training.CpuBackend;
import dev.lanes.training.Layer;
import dev.lanes.training.Models;
import dev.lanes.training.Sequential;
import dev.lanes.training.Tensor;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The exported graphs: one node per layer, BatchNormalization kept for the compiler, residual
 * blocks as Adds, a free batch axis. That the graphs compute what the trainer computes is
 * checked where a runtime is at hand (the CLI's TrainedModelAgreementTest).
 */
class OnnxExportTest {
    private static Map<String, Integer> ops(ModelProto m) {
        Map<String, Integer> h = new TreeMap<>();
        for (NodeProto n : m.getGraph().getNodeList()) {
            h.merge(n.getOpType(), 1, Integer::sum);
        }
        return h;
    }

    @Test
    void leNetBnIsTwoConvBlocksAndThreeGemms() {
        try (CpuBackend b = new CpuBackend(1)) {
            ModelProto m = OnnxExport.export(Models.lenetBn(b, 1), 1, 28, 28, 10);
            ModelProto back = ModelReader.read(m.toByteArray(), "exported");
            assertEquals(Map.of("BatchNormalization", 4, "Conv", 2, "Flatten", 1, "Gemm", 3,
                    "Identity", 1, "MaxPool", 2, "Relu", 4), ops(back));
            var input = back.getGraph().getInput(0).getType().getTensorType().getShape();
            assertEquals("N", input.getDim(0).getDimParam());
            assertEquals(28, input.getDim(3).getDimValue());
            assertEquals(13, back.getOpsetImport(0).getVersion());
        }
    }

    @Test
    void residualBlocksBecomeAdds() {
        try (CpuBackend b = new CpuBackend(1)) {
            Map<String, Integer> h = ops(OnnxExport.export(Models.smallResNet(b, 1), 1, 28, 28,
                    10));
            assertEquals(3, h.get("Add"));
            assertEquals(h.get("Conv"), h.get("BatchNormalization"));
        }
    }

    @Test
    void aLayerWithoutAnOnnxFormIsNamed() {
        Layer odd = new Layer() {
            @Override
            public Tensor forward(Tensor x) {
                return x;
            }

            @Override
            public Tensor backward(Tensor dy) {
                return dy;
            }

            @Override
            public String name() {
                return "odd";
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxExport.export(new Sequential("m", List.of(odd)), 1, 2, 2, 4));
        assertEquals(true, e.getMessage().contains("'odd'"), e.getMessage());
    }
}
