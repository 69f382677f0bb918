package dev.lanes.runtime.plan;

import dev.lanes.runtime.DType;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.conv.BlockedChannelScale;
import dev.lanes.runtime.kernels.conv.BlockedDirectConv;
import dev.lanes.runtime.kernels.conv.BlockedGlobalAveragePool;
import dev.lanes.runtime.kernels.conv.BlockedMaxPool;
import dev.lanes.runtime.kernels.conv.BlockedPointwiseConv;
import dev.lanes.runtime.kernels.conv.ChannelBlocksReorder;
import dev.lanes.runtime.kernels.conv.ConcatSlice;
import dev.lanes.runtime.kernels.conv.DepthwiseConv;
import dev.lanes.runtime.kernels.conv.GemmConv;
import dev.lanes.runtime.kernels.conv.GemmConvTranspose;
import dev.lanes.runtime.kernels.conv.ImplicitGemmConv;
import dev.lanes.runtime.kernels.conv.WinogradF4x4Conv3x3;
import dev.lanes.runtime.kernels.elementwise.BinaryKernel;
import dev.lanes.runtime.kernels.elementwise.Cast;
import dev.lanes.runtime.kernels.elementwise.CastLikeKernel;
import dev.lanes.runtime.kernels.elementwise.ClipKernel;
import dev.lanes.runtime.kernels.elementwise.UnaryKernel;
import dev.lanes.runtime.kernels.elementwise.VariadicKernel;
import dev.lanes.runtime.kernels.elementwise.WhereKernel;
import dev.lanes.runtime.kernels.gemm.Activation;
import dev.lanes.runtime.kernels.gemm.Epilogue;
import dev.lanes.runtime.kernels.linalg.GemmKernel;
import dev.lanes.runtime.kernels.linalg.MatMulKernel;
import dev.lanes.runtime.kernels.reduce.ArgReduceKernel;
import dev.lanes.runtime.kernels.reduce.ReduceKernel;
import dev.lanes.runtime.kernels.reduce.SoftmaxKernel;
import dev.lanes.runtime.kernels.spatial.AutoPad;
import dev.lanes.runtime.kernels.spatial.BatchNormKernel;
import dev.lanes.runtime.kernels.spatial.ConvAttributes;
import dev.lanes.runtime.kernels.spatial.ConvReference;
import dev.lanes.runtime.kernels.spatial.ConvTransposeKernel;
import dev.lanes.runtime.kernels.spatial.ConvTransposeReference;
import dev.lanes.runtime.kernels.spatial.DepthToSpaceKernel;
import dev.lanes.runtime.kernels.spatial.GlobalPoolKernel;
import dev.lanes.runtime.kernels.spatial.InstanceNormKernel;
import dev.lanes.runtime.kernels.spatial.LrnKernel;
import dev.lanes.runtime.kernels.spatial.PadKernel;
import dev.lanes.runtime.kernels.spatial.PoolKernel;
import dev.lanes.runtime.kernels.spatial.ResizeKernel;
import dev.lanes.runtime.kernels.spatial.SpaceToDepthKernel;
import dev.lanes.runtime.kernels.tensor.ConcatKernel;
import dev.lanes.runtime.kernels.tensor.ConstantKernel;
import dev.lanes.runtime.kernels.tensor.ConstantOfShapeKernel;
import dev.lanes.runtime.kernels.tensor.DropoutKernel;
import dev.lanes.runtime.kernels.tensor.ExpandKernel;
import dev.lanes.runtime.kernels.tensor.EyeLikeKernel;
import dev.lanes.runtime.kernels.tensor.FlattenKernel;
import dev.lanes.runtime.kernels.tensor.GatherElementsKernel;
import dev.lanes.runtime.kernels.tensor.GatherKernel;
import dev.lanes.runtime.kernels.tensor.IdentityKernel;
import dev.lanes.runtime.kernels.tensor.NonZeroKernel;
import dev.lanes.runtime.kernels.tensor.RangeKernel;
import dev.lanes.runtime.kernels.tensor.ReshapeKernel;
import dev.lanes.runtime.kernels.tensor.ShapeKernel;
import dev.lanes.runtime.kernels.tensor.SizeKernel;
import dev.lanes.runtime.kernels.tensor.SliceKernel;
import dev.lanes.runtime.kernels.tensor.SplitKernel;
import dev.lanes.runtime.kernels.tensor.SqueezeKernel;
import dev.lanes.runtime.kernels.tensor.TileKernel;
import dev.lanes.runtime.kernels.tensor.TransposeKernel;
import dev.lanes.runtime.kernels.tensor.UnsqueezeKernel;
import java.util.List;
import java.util.Random;

