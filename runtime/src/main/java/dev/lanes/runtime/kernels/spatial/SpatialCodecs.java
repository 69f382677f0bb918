package dev.lanes.runtime.kernels.spatial;

import dev.lanes.runtime.kernels.spatial.ResizeKernel.AspectPolicy;
import dev.lanes.runtime.kernels.spatial.ResizeKernel.CoordinateMode;
import dev.lanes.runtime.kernels.spatial.ResizeKernel.Mode;
import dev.lanes.runtime.kernels.spatial.ResizeKernel.NearestMode;
import dev.lanes.runtime.plan.KernelCodec;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.List;

/**
 * The plan-file codecs of the spatial kernels (pooling, normalization, layout, resize, the
 * reference convolutions; see {@link dev.lanes.runtime.plan.KernelCodecs}), and the checks
 * their readers share.
 */
public final class SpatialCodecs {
    /** Resize reads at most X, roi, scales and sizes. */
    private static final int RESIZE_INPUTS = 4;

    private SpatialCodecs() {
    }

    /** The codecs of this package's kernels. */
    public static List<KernelCodec<?>> all() {
        return List.of(
                KernelCodec.of("norm.batch", BatchNormKernel.class,
                        BatchNormKernel::writeParams, BatchNormKernel::readParams),
                KernelCodec.of("norm.instance", InstanceNormKernel.class,
                        InstanceNormKernel::writeParams, InstanceNormKernel::readParams),
                KernelCodec.of("norm.lrn", LrnKernel.class, LrnKernel::writeParams,
                        LrnKernel::readParams),
                KernelCodec.of("conv.reference", ConvReference.class,
                        ConvReference::writeParams, ConvReference::readParams),
                KernelCodec.of("conv_transpose.direct", ConvTransposeKernel.class,
                        ConvTransposeKernel::writeParams, ConvTransposeKernel::readParams),
                KernelCodec.of("conv_transpose.reference", ConvTransposeReference.class,
                        ConvTransposeReference::writeParams, ConvTransposeReference::readParams),
                KernelCodec.of("layout.depth_to_space", DepthToSpaceKernel.class,
                        DepthToSpaceKernel::writeParams, DepthToSpaceKernel::readParams),
                KernelCodec.of("layout.space_to_depth", SpaceToDepthKernel.class,
                        SpaceToDepthKernel::writeParams, SpaceToDepthKernel::readParams),
                KernelCodec.of("layout.pad", PadKernel.class, PadKernel::writeParams,
                        PadKernel::readParams),
                KernelCodec.of("pool.window", PoolKernel.class, PoolKernel::writeParams,
                        PoolKernel::readParams),
                KernelCodec.of("pool.global", GlobalPoolKernel.class,
                        GlobalPoolKernel::writeParams, GlobalPoolKernel::readParams),
                KernelCodec.of("resize", ResizeKernel.class, ResizeKernel::writeParams,
                        ResizeKernel::readParams));
    }

    /** Refuses values below 1 in an optional array (sizes, strides, dilations). */
    static void positive(ParamReader in, String name, int[] v) {
        if (v != null) {
            for (int x : v) {
                if (x < 1) {
                    throw in.error(name, "holds " + x + "; every value must be 1 or more");
                }
            }
        }
    }

    /** A required int of 1 or more (a block size, a window size). */
    static int positive(ParamReader in, String name) {
        int v = in.getInt(name);
        if (v < 1) {
            throw in.error(name, "is " + v + ", must be 1 or more");
        }
        return v;
    }

    /** Writes Resize settings as a record. */
    static void writeResize(ResizeKernel.Settings s, ParamWriter out) {
        out.putEnum("mode", s.mode()).putEnum("coordinate_mode", s.coordinateMode())
                .putEnum("nearest_mode", s.nearestMode()).putFloat("cubic_a", s.cubicA())
                .putBool("exclude_outside", s.excludeOutside())
                .putFloat("extrapolation_value", s.extrapolationValue())
                .putBool("antialias", s.antialias()).putEnum("aspect_policy", s.aspectPolicy())
                .putInts("axes", s.axes()).putFloats("fixed_scales", s.fixedScales())
                .putInt("roi_input", s.roiInput()).putInt("scales_input", s.scalesInput())
                .putInt("sizes_input", s.sizesInput());
    }

    /** Reads Resize settings, checking that the inputs they name exist. */
    static ResizeKernel.Settings readResize(ParamReader in) {
        return new ResizeKernel.Settings(in.enumOrNull("mode", Mode.class),
                in.enumOrNull("coordinate_mode", CoordinateMode.class),
                in.enumOrNull("nearest_mode", NearestMode.class), in.getFloat("cubic_a"),
                in.getBool("exclude_outside"), in.getFloat("extrapolation_value"),
                in.getBool("antialias"), in.enumOrNull("aspect_policy", AspectPolicy.class),
                in.ints("axes"), in.floats("fixed_scales"), input(in, "roi_input"),
                input(in, "scales_input"), input(in, "sizes_input"));
    }

    /** An input index of Resize: -1 for none, else 1 to 3. */
    private static int input(ParamReader in, String name) {
        int i = in.getInt(name);
        if (i < -1 || i == 0 || i >= RESIZE_INPUTS) {
            throw in.error(name, "is " + i + "; Resize reads inputs 1 to "
                    + (RESIZE_INPUTS - 1) + ", or -1 for none");
        }
        return i;
    }
}
