package dev.lanes.compiler.ops;

import dev.lanes.compiler.ir.Dim;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.TensorType;
import dev.lanes.compiler.ir.Value;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.spatial.AutoPad;
import java.util.ArrayList;
import java.util.List;

/** Attribute parsing and shape arithmetic shared by the spatial operator handlers. */
final class SpatialSupport {
    private SpatialSupport() {
    }

    /** The auto_pad attribute (absent or empty: NOTSET). */
    static AutoPad autoPad(Node n) {
        String s = n.getString("auto_pad", "NOTSET");
        if (s.isEmpty()) {
            return AutoPad.NOTSET;
        }
        AutoPad a = AutoPad.parse(s);
        if (a == null) {
            throw n.error("unknown auto_pad '" + s + "' (expected NOTSET, SAME_UPPER, SAME_LOWER"
                    + " or VALID)");
        }
        return a;
    }

    /** An INTS attribute that must have {@code count} values when present. */
    static int[] ints(Node n, String attr, int count) {
        int[] v = n.getIntArray(attr, null);
        if (v != null && count >= 0 && v.length != count) {
            throw n.error("attribute '" + attr + "' has " + v.length + " values, expected "
                    + count);
        }
        return v;
    }

    /** Checks that every value is positive. */
    static void positive(Node n, String attr, int[] v) {
        if (v == null) {
            return;
        }
        for (int x : v) {
            if (x < 1) {
                throw n.error("attribute '" + attr + "' values must be positive, got " + x);
            }
        }
    }

    /** Checks that every value is non-negative. */
    static void nonNegative(Node n, String attr, int[] v) {
        if (v == null) {
            return;
        }
        for (int x : v) {
            if (x < 0) {
                throw n.error("attribute '" + attr + "' values must not be negative, got " + x);
            }
        }
    }

    /** A float or int attribute read as float (LpPool-1 has FLOAT p, later opsets INT). */
    static float number(Node n, String attr, float dflt) {
        var a = n.attributes().get(attr);
        if (a == null) {
            return dflt;
        }
        if (a.value() instanceof Long l) {
            return l;
        }
        if (a.value() instanceof Float f) {
            return f;
        }
        throw n.error("attribute '" + attr + "' should be INT or FLOAT but is " + a.kind());
    }

    /**
     * The output size of a sliding window along one axis, or unknown when the input size is.
     * Mirrors {@link dev.lanes.runtime.kernels.spatial.Window}.
     */
    static Dim windowDim(Dim in, int k, int s, int d, int pb, int pe, AutoPad autoPad,
            boolean ceil) {
        if (!in.isKnown() || k < 1 || s < 1 || d < 1) {
            return Dim.unknown();
        }
        long n = in.value();
        long eff = (long) (k - 1) * d + 1;
        if (autoPad == AutoPad.SAME_UPPER || autoPad == AutoPad.SAME_LOWER) {
            return Dim.of((n + s - 1) / s);
        }
        if (autoPad == AutoPad.VALID) {
            pb = 0;
            pe = 0;
        }
        long span = n + pb + pe - eff;
        if (span < 0) {
            return Dim.unknown();
        }
        long o;
        if (ceil) {
            o = (span + s - 1) / s + 1;
            if ((o - 1) * s >= n + pb) {
                o--;
            }
        } else {
            o = span / s + 1;
        }
        return Dim.of(o);
    }

    /**
     * The output type of a window op over X: [N, channels, window sizes...]; {@code kernel} may
     * hold -1 for unknown sizes (then that axis is unknown).
     */
    static TensorType windowType(TensorType x, Dim channels, int[] kernel, int[] strides,
            int[] dilations, int[] pads, AutoPad autoPad, boolean ceil) {
        if (!x.hasRank() || kernel == null || x.rank() != kernel.length + 2) {
            return x.hasRank() ? Types.unknownDims(x.dtype(), x.rank())
                    : new TensorType(x.dtype(), null);
        }
        int r = kernel.length;
        List<Dim> dims = new ArrayList<>();
        dims.add(x.dims().get(0));
        dims.add(channels);
        for (int i = 0; i < r; i++) {
            if (kernel[i] < 1) {
                dims.add(Dim.unknown());
                continue;
            }
            int s = strides == null || strides.length != r ? 1 : strides[i];
            int d = dilations == null || dilations.length != r ? 1 : dilations[i];
            int pb = pads == null || pads.length != 2 * r ? 0 : pads[i];
            int pe = pads == null || pads.length != 2 * r ? 0 : pads[i + r];
            dims.add(windowDim(x.dims().get(2 + i), kernel[i], s, d, pb, pe, autoPad, ceil));
        }
        return new TensorType(x.dtype(), dims);
    }

    /** The dimension {@code i} of a type, or unknown. */
    static Dim dim(TensorType t, int i) {
        return t.hasRank() && i < t.rank() ? t.dims().get(i) : Dim.unknown();
    }

    /** The constant value of input {@code i}, or null. */
    static Tensor constant(Node n, int i) {
        Value v = n.input(i);
        return v == null ? null : v.constant();
    }

    /** Rejects the node when one of its first {@code count} inputs is absent. */
    static void requireInputs(Node n, int count, String names) {
        for (int i = 0; i < count; i++) {
            if (!present(n, i)) {
                throw n.error("input " + i + " is missing (required inputs: " + names + ")");
            }
        }
    }

    /** True when input {@code i} is present. */
    static boolean present(Node n, int i) {
        return i >= 0 && n.input(i) != null;
    }

    /**
     * True when output {@code i} is declared with a name in the model (the importer names the
     * placeholders of omitted optional outputs after the node with "_unused").
     */
    static boolean outputUsed(Node n, int i) {
        return i < n.outputs().size()
                && !n.output(i).name().startsWith(n.name() + "_unused");
    }

    /** Rejects the node when any output from {@code first} on is declared. */
    static void rejectExtraOutputs(Node n, int first, String why) {
        for (int i = first; i < n.outputs().size(); i++) {
            if (outputUsed(n, i)) {
                throw n.error("output " + i + " ('" + n.output(i).name() + "') is not supported: "
                        + why);
            }
        }
    }
}
