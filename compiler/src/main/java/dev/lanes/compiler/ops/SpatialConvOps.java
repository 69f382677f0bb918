package dev.lanes.compiler.ops;

import dev.lanes.compiler.ir.Dim;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.TensorType;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.kernels.conv.BlockedChannelScale;
import dev.lanes.runtime.kernels.conv.BlockedGlobalAveragePool;
import dev.lanes.runtime.kernels.conv.ChannelBlocksReorder;
import dev.lanes.runtime.kernels.conv.ConcatSlice;
import dev.lanes.runtime.kernels.conv.ConvAlgorithm;
import dev.lanes.runtime.kernels.conv.ConvKernels;
import dev.lanes.runtime.kernels.conv.GemmConvTranspose;
import dev.lanes.runtime.kernels.gemm.Epilogue;
import dev.lanes.runtime.kernels.spatial.AutoPad;
import dev.lanes.runtime.kernels.spatial.ConvAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Conv and ConvTranspose (every opset: the attributes did not change form). Conv lowers to the
 * algorithm {@link ConvAlgorithmChooser} picks; constant weights are packed at lowering.
 */
final class SpatialConvOps {
    private SpatialConvOps() {
    }

    static void register(OpRegistry r) {
        r.register("Conv", new OpHandler() {
            @Override
            public void inferTypes(Node n) {
                convType(n);
            }

            @Override
            public Kernel lower(Node n) {
                return lowerConv(n, Epilogue.NONE, false);
            }
        });
        r.register("ConvTranspose", new OpHandler() {
            @Override
            public void inferTypes(Node n) {
                n.output(0).setType(transposeType(n));
            }

            @Override
            public Kernel lower(Node n) {
                SpatialSupport.requireInputs(n, 2, "X, W");
                return new GemmConvTranspose(attributes(n, true), SpatialSupport.constant(n, 1));
            }
        });
    }

    /**
     * A Conv whose epilogue the fusion passes filled (see {@link FusedOps}): a FusedConv, or a
     * BlockedConv, whose tensors are in channel blocks ({@link FusedOps#BLOCKED_CONV}).
     */
    static OpHandler epilogueConv() {
        return new OpHandler() {
            @Override
            public void inferTypes(Node n) {
                convType(n);
            }

            @Override
            public Kernel lower(Node n) {
                if (n.opType().equals(FusedOps.BLOCKED_CONV)) {
                    long block = n.getInt(FusedOps.BLOCK, -1);
                    if (block != ChannelBlocksReorder.BLOCK) {
                        throw n.error("planned for channel blocks of " + block
                                + ", this machine's are " + ChannelBlocksReorder.BLOCK);
                    }
                }
                Epilogue ep = new Epilogue(null, null, FusedOps.activationOf(n));
                return lowerConv(n, ep, n.inputCount() > 3 && n.input(3) != null);
            }
        };
    }

    /** GlobalAveragePool of channel blocks: [N, C, spatial...] to [N, C, 1...]. */
    static OpHandler blockedGlobalAveragePool() {
        return new OpHandler() {
            @Override
            public void inferTypes(Node n) {
                SpatialPoolOps.globalType(n);
            }

            @Override
            public Kernel lower(Node n) {
                SpatialSupport.requireInputs(n, 1, "X");
                return new BlockedGlobalAveragePool();
            }
        };
    }

    /** Channel blocks times a per-channel scale: X's type. */
    static OpHandler blockedChannelScale() {
        return new OpHandler() {
            @Override
            public void inferTypes(Node n) {
                n.output(0).setType(Types.in(n, 0));
            }

            @Override
            public Kernel lower(Node n) {
                SpatialSupport.requireInputs(n, 2, "X, scale");
                return new BlockedChannelScale();
            }
        };
    }

    /** A reorder to or from channel blocks: the same type, another order of its values. */
    static OpHandler channelBlocksReorder(boolean toBlocks) {
        return new OpHandler() {
            @Override
            public void inferTypes(Node n) {
                n.output(0).setType(Types.in(n, 0));
            }

            @Override
            public Kernel lower(Node n) {
                SpatialSupport.requireInputs(n, 1, "X");
                return new ChannelBlocksReorder(toBlocks);
            }
        };
    }

    private static void convType(Node n) {
        TensorType x = Types.in(n, 0);
        TensorType w = Types.in(n, 1);
        int[] k = kernel(n, w);
        // Written into a Concat's output, the output is that whole output.
        Dim channels = n.has(FusedOps.INTO_CHANNELS)
                ? Dim.of(n.getInt(FusedOps.INTO_CHANNELS, -1)) : SpatialSupport.dim(w, 0);
        n.output(0).setType(SpatialSupport.windowType(x, channels, k,
                n.getIntArray("strides", null), n.getIntArray("dilations", null),
                n.getIntArray("pads", null), SpatialSupport.autoPad(n), false));
    }

