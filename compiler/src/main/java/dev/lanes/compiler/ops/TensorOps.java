package dev.lanes.compiler.ops;

import static dev.lanes.compiler.ops.TensorTypes.axis;
import static dev.lanes.compiler.ops.TensorTypes.dims;
import static dev.lanes.compiler.ops.TensorTypes.dtype;
import static dev.lanes.compiler.ops.TensorTypes.ints;
import static dev.lanes.compiler.ops.TensorTypes.present;
import static dev.lanes.compiler.ops.TensorTypes.same;
import static dev.lanes.compiler.ops.TensorTypes.set;
import static dev.lanes.compiler.ops.TensorTypes.unknown;

import dev.lanes.compiler.ir.Dim;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ops.ShapeValues.Elem;
import dev.lanes.errors.ShapeException;
import dev.lanes.formats.ElementType;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.kernels.tensor.ConcatKernel;
import dev.lanes.runtime.kernels.tensor.ExpandKernel;
import dev.lanes.runtime.kernels.tensor.EyeLikeKernel;
import dev.lanes.runtime.kernels.tensor.GatherElementsKernel;
import dev.lanes.runtime.kernels.tensor.GatherKernel;
import dev.lanes.runtime.kernels.tensor.NonZeroKernel;
import dev.lanes.runtime.kernels.tensor.SliceKernel;
import dev.lanes.runtime.kernels.tensor.SplitKernel;
import dev.lanes.runtime.kernels.tensor.TileKernel;
import dev.lanes.runtime.kernels.tensor.TransposeKernel;
import java.util.ArrayList;
import java.util.List;

/**
 * Operators that move values between tensors: Concat, Split, Slice, Transpose, Gather,
 * GatherElements, Expand, Tile, NonZero, EyeLike; the shape operators are in {@link ShapeOps}.
 * Opset-dependent forms (attributes that became inputs) are resolved here.
 */
final class TensorOps {
    /** Slice ends at or beyond this mean "to the end" on an axis of unknown size. */
    private static final long TO_THE_END = Integer.MAX_VALUE;

    private TensorOps() {
    }

    static void register(OpRegistry r) {
        r.register("Concat", new TensorHandler(TensorOps::inferConcat,
                n -> new ConcatKernel(concatAxis(n))));
        r.register("Split", new TensorHandler(TensorOps::inferSplit, TensorOps::lowerSplit));
        r.register("Slice", new TensorHandler(TensorOps::inferSlice, TensorOps::lowerSlice));
        r.register("Transpose", new TensorHandler(TensorOps::inferTranspose,
                TensorOps::lowerTranspose));
        r.register("Gather", new TensorHandler(TensorOps::inferGather,
                n -> new GatherKernel(n.getInt("axis", 0))));
        r.register("GatherElements", new TensorHandler(n -> set(n, 0, dtype(n, 0), dims(n, 1)),
                n -> new GatherElementsKernel(n.getInt("axis", 0))));
        r.register("Expand", new TensorHandler(TensorOps::inferExpand, n -> new ExpandKernel()));
        r.register("Tile", new TensorHandler(TensorOps::inferTile, TensorOps::lowerTile));
        r.register("NonZero", new TensorHandler(TensorOps::inferNonZero,
                n -> new NonZeroKernel()));
        r.register("EyeLike", new TensorHandler(n -> set(n, 0, eyeLikeType(n), dims(n, 0)),
                n -> new EyeLikeKernel(eyeLikeType(n), n.getInt("k", 0))));
        ShapeOps.register(r);
    }

    // ---- Concat ----

    private static long concatAxis(Node n) {
        // Opset 1 defaulted to axis 1; from opset 4 the attribute is required.
        return n.opset() < 4 ? n.getInt("axis", 1) : n.requireInt("axis");
    }

