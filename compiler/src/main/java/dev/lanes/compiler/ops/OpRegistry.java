package dev.lanes.compiler.ops;

import dev.lanes.compiler.ir.Node;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The operators Lanes implements, by op type (default ONNX domain). Each operator family
 * registers its handlers in its own class.
 */
public final class OpRegistry {
    private static final OpRegistry DEFAULT = createDefault();

    private final Map<String, OpHandler> handlers = new TreeMap<>();
    /** Lanes' own operators ({@link FusedOps#DOMAIN}), which only the fusion passes create. */
    private final Map<String, OpHandler> internal = new TreeMap<>();

    /** The registry with every built-in operator. */
    public static OpRegistry defaults() {
        return DEFAULT;
    }

    private static OpRegistry createDefault() {
        OpRegistry r = new OpRegistry();
        IdentityOps.register(r);
        ElementwiseOps.register(r);
        MathOps.register(r);
        ReduceOps.register(r);
        LinalgOps.register(r);
        SpatialOps.register(r);
        TensorOps.register(r);
        r.internal.put(FusedOps.FUSED_CONV, SpatialConvOps.epilogueConv());
        r.internal.put(FusedOps.FUSED_GEMM, LinalgOps.fusedGemm());
        r.internal.put(FusedOps.GELU, ElementwiseOps.gelu());
        r.internal.put(FusedOps.BLOCKED_CONV, SpatialConvOps.epilogueConv());
        r.internal.put(FusedOps.BLOCKED_GLOBAL_AVERAGE_POOL,
                SpatialConvOps.blockedGlobalAveragePool());
        r.internal.put(FusedOps.BLOCKED_MAX_POOL, SpatialPoolOps.blockedMaxPool());
        r.internal.put(FusedOps.BLOCKED_SCALE, SpatialConvOps.blockedChannelScale());
        r.internal.put(FusedOps.TO_BLOCKS, SpatialConvOps.channelBlocksReorder(true));
        r.internal.put(FusedOps.FROM_BLOCKS, SpatialConvOps.channelBlocksReorder(false));
        return r;
    }

    /** Adds (or replaces) the handler of an op type. */
    public void register(String opType, OpHandler handler) {
        handlers.put(opType, handler);
    }

    /** The handler for a node, or null when the op, its domain or its opset is unsupported. */
    public OpHandler find(Node node) {
        if (node.domain().equals(FusedOps.DOMAIN)) {
            return internal.get(node.opType());
        }
        if (!node.domain().isEmpty() && !node.domain().equals("ai.onnx")) {
            return null;
        }
        OpHandler h = handlers.get(node.opType());
        if (h == null || node.opset() < h.minOpset() || node.opset() > h.maxOpset()) {
            return null;
        }
        return h;
    }

    /** Every registered op type with its handler, sorted by name. */
    public Map<String, OpHandler> all() {
        return Collections.unmodifiableMap(handlers);
    }
}
