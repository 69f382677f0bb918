package dev.lanes.bench;

import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.kernels.spatial.ConvAttributes;
import dev.lanes.runtime.kernels.conv.GemmConv;
import dev.lanes.runtime.kernels.spatial.ConvReference;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The convolution implementations the benchmarks compare, by {@code @Param} name. A new
 * algorithm is one more {@code put} here (and its name in the benchmarks' {@code variant} list).
 */
final class ConvVariants {
    private static final Map<String, Function<ConvAttributes, Kernel>> VARIANTS =
            new LinkedHashMap<>();

    static {
        VARIANTS.put("reference", ConvReference::new);
        VARIANTS.put("kernel", GemmConv::new);
    }

    private ConvVariants() {
    }

    /** The kernel of variant {@code name} for a conv with these attributes. */
    static Kernel create(String name, ConvAttributes attrs) {
        Function<ConvAttributes, Kernel> f = VARIANTS.get(name);
        if (f == null) {
            throw new IllegalArgumentException("no conv variant '" + name + "'; known: "
                    + VARIANTS.keySet());
        }
        return f.apply(attrs);
    }

    /** The known variant names. */
    static Iterable<String> names() {
        return VARIANTS.keySet();
    }
}
