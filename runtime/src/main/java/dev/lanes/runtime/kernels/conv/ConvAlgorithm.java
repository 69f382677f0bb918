package dev.lanes.runtime.kernels.conv;

/** The ways Lanes computes a convolution; the compiler picks one per node. */
public enum ConvAlgorithm {
    /** im2col of cache-sized blocks straight into the packed GEMM panels (any geometry). */
    IM2COL_GEMM,
    /**
     * One group and K (channels times kernel area) within one GEMM block, as stems have:
     * tiles read B straight from a padded copy of the input, nothing is packed.
     */
    IMPLICIT_GEMM,
    /** 1x1, stride 1, no padding: the input already is the GEMM's right operand. */
    POINTWISE_GEMM,
    /** 3x3 stride 1, one group: Winograd F(4x4, 3x3), 36 GEMMs over blocks of input tiles. */
    WINOGRAD_4X4_3X3,
    /** One filter per channel (group == channels == outputs): a direct depthwise loop. */
    DEPTHWISE,
    /**
     * Depthwise over channel blocks (input, output and residual in NCHWc, see
     * {@link ChannelBlocksReorder}): {@link DepthwiseConv#blocked}.
     */
    BLOCKED_DEPTHWISE,
    /** 1x1 over channel blocks: {@link BlockedPointwiseConv}. */
    BLOCKED_POINTWISE,
    /**
     * A stem (one group, few input channels) from planar input into channel blocks:
     * {@link BlockedDirectConv}.
     */
    BLOCKED_DIRECT,
    /** ConvTranspose: transposed weights times the input, then col2im. */
    TRANSPOSE_GEMM
}
