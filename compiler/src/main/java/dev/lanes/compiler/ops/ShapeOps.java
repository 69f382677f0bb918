package dev.lanes.compiler.ops;

import static dev.lanes.compiler.ops.TensorTypes.axis;
import static dev.lanes.compiler.ops.TensorTypes.dims;
import static dev.lanes.compiler.ops.TensorTypes.dtype;
import static dev.lanes.compiler.ops.TensorTypes.present;
import static dev.lanes.compiler.ops.TensorTypes.set;
import static dev.lanes.compiler.ops.TensorTypes.unknown;

import dev.lanes.compiler.ir.Dim;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.onnx.ConstantAttributes;
import dev.lanes.compiler.ir.TensorType;
import dev.lanes.compiler.ops.ShapeValues.Elem;
import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.tensor.ConstantKernel;
import dev.lanes.runtime.kernels.tensor.ConstantOfShapeKernel;
import dev.lanes.runtime.kernels.tensor.FlattenKernel;
import dev.lanes.runtime.kernels.tensor.RangeKernel;
import dev.lanes.runtime.kernels.tensor.ReshapeKernel;
import dev.lanes.runtime.kernels.tensor.ShapeKernel;
import dev.lanes.runtime.kernels.tensor.SizeKernel;
import dev.lanes.runtime.kernels.tensor.SqueezeKernel;
import dev.lanes.runtime.kernels.tensor.UnsqueezeKernel;
import java.util.ArrayList;
import java.util.List;

/**
 * Operators that make or change shapes: Shape, Size, Reshape, Flatten, Squeeze, Unsqueeze,
 * ConstantOfShape, Range, Constant. Their inference also records the contents of shape vectors
 * ({@link ShapeValues}), so that shapes computed at run time from a symbolic batch keep every
 * static dimension.
 */
final class ShapeOps {
    private ShapeOps() {
    }

    static void register(OpRegistry r) {
        r.register("Shape", new TensorHandler(ShapeOps::inferShape,
                n -> new ShapeKernel(shapeStart(n), shapeEnd(n))));
        r.register("Size", new TensorHandler(ShapeOps::inferSize, n -> new SizeKernel()));
        r.register("Reshape", new TensorHandler(ShapeOps::inferReshape, ShapeOps::lowerReshape));
        r.register("Flatten", new TensorHandler(ShapeOps::inferFlatten,
                n -> new FlattenKernel(flattenAxis(n))));
        r.register("Squeeze", new TensorHandler(ShapeOps::inferSqueeze,
                n -> new SqueezeKernel(n.opset() < 13 ? n.getInts("axes", null) : null)));
        r.register("Unsqueeze", new TensorHandler(ShapeOps::inferUnsqueeze,
                n -> new UnsqueezeKernel(n.opset() < 13 ? n.requireInts("axes") : null)));
        r.register("ConstantOfShape", new TensorHandler(ShapeOps::inferConstantOfShape,
                n -> new ConstantOfShapeKernel(fillValue(n))));
        r.register("Range", new TensorHandler(ShapeOps::inferRange, n -> new RangeKernel()));
        r.register("Constant", new TensorHandler(
                n -> n.output(0).setType(TensorType.of(ConstantAttributes.value(n).dtype(),
                        ConstantAttributes.value(n).shapeView())),
                n -> new ConstantKernel(ConstantAttributes.value(n))));
    }

    // ---- Shape, Size ----

    private static long shapeStart(Node n) {
        return n.opset() >= 15 ? n.getInt("start", 0) : 0;
    }

    private static long shapeEnd(Node n) {
        return n.opset() >= 15 ? n.getInt("end", Long.MAX_VALUE) : Long.MAX_VALUE;
    }

    private static void inferShape(Node n) {
        List<Dim> d = dims(n, 0);
        if (d == null) {
            set(n, 0, DType.INT64, List.of(Dim.unknown()));
            ShapeValues.set(n.output(0), null);
            return;
        }
        int[] r = ShapeKernel.range(d.size(), shapeStart(n), shapeEnd(n));
        List<Elem> elems = new ArrayList<>();
        for (int i = r[0]; i < r[1]; i++) {
            elems.add(Elem.of(d.get(i)));
        }
        set(n, 0, DType.INT64, List.of(Dim.of(elems.size())));
        ShapeValues.set(n.output(0), elems);
    }

