package dev.lanes.compiler.ops;

import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.Value;
import dev.lanes.runtime.kernels.gemm.Activation;

/**
 * The operators the fusion passes create in Lanes' own domain. {@code FusedConv} is a Conv whose
 * epilogue applies an activation (attributes {@link #ACTIVATION} and {@link #ACTIVATION_PARAMS})
 * after adding an optional residual (input 3, same shape as the output); {@code FusedGemm} is a
 * Gemm with an activation. {@code BlockedConv}, {@code ToChannelBlocks} and
 * {@code FromChannelBlocks} run chains of Convs in the channel-block layout.
 */
public final class FusedOps {
    /** The domain of Lanes' internal operators. */
    public static final String DOMAIN = "dev.lanes";
    /** A Conv with a fused epilogue. */
    public static final String FUSED_CONV = "FusedConv";
    /** GELU (erf form) recognised in an exported pattern; any opset. */
    public static final String GELU = "Gelu";
    /** A Gemm with a fused activation. */
    public static final String FUSED_GEMM = "FusedGemm";
    /** A Conv over channel blocks (NCHWc), input, output and residual; see UseChannelBlocks. */
    public static final String BLOCKED_CONV = "BlockedConv";
    /** GlobalAveragePool reading channel blocks (its [N, C, 1, 1] output is the same). */
    public static final String BLOCKED_GLOBAL_AVERAGE_POOL = "BlockedGlobalAveragePool";
    /** A 2-D MaxPool of channel blocks, its output in blocks (attributes as MaxPool's). */
    public static final String BLOCKED_MAX_POOL = "BlockedMaxPool";
    /** Channel blocks times one value per image and channel ([N or 1, C, 1, 1]). */
    public static final String BLOCKED_SCALE = "BlockedChannelScale";
    /** Planar (NCHW) to channel blocks, same shape. */
    public static final String TO_BLOCKS = "ToChannelBlocks";
    /** Channel blocks back to planar, same shape. */
    public static final String FROM_BLOCKS = "FromChannelBlocks";
    /** Attribute of a BlockedConv: the channels per block its layout was planned for. */
    public static final String BLOCK = "block";
    /**
     * On a BlockedConv: 1 when its data input is planar (a stem writing straight into blocks,
     * see UseChannelBlocks), absent when it reads blocks.
     */
    public static final String PLANAR_INPUT = "lanes_planar_input";
    /** Attribute: the activation kind's name ({@link Activation.Kind}). */
    public static final String ACTIVATION = "activation";
    /**
     * Attribute of a FusedConv that writes into its Concat's output: that output's channels
     * (input 4, when present, is the tensor to write into; see {@code ConcatSlice}).
     */
    public static final String INTO_CHANNELS = "into_channels";
    /** Attribute of a FusedConv that writes into its Concat's output: its first channel there. */
    public static final String INTO_OFFSET = "into_offset";
    /** Attribute: the activation's alpha and beta. */
    public static final String ACTIVATION_PARAMS = "activation_params";

    private FusedOps() {
    }

    /** The activation a fused node carries (NONE when it has none). */
    public static Activation activationOf(Node n) {
        String kind = n.getString(ACTIVATION, "NONE");
        float[] p = n.getFloats(ACTIVATION_PARAMS, new float[] {0, 0});
        Activation.Kind k;
        try {
            k = Activation.Kind.valueOf(kind);
        } catch (IllegalArgumentException e) {
            throw n.error("unknown fused activation '" + kind + "'");
        }
        return new Activation(k, p.length > 0 ? p[0] : 0, p.length > 1 ? p[1] : 0);
    }

    /**
     * The activation a node computes, when it is one an epilogue can apply with constant
     * parameters; null otherwise. {@code x} must be the node's data input.
     */
    public static Activation activationComputedBy(Node n) {
        if (n.domain().equals(DOMAIN) && n.opType().equals(GELU) && n.input(0) != null) {
            return Activation.of(Activation.Kind.GELU);
        }
        if (!n.domain().isEmpty() || n.input(0) == null) {
            return null;
        }
        return switch (n.opType()) {
            case "Relu" -> Activation.of(Activation.Kind.RELU);
            case "Sigmoid" -> Activation.of(Activation.Kind.SIGMOID);
            case "Tanh" -> Activation.of(Activation.Kind.TANH);
            case "LeakyRelu" -> new Activation(Activation.Kind.LEAKY_RELU,
                    n.getFloat("alpha", 0.01f), 0);
            case "HardSigmoid" -> new Activation(Activation.Kind.HARD_SIGMOID,
                    n.getFloat("alpha", 0.2f), n.getFloat("beta", 0.5f));
            case "HardSwish" -> Activation.of(Activation.Kind.HARD_SWISH);
            case "Clip" -> clip(n);
            default -> null;
        };
    }

    private static Activation clip(Node n) {
        float lo;
        float hi;
        if (n.opset() < 11) {
            lo = n.getFloat("min", -Float.MAX_VALUE);
            hi = n.getFloat("max", Float.MAX_VALUE);
        } else {
            Float a = scalar(n.input(1), -Float.MAX_VALUE);
            Float b = scalar(n.input(2), Float.MAX_VALUE);
            if (a == null || b == null) {
                return null;
            }
            lo = a;
            hi = b;
        }
        // Clip with min > max gives max everywhere; the epilogue's min(max(x, lo), hi) agrees.
        return new Activation(Activation.Kind.CLIP, lo, hi);
    }

    private static Float scalar(Value v, float absent) {
        if (v == null) {
            return absent;
        }
        if (!v.isConstant() || v.constant().size() != 1 || !v.constant().dtype().isFloat()) {
            return null;
        }
        return v.constant().floats()[0];
    }
}