    private static void inferConcat(Node n) {
        DType dt = null;
        int rank = -1;
        for (int i = 0; i < n.inputCount(); i++) {
            if (dt == null) {
                dt = dtype(n, i);
            }
            if (rank < 0 && dims(n, i) != null) {
                rank = dims(n, i).size();
            }
        }
        if (rank < 0) {
            set(n, 0, dt, null);
            return;
        }
        int ax = axis(n, concatAxis(n), rank, "axis");
        List<Dim> out = unknown(rank);
        long sum = 0;
        boolean sumKnown = true;
        List<Elem> elems = rank == 1 ? new ArrayList<>() : null;
        for (int i = 0; i < n.inputCount(); i++) {
            List<Dim> d = dims(n, i);
            if (d == null) {
                sumKnown = false;
                elems = null;
                continue;
            }
            if (d.size() != rank) {
                throw new ShapeException(n.describe() + ": input " + i + " has rank " + d.size()
                        + " but another input has rank " + rank);
            }
            for (int a = 0; a < rank; a++) {
                if (a == ax) {
                    sumKnown &= d.get(a).isKnown();
                    sum += Math.max(0, d.get(a).value());
                } else {
                    Dim prev = out.get(a);
                    if (prev.isKnown() && d.get(a).isKnown() && prev.value() != d.get(a).value()) {
                        throw new ShapeException(n.describe() + ": input " + i + " has size "
                                + d.get(a).value() + " on axis " + a + ", another input "
                                + prev.value());
                    }
                    out.set(a, same(prev, d.get(a)));
                }
            }
            List<Elem> e = elems == null ? null : ShapeValues.of(n.input(i));
            elems = e == null ? null : elems;
            if (elems != null) {
                elems.addAll(e);
            }
        }
        out.set(ax, sumKnown ? Dim.of(sum) : Dim.unknown());
        set(n, 0, dt, out);
        ShapeValues.set(n.output(0), elems);
    }

    // ---- Split ----

    private static long[] splitSizes(Node n) {
        if (n.opset() < 13 && n.has("split")) {
            return n.getInts("split", null);
        }
        return null;
    }

    private static boolean splitUneven(Node n) {
        if (n.opset() >= 18 && n.has("num_outputs")) {
            long k = n.getInt("num_outputs", 0);
            if (k != n.outputs().size()) {
                throw n.error("num_outputs is " + k + " but the node has " + n.outputs().size()
                        + " outputs");
            }
            return true;
        }
        return false;
    }

    private static Kernel lowerSplit(Node n) {
        return new SplitKernel(n.getInt("axis", 0), splitSizes(n), n.outputs().size(),
                splitUneven(n));
    }

    private static void inferSplit(Node n) {
        DType dt = dtype(n, 0);
        List<Dim> d = dims(n, 0);
        int k = n.outputs().size();
        if (d == null) {
            for (int i = 0; i < k; i++) {
                set(n, i, dt, null);
            }
            return;
        }
        int ax = axis(n, n.getInt("axis", 0), d.size(), "axis");
        long[] sizes = splitSizes(n);
        if (sizes == null && present(n, 1)) {
            sizes = ints(n, 1);
        } else if (sizes == null && d.get(ax).isKnown()) {
            long len = d.get(ax).value();
            sizes = new long[k];
            long part = splitUneven(n) ? (len + k - 1) / k : len / k;
            long left = len;
            for (int i = 0; i < k; i++) {
                sizes[i] = Math.min(part, left);
                left -= sizes[i];
            }
        }
        for (int i = 0; i < k; i++) {
            List<Dim> o = new ArrayList<>(d);
            o.set(ax, sizes != null && i < sizes.length ? Dim.of(sizes[i]) : Dim.unknown());
            set(n, i, dt, o);
        }
    }

    // ---- Slice ----