    private static void inferSize(Node n) {
        set(n, 0, DType.INT64, List.of());
        List<Dim> d = dims(n, 0);
        Dim p = d == null ? Dim.unknown() : TensorTypes.product(d);
        ShapeValues.set(n.output(0), p.isKnown() ? List.of(Elem.of(p)) : null);
    }

    // ---- Reshape ----

    private static boolean allowZero(Node n) {
        return n.opset() >= 14 && n.getInt("allowzero", 0) != 0;
    }

    private static Kernel lowerReshape(Node n) {
        if (n.opset() < 5) {
            return new ReshapeKernel(n.requireInts("shape"), false);
        }
        return new ReshapeKernel(allowZero(n));
    }

    private static void inferReshape(Node n) {
        DType dt = dtype(n, 0);
        List<Elem> spec;
        if (n.opset() < 5) {
            spec = new ArrayList<>();
            for (long v : n.requireInts("shape")) {
                spec.add(Elem.of(v));
            }
        } else {
            spec = ShapeValues.of(n.input(1));
        }
        if (spec == null) {
            List<Dim> s = dims(n, 1);
            boolean rankKnown = s != null && s.size() == 1 && s.get(0).isKnown();
            set(n, 0, dt, rankKnown ? unknown((int) s.get(0).value()) : null);
            return;
        }
        List<Dim> in = dims(n, 0);
        List<Dim> out = new ArrayList<>();
        int inferred = -1;
        for (int i = 0; i < spec.size(); i++) {
            Elem e = spec.get(i);
            if (e.known() && e.value() == -1) {
                if (inferred >= 0) {
                    throw n.error("shape has more than one -1");
                }
                inferred = i;
                out.add(Dim.unknown());
            } else if (e.known() && e.value() == 0 && !allowZero(n)) {
                out.add(in != null && i < in.size() ? in.get(i) : Dim.unknown());
            } else if (e.known() && e.value() < 0) {
                throw n.error("shape has invalid dimension " + e.value());
            } else {
                out.add(e.asDim());
            }
        }
        if (inferred >= 0 && in != null) {
            List<Dim> rest = new ArrayList<>(out);
            rest.remove(inferred);
            out.set(inferred, quotient(in, rest));
        }
        if (in != null && inferred < 0) {
            Dim a = TensorTypes.product(in);
            Dim b = TensorTypes.product(out);
            if (a.isKnown() && b.isKnown() && a.value() != b.value()) {
                throw new ShapeException(n.describe() + ": cannot reshape " + in + " to " + out);
            }
        }
        set(n, 0, dt, out);
    }

    /**
     * The dimension that makes {@code rest} as large as {@code in}: a number, a symbol that
     * {@code in} has beyond {@code rest}, or unknown.
     */
    private static Dim quotient(List<Dim> in, List<Dim> rest) {
        long pIn = 1;
        long pRest = 1;
        List<String> symbols = new ArrayList<>();
        for (Dim d : in) {
            if (d.isKnown()) {
                pIn *= d.value();
            } else if (d.symbol() != null) {
                symbols.add(d.symbol());
            } else {
                return Dim.unknown();
            }
        }
        for (Dim d : rest) {
            if (d.isKnown()) {
                pRest *= d.value();
            } else if (d.symbol() == null || !symbols.remove(d.symbol())) {
                return Dim.unknown();
            }
        }
        if (pRest == 0) {
            return Dim.unknown();
        }
        if (symbols.isEmpty()) {
            if (pIn % pRest != 0) {
                throw new ShapeException("cannot reshape " + in + " to " + rest
                        + " and one inferred dimension");
            }
            return Dim.of(pIn / pRest);
        }
        return symbols.size() == 1 && pIn == pRest ? Dim.symbol(symbols.get(0)) : Dim.unknown();
    }

    // ---- Flatten ----

    private static long flattenAxis(Node n) {
        long a = n.getInt("axis", 1);
        if (n.opset() < 11 && a < 0) {
            throw n.error("axis " + a + " is negative, which needs opset 11");
        }
        return a;
    }

    private static void inferFlatten(Node n) {
        List<Dim> d = dims(n, 0);
        if (d == null) {
            set(n, 0, dtype(n, 0), unknown(2));
            return;
        }
        long a = flattenAxis(n);
        if (a < -d.size() || a > d.size()) {
            throw n.error("axis " + a + " is out of range for rank " + d.size());
        }
        int k = (int) (a < 0 ? a + d.size() : a);
        set(n, 0, dtype(n, 0), List.of(TensorTypes.product(d.subList(0, k)),
                TensorTypes.product(d.subList(k, d.size()))));
    }

