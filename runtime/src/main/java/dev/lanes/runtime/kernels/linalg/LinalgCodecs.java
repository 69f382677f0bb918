package dev.lanes.runtime.kernels.linalg;

import dev.lanes.runtime.plan.KernelCodec;
import java.util.List;

/**
 * The plan-file codecs of the matrix kernels (see {@link dev.lanes.runtime.plan.KernelCodecs}).
 * Constant B matrices are saved as given and packed again when the kernel is rebuilt.
 */
public final class LinalgCodecs {
    private LinalgCodecs() {
    }

    /** The codecs of this package's kernels. */
    public static List<KernelCodec<?>> all() {
        return List.of(
                KernelCodec.of("gemm.sgemm", GemmKernel.class, GemmKernel::writeParams,
                        GemmKernel::readParams),
                KernelCodec.of("matmul.sgemm", MatMulKernel.class, MatMulKernel::writeParams,
                        MatMulKernel::readParams));
    }
}
