package dev.lanes.compiler.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanes.compiler.ir.Attribute;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.Value;
import dev.lanes.compiler.ops.FusedOps;
import dev.lanes.runtime.kernels.gemm.Activation;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EpilogueLabelTest {
    private static Node node(String op, String domain, Activation act, String... inputs) {
        List<Value> in = Arrays.stream(inputs).map(s -> s == null ? null : new Value(s))
                .toList();
        Map<String, Attribute> attrs = new LinkedHashMap<>();
        if (act != null) {
            attrs.put(FusedOps.ACTIVATION, new Attribute(FusedOps.ACTIVATION, "STRING",
                    act.kind().name()));
            attrs.put(FusedOps.ACTIVATION_PARAMS, new Attribute(FusedOps.ACTIVATION_PARAMS,
                    "FLOATS", new float[] {act.alpha(), act.beta()}));
        }
        return new Node("n", op, domain, 13, new java.util.ArrayList<>(in),
                List.of(new Value("y")), attrs);
    }

    @Test
    void namesBiasResidualAndActivationInKernelOrder() {
        Activation relu = Activation.of(Activation.Kind.RELU);
        assertEquals("bias+residual add+relu", EpilogueLabel.of(node(FusedOps.FUSED_CONV,
                FusedOps.DOMAIN, relu, "x", "w", "b", "r")));
        assertEquals("residual add+relu", EpilogueLabel.of(node(FusedOps.FUSED_CONV,
                FusedOps.DOMAIN, relu, "x", "w", null, "r")));
        assertEquals("bias+relu", EpilogueLabel.of(node(FusedOps.FUSED_CONV, FusedOps.DOMAIN,
                relu, "x", "w", "b")));
        assertEquals("hardswish", EpilogueLabel.of(node(FusedOps.BLOCKED_CONV,
                FusedOps.DOMAIN, Activation.of(Activation.Kind.HARD_SWISH), "x", "w")));
        assertEquals("bias", EpilogueLabel.of(node("Conv", "", null, "x", "w", "b")));
        assertEquals("", EpilogueLabel.of(node("Conv", "", null, "x", "w")));
        assertEquals("bias+sigmoid", EpilogueLabel.of(node(FusedOps.FUSED_GEMM,
                FusedOps.DOMAIN, Activation.of(Activation.Kind.SIGMOID), "a", "b", "c")));
    }

    @Test
    void otherNodesHaveNoEpilogue() {
        assertEquals("", EpilogueLabel.of(node("Add", "", null, "a", "b", "c", "d")));
        assertEquals("", EpilogueLabel.of(node("Relu", "", null, "a")));
    }

    @Test
    void writesActivationParametersCompactly() {
        assertEquals("clip(0,6)", EpilogueLabel.activation(
                new Activation(Activation.Kind.CLIP, 0, 6)));
        assertEquals("clip(-inf,1.5)", EpilogueLabel.activation(
                new Activation(Activation.Kind.CLIP, -Float.MAX_VALUE, 1.5f)));
        assertEquals("leakyrelu(0.01)", EpilogueLabel.activation(
                new Activation(Activation.Kind.LEAKY_RELU, 0.01f, 0)));
        assertEquals("hardsigmoid(0.2,0.5)", EpilogueLabel.activation(
                new Activation(Activation.Kind.HARD_SIGMOID, 0.2f, 0.5f)));
        for (Activation.Kind k : Activation.Kind.values()) {
            // Every kind has a name, so a new one cannot print as nothing unnoticed.
            assertEquals(k == Activation.Kind.NONE, EpilogueLabel.activation(
                    Activation.of(k)).isEmpty(), k.name());
        }
    }
}
