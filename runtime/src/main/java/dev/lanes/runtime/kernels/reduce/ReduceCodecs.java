package dev.lanes.runtime.kernels.reduce;

import dev.lanes.runtime.plan.KernelCodec;
import java.util.List;

/**
 * The plan-file codecs of the reduction kernels (see
 * {@link dev.lanes.runtime.plan.KernelCodecs}).
 */
public final class ReduceCodecs {
    private ReduceCodecs() {
    }

    /** The codecs of this package's kernels. */
    public static List<KernelCodec<?>> all() {
        return List.of(
                KernelCodec.of("reduce.reduce", ReduceKernel.class, ReduceKernel::writeParams,
                        ReduceKernel::readParams),
                KernelCodec.of("reduce.arg", ArgReduceKernel.class, ArgReduceKernel::writeParams,
                        ArgReduceKernel::readParams),
                KernelCodec.of("reduce.softmax", SoftmaxKernel.class,
                        SoftmaxKernel::writeParams, SoftmaxKernel::readParams));
    }
}