    /** The chosen convolution algorithm's kernel, with constant weights packed now. */
    private static Kernel lowerConv(Node n, Epilogue ep, boolean residual) {
        SpatialSupport.requireInputs(n, 2, "X, W");
        ConcatSlice slice = null;
        if (n.has(FusedOps.INTO_CHANNELS)) {
            long channels = n.getInt(FusedOps.INTO_CHANNELS, -1);
            long offset = n.getInt(FusedOps.INTO_OFFSET, -1);
            if (channels < 1 || channels > Integer.MAX_VALUE || offset < 0 || offset >= channels) {
                throw n.error("writes into channel " + offset + " of " + channels);
            }
            slice = new ConcatSlice((int) channels, (int) offset);
        }
        ConvAlgorithm algorithm = ConvAlgorithmChooser.algorithmOf(n);
        if (slice != null && !ConvKernels.writesIntoConcat(algorithm)) {
            throw n.error("algorithm " + algorithm + " cannot write into a Concat's output");
        }
        return ConvKernels.conv(algorithm, attributes(n, false), SpatialSupport.constant(n, 1),
                ep, residual, slice);
    }

    /** The kernel sizes from kernel_shape or W's shape (-1 where unknown), or null. */
    private static int[] kernel(Node n, TensorType w) {
        int[] k = n.getIntArray("kernel_shape", null);
        if (k != null) {
            return k;
        }
        if (!w.hasRank() || w.rank() < 3) {
            return null;
        }
        k = new int[w.rank() - 2];
        for (int i = 0; i < k.length; i++) {
            Dim d = w.dims().get(i + 2);
            k[i] = d.isKnown() ? (int) d.value() : -1;
        }
        return k;
    }

    static ConvAttributes attributes(Node n, boolean transpose) {
        int[] kernelShape = n.getIntArray("kernel_shape", null);
        int r = kernelShape != null ? kernelShape.length : -1;
        if (r < 0) {
            TensorType w = Types.in(n, 1);
            r = w.hasRank() ? w.rank() - 2 : -1;
        }
        int[] strides = SpatialSupport.ints(n, "strides", r);
        int[] dilations = SpatialSupport.ints(n, "dilations", r);
        int[] pads = SpatialSupport.ints(n, "pads", r < 0 ? -1 : 2 * r);
        SpatialSupport.positive(n, "kernel_shape", kernelShape);
        SpatialSupport.positive(n, "strides", strides);
        SpatialSupport.positive(n, "dilations", dilations);
        if (!transpose) {
            SpatialSupport.nonNegative(n, "pads", pads);
        }
        long group = n.getInt("group", 1);
        if (group < 1 || group > Integer.MAX_VALUE) {
            throw n.error("group must be 1 or more, got " + group);
        }
        AutoPad autoPad = SpatialSupport.autoPad(n);
        if (!transpose) {
            return ConvAttributes.conv(kernelShape, strides, dilations, pads, autoPad,
                    (int) group);
        }
        int[] outputPadding = SpatialSupport.ints(n, "output_padding", r);
        SpatialSupport.nonNegative(n, "output_padding", outputPadding);
        int[] outputShape = n.getIntArray("output_shape", null);
        return new ConvAttributes(kernelShape, strides, dilations, pads, autoPad, (int) group,
                outputPadding, outputShape);
    }

    private static TensorType transposeType(Node n) {
        TensorType x = Types.in(n, 0);
        TensorType w = Types.in(n, 1);
        if (!x.hasRank()) {
            return new TensorType(x.dtype(), null);
        }
        int r = x.rank() - 2;
        int[] k = kernel(n, w);
        long group = n.getInt("group", 1);
        Dim wm = SpatialSupport.dim(w, 1);
        List<Dim> dims = new ArrayList<>();
        dims.add(x.dims().get(0));
        dims.add(wm.isKnown() ? Dim.of(wm.value() * group) : Dim.unknown());
        int[] outputShape = n.getIntArray("output_shape", null);
        if (outputShape != null && outputShape.length == r + 2) {
            outputShape = java.util.Arrays.copyOfRange(outputShape, 2, r + 2);
        }
        int[] s = n.getIntArray("strides", null);
        int[] d = n.getIntArray("dilations", null);
        int[] p = n.getIntArray("pads", null);
        int[] op = n.getIntArray("output_padding", null);
        AutoPad autoPad = SpatialSupport.autoPad(n);
        for (int i = 0; i < r; i++) {
            Dim in = x.dims().get(2 + i);
            if (outputShape != null && outputShape.length == r) {
                dims.add(Dim.of(outputShape[i]));
                continue;
            }
            int si = s != null && s.length == r ? s[i] : 1;
            if (!in.isKnown() || k == null || k.length != r || k[i] < 1 || si < 1) {
                dims.add(Dim.unknown());
                continue;
            }
            if (autoPad == AutoPad.SAME_UPPER || autoPad == AutoPad.SAME_LOWER) {
                dims.add(Dim.of(in.value() * si));
                continue;
            }
            int di = d != null && d.length == r ? d[i] : 1;
            int opi = op != null && op.length == r ? op[i] : 0;
            int pads = autoPad == AutoPad.NOTSET && p != null && p.length == 2 * r
                    ? p[i] + p[i + r] : 0;
            long size = si * (in.value() - 1) + opi + (long) (k[i] - 1) * di + 1 - pads;
            dims.add(size >= 0 ? Dim.of(size) : Dim.unknown());
        }
        return new TensorType(x.dtype(), dims);
    }
}
