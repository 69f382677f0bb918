package dev.lanes.compiler.inspect;

import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ops.FusedOps;
import dev.lanes.runtime.kernels.gemm.Activation;
import java.util.ArrayList;
import java.util.List;

/**
 * What a convolution or Gemm does to its result before storing it, in words: the parts of its
 * epilogue joined by "+", in the order the kernel applies them, e.g. "bias+relu",
 * "bias+residual add+relu", "hardswish", "clip(0,6)". The parts are a bias (a Conv's B, a Gemm's
 * C; a folded BatchNormalization lands there), a residual add (a FusedConv's input 3) and the
 * activation of a fused node ({@link FusedOps#activationOf}).
 */
public final class EpilogueLabel {
    private EpilogueLabel() {
    }

    /** The node's epilogue, or "" when it has none or is not a Conv or Gemm. */
    public static String of(Node n) {
        if (!hasEpilogue(n)) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        if (n.input(2) != null) {
            parts.add("bias");
        }
        if (n.input(3) != null && isConv(n)) {
            parts.add("residual add");
        }
        if (n.domain().equals(FusedOps.DOMAIN) && n.has(FusedOps.ACTIVATION)) {
            Activation a = FusedOps.activationOf(n);
            if (a.kind() != Activation.Kind.NONE) {
                parts.add(activation(a));
            }
        }
        return String.join("+", parts);
    }

    /** The activation's ONNX-like name in lower case, with its parameters where it has any. */
    public static String activation(Activation a) {
        return switch (a.kind()) {
            case NONE -> "";
            case RELU -> "relu";
            case CLIP -> "clip(" + number(a.alpha()) + "," + number(a.beta()) + ")";
            case LEAKY_RELU -> "leakyrelu(" + number(a.alpha()) + ")";
            case SIGMOID -> "sigmoid";
            case HARD_SIGMOID -> "hardsigmoid(" + number(a.alpha()) + "," + number(a.beta())
                    + ")";
            case HARD_SWISH -> "hardswish";
            case SILU -> "silu";
            case GELU -> "gelu";
            case TANH -> "tanh";
        };
    }

    private static boolean hasEpilogue(Node n) {
        return isConv(n) || isGemm(n);
    }

    private static boolean isConv(Node n) {
        return n.domain().isEmpty() && n.opType().equals("Conv")
                || n.domain().equals(FusedOps.DOMAIN) && (n.opType().equals(FusedOps.FUSED_CONV)
                        || n.opType().equals(FusedOps.BLOCKED_CONV));
    }

    private static boolean isGemm(Node n) {
        return n.domain().isEmpty() && n.opType().equals("Gemm")
                || n.domain().equals(FusedOps.DOMAIN) && n.opType().equals(FusedOps.FUSED_GEMM);
    }

    /** 6 rather than 6.0; a Clip without a bound has +-Float.MAX_VALUE, which reads as inf. */
    private static String number(float v) {
        if (Math.abs(v) >= Float.MAX_VALUE) {
            return v < 0 ? "-inf" : "inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e7f) {
            return Long.toString((long) v);
        }
        return Float.toString(v);
    }
}
