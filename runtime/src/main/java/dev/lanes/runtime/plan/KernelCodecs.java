package dev.lanes.runtime.plan;

import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.kernels.conv.ConvCodecs;
import dev.lanes.runtime.kernels.elementwise.ElementwiseCodecs;
import dev.lanes.runtime.kernels.linalg.LinalgCodecs;
import dev.lanes.runtime.kernels.reduce.ReduceCodecs;
import dev.lanes.runtime.kernels.spatial.SpatialCodecs;
import dev.lanes.runtime.kernels.tensor.TensorCodecs;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The registry of kernel codecs: kernel id to codec for reading plans, kernel class to codec for
 * writing them. Each kernel package lists its own codecs ({@code ConvCodecs},
 * {@code TensorCodecs}...); this class only gathers them and refuses duplicates.
 */
public final class KernelCodecs {
    private static final Map<String, KernelCodec<?>> BY_ID;
    private static final Map<Class<?>, KernelCodec<?>> BY_CLASS;

    static {
        List<KernelCodec<?>> all = new ArrayList<>();
        all.addAll(ConvCodecs.all());
        all.addAll(ElementwiseCodecs.all());
        all.addAll(LinalgCodecs.all());
        all.addAll(ReduceCodecs.all());
        all.addAll(SpatialCodecs.all());
        all.addAll(TensorCodecs.all());
        Map<String, KernelCodec<?>> byId = new TreeMap<>();
        Map<Class<?>, KernelCodec<?>> byClass = new HashMap<>();
        for (KernelCodec<?> c : all) {
            if (byId.put(c.id(), c) != null) {
                throw new IllegalStateException("two kernel codecs have the id " + c.id());
            }
            if (byClass.put(c.type(), c) != null) {
                throw new IllegalStateException("two kernel codecs for " + c.type().getName());
            }
        }
        BY_ID = Collections.unmodifiableMap(byId);
        BY_CLASS = Map.copyOf(byClass);
    }

    private KernelCodecs() {
    }

    /** The codec of a kernel id, or null when this runtime has no such kernel. */
    public static KernelCodec<?> forId(String id) {
        return BY_ID.get(id);
    }

    /** The codec of a kernel's exact class, or null when it cannot be saved. */
    public static KernelCodec<?> forKernel(Kernel k) {
        return BY_CLASS.get(k.getClass());
    }

    /** Every codec by id, in id order. */
    public static Map<String, KernelCodec<?>> all() {
        return BY_ID;
    }
}