    /** Starts, ends, axes and steps when all are known at compile time, else null. */
    private static long[][] sliceParams(Node n) {
        if (n.opset() < 10) {
            return new long[][] {n.requireInts("starts"), n.requireInts("ends"),
                n.getInts("axes", null), null};
        }
        long[][] p = new long[4][];
        for (int i = 0; i < 4; i++) {
            if (present(n, i + 1)) {
                p[i] = ShapeValues.numbers(ShapeValues.of(n.input(i + 1)));
                if (p[i] == null) {
                    return null;
                }
            }
        }
        return p[0] == null || p[1] == null ? null : p;
    }

    private static Kernel lowerSlice(Node n) {
        if (n.opset() < 10) {
            long[][] p = sliceParams(n);
            return new SliceKernel(p[0], p[1], p[2]);
        }
        return new SliceKernel();
    }

    private static void inferSlice(Node n) {
        DType dt = dtype(n, 0);
        List<Dim> d = dims(n, 0);
        if (d == null) {
            set(n, 0, dt, null);
            return;
        }
        long[][] p = sliceParams(n);
        if (p == null) {
            set(n, 0, dt, unknown(d.size()));
            return;
        }
        long[] st = p[0];
        long[] en = p[1];
        if (en.length != st.length || (p[2] != null && p[2].length != st.length)
                || (p[3] != null && p[3].length != st.length)) {
            throw n.error("starts, ends, axes and steps have different lengths");
        }
        List<Dim> out = new ArrayList<>(d);
        List<Elem> in = d.size() == 1 ? ShapeValues.of(n.input(0)) : null;
        List<Elem> elems = null;
        for (int i = 0; i < st.length; i++) {
            int a = axis(n, p[2] == null ? i : p[2][i], d.size(), "axis");
            long step = p[3] == null ? 1 : p[3][i];
            if (step == 0) {
                throw n.error("step on axis " + a + " is 0");
            }
            Dim dim = d.get(a);
            if (dim.isKnown()) {
                long[] r = SliceKernel.range(dim.value(), st[i], en[i], step);
                out.set(a, Dim.of(r[1]));
                if (in != null && in.size() == dim.value()) {
                    elems = new ArrayList<>();
                    for (long k = 0; k < r[1]; k++) {
                        elems.add(in.get((int) (r[0] + k * step)));
                    }
                }
            } else {
                boolean whole = step == 1 && st[i] == 0 && en[i] >= TO_THE_END;
                out.set(a, whole ? dim : Dim.unknown());
            }
        }
        set(n, 0, dt, out);
        ShapeValues.set(n.output(0), elems);
    }

    // ---- Transpose ----

    private static Kernel lowerTranspose(Node n) {
        int[] perm = n.getIntArray("perm", null);
        if (perm != null) {
            try {
                TransposeKernel.permutation(perm, perm.length);
            } catch (ShapeException e) {
                throw n.error(e.getMessage());
            }
        }
        return new TransposeKernel(perm);
    }

    private static void inferTranspose(Node n) {
        List<Dim> d = dims(n, 0);
        if (d == null) {
            set(n, 0, dtype(n, 0), null);
            return;
        }
        int[] perm;
        try {
            perm = TransposeKernel.permutation(n.getIntArray("perm", null), d.size());
        } catch (ShapeException e) {
            throw n.error(e.getMessage());
        }
        List<Dim> out = new ArrayList<>();
        for (int p : perm) {
            out.add(d.get(p));
        }
        set(n, 0, dtype(n, 0), out);
    }

    // ---- Gather ----

    private static void inferGather(Node n) {
        List<Dim> d = dims(n, 0);
        List<Dim> idx = dims(n, 1);
        if (d == null || idx == null) {
            set(n, 0, dtype(n, 0), null);
            return;
        }
        int ax = axis(n, n.getInt("axis", 0), d.size(), "axis");
        List<Dim> out = new ArrayList<>(d.subList(0, ax));
        out.addAll(idx);
        out.addAll(d.subList(ax + 1, d.size()));
        set(n, 0, dtype(n, 0), out);
        List<Elem> data = d.size() == 1 ? ShapeValues.of(n.input(0)) : null;
        long[] which = ints(n, 1);
        List<Elem> elems = null;
        if (data != null && which != null && idx.size() <= 1) {
            elems = new ArrayList<>();
            for (long w : which) {
                long i = w < 0 ? w + data.size() : w;
                if (i < 0 || i >= data.size()) {
                    throw n.error("index " + w + " is out of range for " + data.size()
                            + " elements");
                }
                elems.add(data.get((int) i));
            }
        }
        ShapeValues.set(n.output(0), elems);
    }

