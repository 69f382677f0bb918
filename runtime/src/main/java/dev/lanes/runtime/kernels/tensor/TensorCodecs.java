package dev.lanes.runtime.kernels.tensor;

import dev.lanes.runtime.plan.KernelCodec;
import java.util.List;

/**
 * The plan-file codecs of the tensor and shape kernels (see
 * {@link dev.lanes.runtime.plan.KernelCodecs}).
 */
public final class TensorCodecs {
    private TensorCodecs() {
    }

    /** The codecs of this package's kernels. */
    public static List<KernelCodec<?>> all() {
        return List.of(
                KernelCodec.of("tensor.concat", ConcatKernel.class, ConcatKernel::writeParams,
                        ConcatKernel::readParams),
                KernelCodec.of("tensor.constant", ConstantKernel.class,
                        ConstantKernel::writeParams, ConstantKernel::readParams),
                KernelCodec.of("tensor.constant_of_shape", ConstantOfShapeKernel.class,
                        ConstantOfShapeKernel::writeParams, ConstantOfShapeKernel::readParams),
                KernelCodec.of("tensor.eye_like", EyeLikeKernel.class, EyeLikeKernel::writeParams,
                        EyeLikeKernel::readParams),
                KernelCodec.of("tensor.flatten", FlattenKernel.class, FlattenKernel::writeParams,
                        FlattenKernel::readParams),
                KernelCodec.of("tensor.gather", GatherKernel.class, GatherKernel::writeParams,
                        GatherKernel::readParams),
                KernelCodec.of("tensor.gather_elements", GatherElementsKernel.class,
                        GatherElementsKernel::writeParams, GatherElementsKernel::readParams),
                KernelCodec.of("tensor.reshape", ReshapeKernel.class, ReshapeKernel::writeParams,
                        ReshapeKernel::readParams),
                KernelCodec.of("tensor.shape", ShapeKernel.class, ShapeKernel::writeParams,
                        ShapeKernel::readParams),
                KernelCodec.of("tensor.slice", SliceKernel.class, SliceKernel::writeParams,
                        SliceKernel::readParams),
                KernelCodec.of("tensor.split", SplitKernel.class, SplitKernel::writeParams,
                        SplitKernel::readParams),
                KernelCodec.of("tensor.squeeze", SqueezeKernel.class, SqueezeKernel::writeParams,
                        SqueezeKernel::readParams),
                KernelCodec.of("tensor.unsqueeze", UnsqueezeKernel.class,
                        UnsqueezeKernel::writeParams, UnsqueezeKernel::readParams),
                KernelCodec.of("tensor.tile", TileKernel.class, TileKernel::writeParams,
                        TileKernel::readParams),
                KernelCodec.of("tensor.transpose", TransposeKernel.class,
                        TransposeKernel::writeParams, TransposeKernel::readParams),
                KernelCodec.stateless("tensor.dropout", DropoutKernel.class, DropoutKernel::new),
                KernelCodec.stateless("tensor.expand", ExpandKernel.class, ExpandKernel::new),
                KernelCodec.stateless("tensor.identity", IdentityKernel.class,
                        IdentityKernel::new),
                KernelCodec.stateless("tensor.non_zero", NonZeroKernel.class, NonZeroKernel::new),
                KernelCodec.stateless("tensor.range", RangeKernel.class, RangeKernel::new),
                KernelCodec.stateless("tensor.size", SizeKernel.class, SizeKernel::new));
    }
}
