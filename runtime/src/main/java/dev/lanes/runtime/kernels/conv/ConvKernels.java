package dev.lanes.runtime.kernels.conv;

import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.gemm.Epilogue;
import dev.lanes.runtime.kernels.spatial.ConvAttributes;
import jdk.incubator.vector.FloatVector;

/** Builds the kernel of a chosen {@link ConvAlgorithm}. */
public final class ConvKernels {
    private ConvKernels() {
    }

    /** Floats per SIMD register of this machine (the preferred species). */
    public static int vectorWidth() {
        return FloatVector.SPECIES_PREFERRED.length();
    }

    /**
     * The Conv kernel for an algorithm. Inputs of the result: X, W, optional B and, when
     * {@code hasResidual}, R; output {@code act((conv(X, W) + B) * scale + shift + R)}.
     *
     * @param algorithm   how to compute it; {@link ConvAlgorithm#TRANSPOSE_GEMM} is not a Conv
     * @param attrs       the resolved attributes
     * @param weights     the constant weights, or null when W comes at run time
     * @param epilogue    what follows the convolution and its bias
     * @param hasResidual true when input 3 is a residual
     */
    public static Kernel conv(ConvAlgorithm algorithm, ConvAttributes attrs, Tensor weights,
            Epilogue epilogue, boolean hasResidual) {
        return switch (algorithm) {
            case IM2COL_GEMM, POINTWISE_GEMM -> new GemmConv(attrs, weights, epilogue,
                    hasResidual);
            case IMPLICIT_GEMM -> new ImplicitGemmConv(attrs, weights, epilogue, hasResidual);
            case WINOGRAD_4X4_3X3 -> new WinogradF4x4Conv3x3(attrs, weights, epilogue,
                    hasResidual);
            // DepthwiseConv hands shapes it does not cover to the generic kernel itself.
            case DEPTHWISE -> new DepthwiseConv(attrs, epilogue, hasResidual);
            case BLOCKED_DEPTHWISE -> DepthwiseConv.blocked(attrs, epilogue, hasResidual);
            case BLOCKED_POINTWISE -> {
                if (weights == null) {
                    throw new IllegalArgumentException("BLOCKED_POINTWISE needs constant weights");
                }
                yield new BlockedPointwiseConv(weights, epilogue, hasResidual);
            }
            case BLOCKED_DIRECT -> {
                if (weights == null || hasResidual) {
                    throw new IllegalArgumentException("BLOCKED_DIRECT needs constant weights and no residual");
                }
                yield new BlockedDirectConv(attrs, weights, epilogue);
            }
            case TRANSPOSE_GEMM -> throw new IllegalArgumentException(
                    "TRANSPOSE_GEMM computes ConvTranspose, not Conv");
        };
    }

    /** Whether {@link #conv} with a {@link ConcatSlice} supports the algorithm. */
    public static boolean writesIntoConcat(ConvAlgorithm algorithm) {
        return algorithm == ConvAlgorithm.IM2COL_GEMM || algorithm == ConvAlgorithm.POINTWISE_GEMM
                || algorithm == ConvAlgorithm.WINOGRAD_4X4_3X3
                || algorithm == ConvAlgorithm.IMPLICIT_GEMM;
    }

    /**
     * Like {@link #conv}, writing into channels of its Concat's output (input
     * {@link ConcatSlice#INTO}) when {@code slice} is not null; only for the algorithms of
     * {@link #writesIntoConcat}, and with a residual only for the im2col and 1x1 GEMMs.
     */
    public static Kernel conv(ConvAlgorithm algorithm, ConvAttributes attrs, Tensor weights,
            Epilogue epilogue, boolean hasResidual, ConcatSlice slice) {
        if (slice == null) {
            return conv(algorithm, attrs, weights, epilogue, hasResidual);
        }
        return switch (algorithm) {
            case IM2COL_GEMM, POINTWISE_GEMM -> new GemmConv(attrs, weights, epilogue,
                    hasResidual, slice);
            case WINOGRAD_4X4_3X3 -> new WinogradF4x4Conv3x3(attrs, weights, epilogue,
                    hasResidual, slice);
            case IMPLICIT_GEMM -> new ImplicitGemmConv(attrs, weights, epilogue, hasResidual,
                    slice);
            default -> throw new IllegalArgumentException(algorithm
                    + " cannot write into a Concat's output");
        };
    }
}