/** At least one instance of every kernel class that has a codec, with unusual parameters. */
final class KernelSamples {
    /** A kernel and the number of outputs its step has. */
    record Sample(Kernel kernel, int outputs) {
    }

    private KernelSamples() {
    }

    static Tensor random(Random rnd, int... shape) {
        float[] v = new float[Tensor.checkedSize(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextFloat() * 2 - 1;
        }
        return Tensor.of(v, shape);
    }

    static List<Sample> all() {
        Random rnd = new Random(7);
        ConvAttributes conv3 = ConvAttributes.conv(new int[] {3, 3}, new int[] {1, 1}, null,
                new int[] {1, 1, 1, 1}, AutoPad.NOTSET, 1);
        ConvAttributes strided = ConvAttributes.conv(null, new int[] {2, 2}, new int[] {1, 2},
                new int[] {0, 1, 2, 0}, AutoPad.NOTSET, 1);
        ConvAttributes depthwise = ConvAttributes.conv(new int[] {3, 3}, null, null, null,
                AutoPad.SAME_UPPER, 4);
        ConvAttributes transpose = new ConvAttributes(new int[] {3, 3}, new int[] {2, 2}, null,
                new int[] {1, 1, 1, 1}, AutoPad.NOTSET, 2, new int[] {1, 0}, null);
        Tensor w = random(rnd, 4, 2, 3, 3);
        Epilogue ep = new Epilogue(random(rnd, 4).floats(), random(rnd, 4).floats(),
                new Activation(Activation.Kind.CLIP, -0.5f, 6f));
        Epilogue shiftOnly = new Epilogue(null, random(rnd, 4).floats(),
                Activation.of(Activation.Kind.HARD_SWISH));
        int v = ChannelBlocksReorder.BLOCK;
        ResizeKernel.Settings resize = new ResizeKernel.Settings(ResizeKernel.Mode.CUBIC,
                ResizeKernel.CoordinateMode.ALIGN_CORNERS, null, -0.5f, true, 1.5f, true,
                ResizeKernel.AspectPolicy.NOT_LARGER, new int[] {2, 3}, new float[] {2f, 0.5f},
                1, 2, -1);
        return List.of(
                new Sample(new GemmConv(conv3, w, ep, true), 1),
                new Sample(new GemmConv(strided), 1),
                new Sample(new GemmConv(conv3, w, ep, true, new ConcatSlice(12, 4)), 1),
                new Sample(new ImplicitGemmConv(conv3, w, ep, false, new ConcatSlice(4, 0)), 1),
                new Sample(new WinogradF4x4Conv3x3(conv3, random(rnd, 4, 4, 3, 3), ep, false,
                        new ConcatSlice(9, 5)), 1),
                new Sample(new ImplicitGemmConv(conv3, w, shiftOnly, false), 1),
                new Sample(new WinogradF4x4Conv3x3(conv3, random(rnd, 4, 4, 3, 3), ep, true), 1),
                new Sample(new DepthwiseConv(depthwise, shiftOnly, true), 1),
                new Sample(DepthwiseConv.blocked(depthwise, Epilogue.NONE, false), 1),
                new Sample(new BlockedPointwiseConv(random(rnd, 2 * v, v, 1, 1),
                        Epilogue.bias(random(rnd, 2 * v).floats()), true), 1),
                new Sample(new GemmConvTranspose(transpose, random(rnd, 4, 3, 3, 3)), 1),
                new Sample(new ChannelBlocksReorder(true), 1),
                new Sample(new ChannelBlocksReorder(false), 1),
                new Sample(new BlockedChannelScale(), 1),
                new Sample(new BlockedGlobalAveragePool(), 1),
                new Sample(new BlockedDirectConv(conv3, random(rnd, v, 3, 3, 3),
                        Epilogue.bias(random(rnd, v).floats())), 1),
                new Sample(new BlockedMaxPool(new int[] {3, 2}, new int[] {2, 1}, null,
                        new int[] {1, 0, 1, 1}, AutoPad.NOTSET, true), 1),
                new Sample(new BinaryKernel(BinaryKernel.Op.ADD), 1),
                new Sample(new BinaryKernel(BinaryKernel.Op.PRELU, BinaryKernel.NO_AXIS, true),
                        1),
                new Sample(new BinaryKernel(BinaryKernel.Op.GREATER_OR_EQUAL, 1, false), 1),
                new Sample(new VariadicKernel(BinaryKernel.Op.MAX, true), 1),
                new Sample(new ClipKernel(-1.5f, Float.MAX_VALUE), 1),
                new Sample(new UnaryKernel(UnaryKernel.Op.SELU, 1.67f, 1.05f, 0.25f), 1),
                new Sample(new Cast(DType.INT32, Cast.Precision.HALF), 1),
                new Sample(new CastLikeKernel(), 1),
                new Sample(new WhereKernel(), 1),
                new Sample(new GemmKernel(0.5f, 2f, false, true, random(rnd, 3, 5),
                        Activation.of(Activation.Kind.GELU)), 1),
                new Sample(new GemmKernel(1f, 1f, true, false), 1),
                new Sample(new MatMulKernel(random(rnd, 5, 3)), 1),
                new Sample(new MatMulKernel(), 1),
                new Sample(new ReduceKernel(ReduceKernel.Op.LOG_SUM_EXP, new int[] {-1, 1},
                        false, true), 1),
                new Sample(new ReduceKernel(ReduceKernel.Op.L2, null, true, false), 1),
                new Sample(new ArgReduceKernel(true, -2, false, true), 1),
                new Sample(new SoftmaxKernel(SoftmaxKernel.Mode.HARDMAX, 1, true), 1),
                new Sample(new BatchNormKernel(1e-5f), 1),
                new Sample(new InstanceNormKernel(1e-3f), 1),
                new Sample(new LrnKernel(1e-4f, 0.75f, 2f, 5), 1),
                new Sample(new ConvReference(strided), 1),
                new Sample(new ConvTransposeKernel(transpose), 1),
                new Sample(new ConvTransposeReference(transpose), 1),
                new Sample(new DepthToSpaceKernel(2, true), 1),
                new Sample(new SpaceToDepthKernel(3), 1),
                new Sample(new PadKernel(PadKernel.Mode.REFLECT, new long[] {0, 0, 1, -1, 0, 0, 2,
                        1}, 0.1), 1),
                new Sample(new PadKernel(PadKernel.Mode.CONSTANT), 1),
                new Sample(new PoolKernel(PoolKernel.Type.MAX, new int[] {3, 3},
                        new int[] {2, 2}, null, new int[] {1, 1, 1, 1}, AutoPad.NOTSET, true,
                        false, 2f, true, true), 2),
                new Sample(new PoolKernel(PoolKernel.Type.LP, new int[] {2}, null,
                        new int[] {2}, null, AutoPad.SAME_LOWER, false, true, 3f, false, false),
                        1),
                new Sample(new GlobalPoolKernel(PoolKernel.Type.LP, 2f), 1),
                new Sample(new ResizeKernel(resize), 1),
                new Sample(new ConcatKernel(-1), 1),
                new Sample(new ConstantKernel(Tensor.vector(1, -2, 3)), 1),
                new Sample(new ConstantOfShapeKernel(Tensor.ofLongs(DType.INT32, new long[] {7},
                        1)), 1),
                new Sample(new EyeLikeKernel(DType.BOOL, -1), 1),
                new Sample(new FlattenKernel(2), 1),
                new Sample(new GatherKernel(-1), 1),
                new Sample(new GatherElementsKernel(1), 1),
                new Sample(new ReshapeKernel(new long[] {0, -1, 4}, true), 1),
                new Sample(new ReshapeKernel(false), 1),
                new Sample(new ShapeKernel(1, Long.MAX_VALUE), 1),
                new Sample(new SliceKernel(new long[] {0, -3}, new long[] {Long.MAX_VALUE, -1},
                        new long[] {1, 2}), 1),
                new Sample(new SliceKernel(), 1),
                new Sample(new SplitKernel(1, new long[] {2, 3, 1}, 3, false), 3),
                new Sample(new SplitKernel(-1, null, 2, true), 2),
                new Sample(new SqueezeKernel(new long[] {0, 2}), 1),
                new Sample(new SqueezeKernel(null), 1),
                new Sample(new UnsqueezeKernel(new long[] {-1}), 1),
                new Sample(new TileKernel(true), 1),
                new Sample(new TransposeKernel(new int[] {0, 2, 1}), 1),
                new Sample(new TransposeKernel(null), 1),
                new Sample(new DropoutKernel(), 2),
                new Sample(new ExpandKernel(), 1),
                new Sample(new IdentityKernel(), 1),
                new Sample(new NonZeroKernel(), 1),
                new Sample(new RangeKernel(), 1),
                new Sample(new SizeKernel(), 1));
    }
}
