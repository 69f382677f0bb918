package dev.lanes.bench;

import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.conv.BlockedPointwiseConv;
import dev.lanes.runtime.kernels.conv.DepthwiseConv;
import dev.lanes.runtime.kernels.conv.GemmConv;
import dev.lanes.runtime.kernels.conv.ImplicitGemmConv;
import dev.lanes.runtime.kernels.conv.WinogradF4x4Conv3x3;
import dev.lanes.runtime.kernels.gemm.Epilogue;
import dev.lanes.runtime.kernels.spatial.ConvAttributes;
import dev.lanes.runtime.kernels.spatial.ConvReference;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The convolution implementations the benchmarks compare, by {@code @Param} name. Each is made
 * from the attributes and the constant weights, which it may prepare (pack, transform) once, as
 * a compiled model does. A new algorithm is one more {@code put} here (and its name in the
 * benchmarks' {@code variant} list).
 */
final class ConvVariants {
    private static final Map<String, BiFunction<ConvAttributes, Tensor, Kernel>> VARIANTS =
            new LinkedHashMap<>();

    static {
        VARIANTS.put("reference", (a, w) -> new ConvReference(a));
        VARIANTS.put("kernel", (a, w) -> new GemmConv(a, w, Epilogue.NONE, false));
        VARIANTS.put("implicit-gemm", (a, w) -> new ImplicitGemmConv(a, w, Epilogue.NONE,
                false));
        VARIANTS.put("winograd", (a, w) -> new WinogradF4x4Conv3x3(a, w, Epilogue.NONE,
                false));
        // Depthwise only: its own choice of planes or in-kernel channel blocks per shape.
        VARIANTS.put("depthwise", (a, w) -> new DepthwiseConv(a, Epilogue.NONE, false));
        // Input and output in channel blocks, as inside a chain of the channel-blocks pass
        // (the values are random, so their order does not matter); depthwise or 1x1 only.
        VARIANTS.put("channel-blocks", (a, w) -> a.group() > 1
                ? DepthwiseConv.blocked(a, Epilogue.NONE, false)
                : new BlockedPointwiseConv(w, Epilogue.NONE, false));
    }

    private ConvVariants() {
    }

    /** The kernel of variant {@code name} for a conv with these attributes and weights. */
    static Kernel create(String name, ConvAttributes attrs, Tensor weights) {
        BiFunction<ConvAttributes, Tensor, Kernel> f = VARIANTS.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no conv variant '" + name + "'; known: "
                    + VARIANTS.keySet());
        }
        return f.apply(attrs, weights);
    }

    /** The known variant names. */
    static Iterable<String> names() {
        return VARIANTS.keySet();
    }
}