    // ---- Expand, Tile ----

    private static void inferExpand(Node n) {
        List<Dim> d = dims(n, 0);
        List<Elem> spec = ShapeValues.of(n.input(1));
        List<Dim> specDims = dims(n, 1);
        if (d == null || spec == null) {
            boolean rankKnown = d != null && specDims != null && specDims.size() == 1
                    && specDims.get(0).isKnown();
            set(n, 0, dtype(n, 0), rankKnown
                    ? unknown((int) Math.max(d.size(), specDims.get(0).value())) : null);
            return;
        }
        int rank = Math.max(d.size(), spec.size());
        List<Dim> out = new ArrayList<>();
        for (int o = 0; o < rank; o++) {
            int i = o - (rank - d.size());
            int s = o - (rank - spec.size());
            Dim a = i >= 0 ? d.get(i) : Dim.of(1);
            Dim b = s >= 0 ? spec.get(s).asDim() : Dim.of(1);
            if (a.isKnown() && b.isKnown() && a.value() != b.value() && a.value() != 1
                    && b.value() != 1) {
                throw new ShapeException(n.describe() + ": input of size " + a.value()
                        + " on axis " + o + " cannot be expanded to " + b.value());
            }
            out.add(a.isKnown() && a.value() == 1 ? b : b.isKnown() && b.value() == 1 ? a
                    : same(a, b));
        }
        set(n, 0, dtype(n, 0), out);
    }

    private static Kernel lowerTile(Node n) {
        // Before opset 6 the inputs were a count and an axis instead of per-axis repeats.
        return new TileKernel(n.opset() < 6);
    }

    private static void inferTile(Node n) {
        List<Dim> d = dims(n, 0);
        if (d == null) {
            set(n, 0, dtype(n, 0), null);
            return;
        }
        long[] reps = ShapeValues.numbers(ShapeValues.of(n.input(1)));
        if (n.opset() < 6) {
            long[] axis = ints(n, 2);
            if (reps != null && reps.length == 1 && axis != null && axis.length == 1) {
                long count = reps[0];
                reps = new long[d.size()];
                java.util.Arrays.fill(reps, 1);
                reps[axis(n, axis[0], d.size(), "axis")] = count;
            } else {
                reps = null;
            }
        }
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            Dim x = d.get(i);
            if (reps == null || reps.length != d.size()) {
                out.add(Dim.unknown());
            } else if (reps[i] == 1) {
                out.add(x);
            } else {
                out.add(x.isKnown() ? Dim.of(x.value() * reps[i]) : Dim.unknown());
            }
        }
        set(n, 0, dtype(n, 0), out);
    }

    // ---- NonZero, EyeLike ----

    private static void inferNonZero(Node n) {
        List<Dim> d = dims(n, 0);
        set(n, 0, DType.INT64, List.of(d == null ? Dim.unknown() : Dim.of(d.size()),
                Dim.unknown()));
    }

    private static DType eyeLikeType(Node n) {
        if (!n.has("dtype")) {
            return dtype(n, 0);
        }
        int code = (int) n.getInt("dtype", 1);
        ElementType e = ElementType.fromOnnx(code, n.describe() + " dtype");
        // The runtime holds DOUBLE as FLOAT, as it does for DOUBLE inputs and constants.
        DType t = e == ElementType.DOUBLE ? DType.FLOAT : DType.of(e);
        if (t == null) {
            throw n.error("dtype " + ElementType.onnxName(code) + " is not supported");
        }
        return t;
    }
}
