package dev.lanes.compiler.ops;

import dev.lanes.compiler.ir.Dim;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.TensorType;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.spatial.ResizeKernel;
import dev.lanes.runtime.kernels.spatial.ResizeKernel.AspectPolicy;
import dev.lanes.runtime.kernels.spatial.ResizeKernel.CoordinateMode;
import dev.lanes.runtime.kernels.spatial.ResizeKernel.Mode;
import dev.lanes.runtime.kernels.spatial.ResizeKernel.NearestMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Resize (opsets 10, 11, 13, 18, 19) and Upsample (scales attribute in opset 7, input from 9).
 * Opset 10 Resize and Upsample map output to input coordinates as x / scale and pick the nearest
 * cell by rounding down; from opset 11 the attributes choose.
 */
final class SpatialResizeOps {
    private SpatialResizeOps() {
    }

    static void register(OpRegistry r) {
        r.register("Resize", new OpHandler() {
            @Override
            public int minOpset() {
                return 10;
            }

            @Override
            public void inferTypes(Node n) {
                n.output(0).setType(outType(n, settings(n)));
            }

            @Override
            public Kernel lower(Node n) {
                SpatialSupport.requireInputs(n, 1, "X");
                ResizeKernel.Settings s = settings(n);
                if (!SpatialSupport.present(n, s.scalesInput())
                        && !SpatialSupport.present(n, s.sizesInput())) {
                    throw n.error("needs a scales or a sizes input");
                }
                return new ResizeKernel(s);
            }
        });
        r.register("Upsample", new OpHandler() {
            @Override
            public int minOpset() {
                return 7;
            }

            @Override
            public void inferTypes(Node n) {
                n.output(0).setType(outType(n, upsampleSettings(n)));
            }

            @Override
            public Kernel lower(Node n) {
                SpatialSupport.requireInputs(n, 1, "X");
                ResizeKernel.Settings s = upsampleSettings(n);
                if (s.fixedScales() == null && !SpatialSupport.present(n, s.scalesInput())) {
                    throw n.error("input 1 (scales) is missing");
                }
                return new ResizeKernel(s);
            }
        });
    }

    private static Mode mode(Node n) {
        String m = n.getString("mode", "nearest").toLowerCase(Locale.ROOT);
        return switch (m) {
            case "nearest" -> Mode.NEAREST;
            case "linear", "bilinear", "trilinear" -> Mode.LINEAR;
            case "cubic" -> Mode.CUBIC;
            default -> throw n.error("unknown mode '" + m + "'");
        };
    }

    private static ResizeKernel.Settings upsampleSettings(Node n) {
        Mode mode = mode(n);
        if (mode == Mode.CUBIC) {
            throw n.error("Upsample supports modes nearest and linear, not cubic");
        }
        float[] fixed = null;
        int scalesInput = 1;
        if (n.opset() < 9) {
            fixed = n.getFloats("scales", null);
            if (fixed == null) {
                throw n.error("missing required attribute 'scales'");
            }
            scalesInput = -1;
        }
        return new ResizeKernel.Settings(mode, CoordinateMode.ASYMMETRIC, NearestMode.FLOOR,
                -0.75f, false, 0f, false, AspectPolicy.STRETCH, null, fixed, -1, scalesInput, -1);
    }

