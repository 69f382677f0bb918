package dev.lanes.runtime.kernels.conv;

import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.gemm.Epilogue;
import dev.lanes.runtime.kernels.spatial.ConvAttributes;

/**
 * The im2col {@link GemmConv} a specialised convolution hands the runs it does not cover to,
 * made on first need: it packs the weights a second time, which most models never need.
 */
final class GemmConvFallback {
    private final ConvAttributes attrs;
    private final Tensor weights;
    private final Epilogue epilogue;
    private final boolean hasResidual;
    private final ConcatSlice slice;
    private volatile GemmConv kernel;

    GemmConvFallback(ConvAttributes attrs, Tensor weights, Epilogue epilogue,
            boolean hasResidual, ConcatSlice slice) {
        this.attrs = attrs;
        this.weights = weights;
        this.epilogue = epilogue;
        this.hasResidual = hasResidual;
        this.slice = slice;
    }

    /** The kernel (two threads racing here may each build one; both are correct). */
    GemmConv get() {
        GemmConv k = kernel;
        if (k == null) {
            k = new GemmConv(attrs, weights, epilogue, hasResidual, slice);
            kernel = k;
        }
        return k;
    }
}
