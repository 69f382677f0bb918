package dev.lanes.compiler.ops;

import dev.lanes.compiler.ir.Dim;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.TensorType;
import dev.lanes.compiler.ir.Value;
import dev.lanes.runtime.kernels.conv.ConvAlgorithm;
import dev.lanes.runtime.kernels.conv.ConvKernels;
import dev.lanes.runtime.kernels.conv.ImplicitGemmConv;
import dev.lanes.runtime.kernels.conv.WinogradF4x4Conv3x3;
import dev.lanes.runtime.kernels.spatial.AutoPad;
import dev.lanes.runtime.kernels.spatial.ConvAttributes;

/**
 * Picks the algorithm of each convolution: one pure function of the operator's attributes, its
 * shapes and the CPU ({@link Cpu}: vector width, threads). The Conv handler lowers with it, and
 * {@code lanes inspect} shows it per node through {@link #algorithmOf(Node)}.
 *
 * <p>The rules: one filter per channel is {@link ConvAlgorithm#DEPTHWISE}; a 1x1 stride-1
 * unpadded window is {@link ConvAlgorithm#POINTWISE_GEMM}; a 2-D 3x3 stride-1 undilated
 * ungrouped convolution with at least {@link #WINOGRAD_MIN_CHANNELS} input and output channels
 * is {@link ConvAlgorithm#WINOGRAD_4X4_3X3}, unless its planes are known to hold fewer than
 * {@link WinogradF4x4Conv3x3#MIN_TILES} 4x4 output tiles (the kernel also checks each run and
 * hands such runs to im2col); a 1-D or 2-D ungrouped one whose K (channels times kernel area)
 * fits one GEMM block ({@code Sgemm.KC}: stems, small strided 1x1s) is
 * {@link ConvAlgorithm#IMPLICIT_GEMM}; everything else (any rank, pads, strides, dilations,
 * groups) is {@link ConvAlgorithm#IM2COL_GEMM}. Measured on one core against im2col GEMM: Winograd
 * 1.65x faster at 64 channels 56x56, 2.1x at 128 x 28x28, 2.5x at 256 x 14x14, 0.7x at
 * 512 x 7x7 (4 tiles). Fewer channels leave the transforms, which grow with C + M while the
 * GEMMs grow with C * M, too large a share.
  */
public final class ConvAlgorithmChooser {
    /** Fewest input and output channels for Winograd. */
    public static final int WINOGRAD_MIN_CHANNELS = 16;

    private ConvAlgorithmChooser() {
    }

    /**
     * What the choice may depend on about the machine.
     *
     * @param vectorWidth floats per SIMD register
     * @param threads     threads a run may use
     */
    public record Cpu(int vectorWidth, int threads) {
        /** This machine: its preferred vector width and all its cores. */
        public static Cpu host() {
            return new Cpu(ConvKernels.vectorWidth(), Runtime.getRuntime().availableProcessors());
        }
    }

    /**
     * The algorithm of a Conv.
     *
     * @param a      the resolved attributes
     * @param xShape X's shape [N, C, spatial...] with -1 for unknown sizes, or null if unknown
     * @param wShape W's shape [M, C/group, k...] with -1 for unknown sizes, or null if unknown
     * @param cpu    the machine
     */
    public static ConvAlgorithm choose(ConvAttributes a, int[] xShape, int[] wShape, Cpu cpu) {
        int g = a.group();
        if (g > 1 && wShape != null && wShape.length >= 3 && wShape[1] == 1 && wShape[0] == g) {
            return ConvAlgorithm.DEPTHWISE;
        }
        if (isPointwise(a, wShape)) {
            return ConvAlgorithm.POINTWISE_GEMM;
        }
        if (suitsWinograd(a, xShape, wShape)) {
            return ConvAlgorithm.WINOGRAD_4X4_3X3;
        }
        if (ImplicitGemmConv.supports(a, wShape) && nonNegative(a.pads())) {
            return ConvAlgorithm.IMPLICIT_GEMM;
        }
        return ConvAlgorithm.IM2COL_GEMM;
    }

    private static boolean nonNegative(int[] pads) {
        if (pads != null) {
            for (int p : pads) {
                if (p < 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean suitsWinograd(ConvAttributes a, int[] xShape, int[] wShape) {
        if (wShape == null || wShape.length != 4 || wShape[2] != 3 || wShape[3] != 3
                || !WinogradF4x4Conv3x3.supports(a, wShape)
                || wShape[0] < WINOGRAD_MIN_CHANNELS || wShape[1] < WINOGRAD_MIN_CHANNELS) {
            return false;
        }
        if (xShape == null || xShape.length != 4 || xShape[2] < 0 || xShape[3] < 0) {
            return true;
        }
        // The output is about the input's size (3x3, stride 1): its 4x4 tiles, batch at least 1.
        long tiles = (long) Math.max(1, xShape[0]) * ((xShape[2] + 3) / 4)
                * ((xShape[3] + 3) / 4);
        return tiles >= WinogradF4x4Conv3x3.MIN_TILES;
    }

    /** True when the kernel is 1 on every axis, strides are 1 and nothing is padded. */
    private static boolean isPointwise(ConvAttributes a, int[] wShape) {
        int[] k = a.kernelShape();
        if (k == null) {
            if (wShape == null || wShape.length < 3) {
                return false;
            }
            k = java.util.Arrays.copyOfRange(wShape, 2, wShape.length);
        }
        for (int v : k) {
            if (v != 1) {
                return false;
            }
        }
        if (a.strides() != null) {
            for (int v : a.strides()) {
                if (v != 1) {
                    return false;
                }
            }
        }
        // A 1x1 stride-1 window pads nothing under SAME or VALID; NOTSET takes the pads as given.
        if (a.autoPad() == AutoPad.NOTSET && a.pads() != null) {
            for (int v : a.pads()) {
                if (v != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The algorithm the compiler uses for a Conv or ConvTranspose node on this machine, or null
     * for other nodes (what {@code lanes inspect} shows).
     */
    public static ConvAlgorithm algorithmOf(Node n) {
        return switch (n.opType()) {
            case "Conv", "FusedConv" -> choose(SpatialConvOps.attributes(n, false),
                    shape(n.input(0)),
                    shape(n.input(1)), Cpu.host());
            case "ConvTranspose" -> ConvAlgorithm.TRANSPOSE_GEMM;
            // The channel-blocks pass made it: depthwise or 1x1 by construction.
            case "BlockedConv" -> n.getInt(FusedOps.PLANAR_INPUT, 0) == 1 ? ConvAlgorithm.BLOCKED_DIRECT
                    : n.getInt("group", 1) > 1 ? ConvAlgorithm.BLOCKED_DEPTHWISE
                    : ConvAlgorithm.BLOCKED_POINTWISE;
            default -> null;
        };
    }

    /** A value's shape with -1 for unknown sizes, or null when its rank is unknown. */
    static int[] shape(Value v) {
        if (v == null) {
            return null;
        }
        if (v.isConstant()) {
            return v.constant().shape();
        }
        TensorType t = v.type();
        if (t == null || !t.hasRank()) {
            return null;
        }
        int[] s = new int[t.rank()];
        for (int i = 0; i < s.length; i++) {
            Dim d = t.dims().get(i);
            s[i] = d.isKnown() && d.value() <= Integer.MAX_VALUE ? (int) d.value() : -1;
        }
        return s;
    }
}