    private static ResizeKernel.Settings settings(Node n) {
        Mode mode = mode(n);
        if (n.opset() < 11) {
            if (mode == Mode.CUBIC) {
                throw n.error("Resize-10 supports modes nearest and linear, not cubic");
            }
            return new ResizeKernel.Settings(mode, CoordinateMode.ASYMMETRIC, NearestMode.FLOOR,
                    -0.75f, false, 0f, false, AspectPolicy.STRETCH, null, null, -1, 1, -1);
        }
        String c = n.getString("coordinate_transformation_mode", "half_pixel");
        CoordinateMode coord = switch (c) {
            case "half_pixel" -> CoordinateMode.HALF_PIXEL;
            case "half_pixel_symmetric" -> CoordinateMode.HALF_PIXEL_SYMMETRIC;
            case "pytorch_half_pixel" -> CoordinateMode.PYTORCH_HALF_PIXEL;
            case "align_corners" -> CoordinateMode.ALIGN_CORNERS;
            case "asymmetric" -> CoordinateMode.ASYMMETRIC;
            case "tf_half_pixel_for_nn" -> CoordinateMode.TF_HALF_PIXEL_FOR_NN;
            case "tf_crop_and_resize" -> CoordinateMode.TF_CROP_AND_RESIZE;
            default -> throw n.error("unknown coordinate_transformation_mode '" + c + "'");
        };
        String nm = n.getString("nearest_mode", "round_prefer_floor");
        NearestMode nearest = switch (nm) {
            case "round_prefer_floor" -> NearestMode.ROUND_PREFER_FLOOR;
            case "round_prefer_ceil" -> NearestMode.ROUND_PREFER_CEIL;
            case "floor" -> NearestMode.FLOOR;
            case "ceil" -> NearestMode.CEIL;
            default -> throw n.error("unknown nearest_mode '" + nm + "'");
        };
        String kp = n.getString("keep_aspect_ratio_policy", "stretch");
        AspectPolicy policy = switch (kp) {
            case "stretch" -> AspectPolicy.STRETCH;
            case "not_larger" -> AspectPolicy.NOT_LARGER;
            case "not_smaller" -> AspectPolicy.NOT_SMALLER;
            default -> throw n.error("unknown keep_aspect_ratio_policy '" + kp + "'");
        };
        return new ResizeKernel.Settings(mode, coord, nearest, n.getFloat("cubic_coeff_a", -0.75f),
                n.getInt("exclude_outside", 0) != 0, n.getFloat("extrapolation_value", 0f),
                n.getInt("antialias", 0) != 0, policy, n.getIntArray("axes", null), null, 1, 2, 3);
    }

    /** The output type when the scales or sizes are constants; else the rank only. */
    private static TensorType outType(Node n, ResizeKernel.Settings s) {
        TensorType x = Types.in(n, 0);
        if (!x.hasRank()) {
            return new TensorType(x.dtype(), null);
        }
        int rank = x.rank();
        TensorType unknown = Types.unknownDims(x.dtype(), rank);
        int[] axes = s.axes();
        if (axes == null) {
            axes = new int[rank];
            for (int i = 0; i < rank; i++) {
                axes[i] = i;
            }
        }
        for (int i = 0; i < axes.length; i++) {
            if (axes[i] < -rank || axes[i] >= rank) {
                return unknown;
            }
            axes[i] = axes[i] < 0 ? axes[i] + rank : axes[i];
        }
        List<Dim> out = new ArrayList<>(x.dims());
        Tensor sizes = s.sizesInput() >= 0 ? SpatialSupport.constant(n, s.sizesInput()) : null;
        if (s.sizesInput() >= 0 && SpatialSupport.present(n, s.sizesInput())
                && (sizes == null)) {
            return unknown;
        }
        if (sizes != null && sizes.size() > 0) {
            if (sizes.size() != axes.length) {
                return unknown;
            }
            if (s.aspectPolicy() != AspectPolicy.STRETCH) {
                return unknown;
            }
            for (int i = 0; i < axes.length; i++) {
                long v = sizes.getLong(i);
                out.set(axes[i], v >= 0 ? Dim.of(v) : Dim.unknown());
            }
            return new TensorType(x.dtype(), out);
        }
        float[] scales = s.fixedScales();
        if (scales == null) {
            Tensor t = s.scalesInput() >= 0 ? SpatialSupport.constant(n, s.scalesInput()) : null;
            if (t == null || t.size() != axes.length) {
                return unknown;
            }
            scales = new float[t.size()];
            for (int i = 0; i < scales.length; i++) {
                scales[i] = (float) t.getDouble(i);
            }
        }
        if (scales.length != axes.length) {
            return unknown;
        }
        for (int i = 0; i < axes.length; i++) {
            Dim d = out.get(axes[i]);
            if (!(scales[i] > 0)) {
                return unknown;
            }
            out.set(axes[i], d.isKnown() ? Dim.of((long) Math.floor(d.value() * (double) scales[i]))
                    : scales[i] == 1f ? d : Dim.unknown());
        }
        return new TensorType(x.dtype(), out);
    }
}