    // ---- Squeeze, Unsqueeze ----

    /** The axes of Squeeze / Unsqueeze: attribute, constant input, or null (unknown/absent). */
    private static long[] axesOf(Node n) {
        if (n.opset() < 13) {
            return n.getInts("axes", null);
        }
        return ShapeValues.numbers(ShapeValues.of(n.input(1)));
    }

    private static void inferSqueeze(Node n) {
        List<Dim> d = dims(n, 0);
        long[] axes = axesOf(n);
        boolean axesGiven = n.opset() < 13 ? n.has("axes") : present(n, 1);
        if (d == null || (axesGiven && axes == null)) {
            set(n, 0, dtype(n, 0), null);
            return;
        }
        List<Dim> out = new ArrayList<>();
        if (axes == null) {
            for (Dim x : d) {
                if (!x.isKnown()) {
                    set(n, 0, dtype(n, 0), null); // an unknown size may turn out to be 1
                    return;
                }
                if (x.value() != 1) {
                    out.add(x);
                }
            }
        } else {
            boolean[] drop = new boolean[d.size()];
            for (long a : axes) {
                int i = axis(n, a, d.size(), "axis");
                if (d.get(i).isKnown() && d.get(i).value() != 1) {
                    throw new ShapeException(n.describe() + ": axis " + a + " of " + d
                            + " has size " + d.get(i).value() + ", not 1");
                }
                drop[i] = true;
            }
            for (int i = 0; i < d.size(); i++) {
                if (!drop[i]) {
                    out.add(d.get(i));
                }
            }
        }
        set(n, 0, dtype(n, 0), out);
        ShapeValues.set(n.output(0), out.isEmpty() ? ShapeValues.of(n.input(0)) : null);
    }

    private static void inferUnsqueeze(Node n) {
        List<Dim> d = dims(n, 0);
        long[] axes = axesOf(n);
        if (d == null || axes == null) {
            set(n, 0, dtype(n, 0), null);
            return;
        }
        boolean[] ins;
        try {
            ins = UnsqueezeKernel.inserted(d.size(), axes);
        } catch (ShapeException e) {
            throw n.error(e.getMessage());
        }
        List<Dim> out = new ArrayList<>();
        for (int i = 0, k = 0; i < ins.length; i++) {
            out.add(ins[i] ? Dim.of(1) : d.get(k++));
        }
        set(n, 0, dtype(n, 0), out);
        ShapeValues.set(n.output(0), out.size() <= 1 ? ShapeValues.of(n.input(0)) : null);
    }

    // ---- ConstantOfShape, Range, Constant ----

    private static Tensor fillValue(Node n) {
        Tensor v = n.getTensor("value");
        if (v == null) {
            return Tensor.scalar(0f);
        }
        if (v.size() != 1) {
            throw n.error("attribute 'value' must hold one element, has " + v.size());
        }
        return v;
    }

    private static void inferConstantOfShape(Node n) {
        DType dt = fillValue(n).dtype();
        List<Elem> spec = ShapeValues.of(n.input(0));
        if (spec != null) {
            List<Dim> out = new ArrayList<>();
            for (Elem e : spec) {
                if (e.known() && e.value() < 0) {
                    throw n.error("shape has negative dimension " + e.value());
                }
                out.add(e.asDim());
            }
            set(n, 0, dt, out);
            return;
        }
        List<Dim> s = dims(n, 0);
        boolean rankKnown = s != null && s.size() == 1 && s.get(0).isKnown();
        set(n, 0, dt, rankKnown ? unknown((int) s.get(0).value()) : null);
    }

    private static void inferRange(Node n) {
        DType dt = dtype(n, 0);
        for (int i = 0; i < 3; i++) {
            if (n.input(i) == null || !n.input(i).isConstant()) {
                set(n, 0, dt, List.of(Dim.unknown()));
                return;
            }
        }
        Tensor[] in = {n.input(0).constant(), n.input(1).constant(), n.input(2).constant()};
        Tensor out = new RangeKernel().run(in, RunContext.serial())[0];
        set(n, 0, out.dtype(), List.of(Dim.of(out.size())));
    }
}
