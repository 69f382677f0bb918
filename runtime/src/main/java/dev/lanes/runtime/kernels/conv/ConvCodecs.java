package dev.lanes.runtime.kernels.conv;

import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.gemm.Epilogue;
import dev.lanes.runtime.kernels.spatial.ConvAttributes;
import dev.lanes.runtime.plan.KernelCodec;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.List;

/**
 * The plan-file codecs of the convolution kernels (see
 * {@link dev.lanes.runtime.plan.KernelCodecs}), and the parameters they share. Constant
 * weights are saved as the compiler left them and packed again when the kernel is rebuilt.
 */
public final class ConvCodecs {
    private ConvCodecs() {
    }

    /** The codecs of this package's kernels. */
    public static List<KernelCodec<?>> all() {
        return List.of(
                KernelCodec.of("conv.gemm", GemmConv.class, GemmConv::writeParams,
                        GemmConv::readParams),
                KernelCodec.of("conv.implicit_gemm", ImplicitGemmConv.class,
                        ImplicitGemmConv::writeParams, ImplicitGemmConv::readParams),
                KernelCodec.of("conv.winograd_f4x4_3x3", WinogradF4x4Conv3x3.class,
                        WinogradF4x4Conv3x3::writeParams, WinogradF4x4Conv3x3::readParams),
                KernelCodec.of("conv.depthwise", DepthwiseConv.class, DepthwiseConv::writeParams,
                        DepthwiseConv::readParams),
                KernelCodec.of("conv.blocked_pointwise", BlockedPointwiseConv.class,
                        BlockedPointwiseConv::writeParams, BlockedPointwiseConv::readParams),
                KernelCodec.of("conv_transpose.gemm", GemmConvTranspose.class,
                        GemmConvTranspose::writeParams, GemmConvTranspose::readParams),
                KernelCodec.of("layout.channel_blocks", ChannelBlocksReorder.class,
                        ChannelBlocksReorder::writeParams, ChannelBlocksReorder::readParams),
                KernelCodec.of("conv.blocked_channel_scale", BlockedChannelScale.class,
                        (k, out) -> writeBlock(out), in -> {
                            checkBlock(in);
                            return new BlockedChannelScale();
                        }),
                KernelCodec.of("conv.blocked_direct", BlockedDirectConv.class, BlockedDirectConv::writeParams,
                        BlockedDirectConv::readParams),
                KernelCodec.of("pool.blocked_max", BlockedMaxPool.class, BlockedMaxPool::writeParams,
                        BlockedMaxPool::readParams),
                KernelCodec.of("pool.blocked_global_average", BlockedGlobalAveragePool.class,
                        (k, out) -> writeBlock(out), in -> {
                            checkBlock(in);
                            return new BlockedGlobalAveragePool();
                        }));
    }

    /**
     * What every GEMM-based convolution is built from.
     *
     * @param attrs    the resolved attributes
     * @param weights  the constant weights, or null when W comes at run time
     * @param epilogue what follows the convolution
     * @param residual true when input 3 is a residual
     * @param slice    where in its Concat's output it writes, or null for its own output
     */
    record ConvParams(ConvAttributes attrs, Tensor weights, Epilogue epilogue,
            boolean residual, ConcatSlice slice) {

        void write(ParamWriter out) {
            out.putRecord("attrs", attrs, ConvAttributes::writeTo)
                    .putTensor("weights", weights)
                    .putRecord("epilogue", epilogue, Epilogue::writeTo)
                    .putBool("residual", residual)
                    .putRecord("into_concat", slice, (c, w) -> w.putInt("channels", c.channels())
                            .putInt("offset", c.offset()));
        }

        /**
         * Reads them back; an epilogue whose per-channel arrays do not match the weights'
         * filters is refused here rather than failing in the middle of a run.
         */
        static ConvParams read(ParamReader in) {
            ConvAttributes a = in.requireRecord("attrs", ConvAttributes::readFrom);
            Tensor w = in.tensor("weights");
            Epilogue ep = in.requireRecord("epilogue", Epilogue::readFrom);
            if (w != null && w.rank() > 0) {
                checkChannels(in, "epilogue.scale", ep.scale(), w.dim(0));
                checkChannels(in, "epilogue.shift", ep.shift(), w.dim(0));
            }
            boolean residual = in.getBool("residual");
            // ConcatSlice's constructor checks the channels and the offset.
            ConcatSlice slice = in.record("into_concat", r -> new ConcatSlice(
                    r.getInt("channels"), r.getInt("offset")));
            return new ConvParams(a, w, ep, residual, slice);
        }

        private static void checkChannels(ParamReader in, String name, float[] v, int m) {
            if (v != null && v.length != m) {
                throw in.error(name, "has " + v.length + " values but the weights have " + m
                        + " filters");
            }
        }
    }

    /** Records the channels per block a channel-block kernel was planned for. */
    static void writeBlock(ParamWriter out) {
        out.putInt("block", ChannelBlocksReorder.BLOCK);
    }

    /**
     * Refuses a channel-block kernel planned for another block: the blocks are one vector of
     * channels, so a plan made where vectors hold another number of floats must be compiled
     * again.
     */
    static void checkBlock(ParamReader in) {
        long block = in.getLong("block");
        if (block != ChannelBlocksReorder.BLOCK) {
            throw in.error("block", "is " + block + " channels, planned on a machine whose"
                    + " vectors hold " + block + " floats; this machine's hold "
                    + ChannelBlocksReorder.BLOCK + ": compile the model again here");
        }
    }
}
