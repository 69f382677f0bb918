package dev.lanes.runtime.kernels.elementwise;

import dev.lanes.runtime.plan.KernelCodec;
import java.util.List;

/**
 * The plan-file codecs of the element-wise kernels (see
 * {@link dev.lanes.runtime.plan.KernelCodecs}).
 */
public final class ElementwiseCodecs {
    private ElementwiseCodecs() {
    }

    /** The codecs of this package's kernels. */
    public static List<KernelCodec<?>> all() {
        return List.of(
                KernelCodec.of("elementwise.binary", BinaryKernel.class,
                        BinaryKernel::writeParams, BinaryKernel::readParams),
                KernelCodec.of("elementwise.variadic", VariadicKernel.class,
                        VariadicKernel::writeParams, VariadicKernel::readParams),
                KernelCodec.of("elementwise.clip", ClipKernel.class, ClipKernel::writeParams,
                        ClipKernel::readParams),
                KernelCodec.of("elementwise.unary", UnaryKernel.class, UnaryKernel::writeParams,
                        UnaryKernel::readParams),
                KernelCodec.of("elementwise.cast", Cast.class, Cast::writeParams,
                        Cast::readParams),
                KernelCodec.stateless("elementwise.cast_like", CastLikeKernel.class,
                        CastLikeKernel::new),
                KernelCodec.stateless("elementwise.where", WhereKernel.class, WhereKernel::new));
    }
}
