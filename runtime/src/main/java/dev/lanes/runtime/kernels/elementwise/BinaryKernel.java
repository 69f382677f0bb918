package dev.lanes.runtime.kernels.elementwise;

import dev.lanes.errors.LanesException;
import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.simd.VectorLoops;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;

/**
 * A binary operation with numpy broadcasting over FLOAT or integer/BOOL tensors. The broadcast is
 * walked as rows of contiguous elements ({@link RowPlan}); same-shape operands and an operand
 * broadcast along the row (scalar, per-channel) take flat loops. Integer results wrap to the
 * element type; comparisons and logical operators give BOOL. Float Add, Sub, Mul, Div, Max,
 * Min and PRelu run as vector loops ({@link VectorLoops}), split over the context's threads
 * when large; the scalar loops are their reference.
 */
public final class BinaryKernel implements Kernel {
    /** The operation applied to each pair of elements. */
    public enum Op {
        ADD, SUB, MUL, DIV, POW, MAX, MIN,
        /** Integer modulo with the sign of the divisor (Python style). */
        MOD,
        /** Modulo with the sign of the dividend (C fmod). */
        FMOD,
        /** {@code x < 0 ? x * slope : x} with the slope as second operand. */
        PRELU,
        EQUAL, LESS, GREATER, LESS_OR_EQUAL, GREATER_OR_EQUAL, AND, OR, XOR;

        /** True when the result is BOOL whatever the operand type. */
        public boolean isPredicate() {
            return ordinal() >= EQUAL.ordinal();
        }
    }

    /** Marks the absence of a legacy broadcast axis. */
    public static final int NO_AXIS = Integer.MIN_VALUE;

    private final Op op;
    private final int legacyAxis;
    private final boolean channelSlope;

    /** A kernel applying {@code op} with numpy broadcasting. */
    public BinaryKernel(Op op) {
        this(op, NO_AXIS, false);
    }

    /**
     * A kernel applying {@code op}. When {@code legacyAxis} is not {@link #NO_AXIS}, the second
     * operand is aligned with the first starting at that axis (the opset 1..6 {@code broadcast=1,
     * axis=k} form). When {@code channelSlope} is set, a 1-D second operand whose size is the first
     * operand's axis 1 (and not its last axis) is aligned with axis 1 (legacy PRelu slopes).
     */
    public BinaryKernel(Op op, int legacyAxis, boolean channelSlope) {
        this.op = op;
        this.legacyAxis = legacyAxis;
        this.channelSlope = channelSlope;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putEnum("op", op).putInt("legacy_axis", legacyAxis)
                .putBool("channel_slope", channelSlope);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static BinaryKernel readParams(ParamReader in) {
        return new BinaryKernel(in.getEnum("op", Op.class), in.getInt("legacy_axis"),
                in.getBool("channel_slope"));
    }

    /** The operation. */
    public Op op() {
        return op;
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        return new Tensor[] {apply(in[0], in[1], ctx, true)};
    }

    /** Applies the operation to two tensors on the calling thread. */
    public Tensor apply(Tensor a, Tensor b) {
        return apply(a, b, RunContext.serial(), true);
    }

    /** The scalar loops only: the reference of the vector loops. */
    Tensor applyScalar(Tensor a, Tensor b) {
        return apply(a, b, RunContext.serial(), false);
    }

    private Tensor apply(Tensor a, Tensor b, RunContext ctx, boolean vector) {
        b = align(a, b);
        if (op == Op.POW && a.dtype().isFloat() && !b.dtype().isFloat()) {
            b = Cast.convert(b, DType.FLOAT);
        }
        boolean mixed = a.dtype() != b.dtype();
        if (mixed && op != Op.POW) {
            throw new ShapeException(op + ": operands have different element types "
                    + a.dtype() + " and " + b.dtype());
        }
        RowPlan p = new RowPlan(a.shapeView(), b.shapeView());
        DType outType = op.isPredicate() ? DType.BOOL : a.dtype();
        // Every element is written, so a float output may be a recycled array; and an operand
        // of the output's shape is read at the index each element is written to, so the output
        // may be that operand's array.
        Tensor out = !outType.isFloat() ? Tensor.zeros(outType, p.shape)
                : java.util.Arrays.equals(a.shapeView(), p.shape) ? ctx.outputOver(a, p.shape)
                : java.util.Arrays.equals(b.shapeView(), p.shape) ? ctx.outputOver(b, p.shape)
                : ctx.output(p.shape);
        if (a.dtype().isFloat()) {
            VectorLoops.Binary vf = vector ? vectorOp(op) : null;
            if (vf != null && p.steps[0] <= 1 && p.steps[1] <= 1) {
                vectorFloats(vf, p, a.floats(), b.floats(), out.floats(), ctx);
            } else if (outType.isFloat()) {
                floats(p, a.floats(), b.floats(), out.floats());
            } else {
                floatPredicates(p, a.floats(), b.floats(), out.longs());
            }
        } else if (mixed) {
            intPowFloat(p, a.longs(), b.floats(), out.longs(), outType);
        } else {
            longs(p, a.dtype(), a.longs(), b.longs(), out.longs(), outType);
        }
        return out;
    }

    private Tensor align(Tensor a, Tensor b) {
        int ra = a.rank();
        int rb = b.rank();
        if (legacyAxis != NO_AXIS) {
            int axis = legacyAxis < 0 ? legacyAxis + ra : legacyAxis;
            if (axis < 0 || axis + rb > ra) {
                throw new ShapeException(op + ": legacy broadcast of shape " + shapeText(b)
                        + " at axis " + legacyAxis + " does not fit shape " + shapeText(a));
            }
            return b.reshape(padded(b.shapeView(), ra - axis - rb));
        }
        if (channelSlope && rb == 1 && ra >= 2 && b.dim(0) == a.dim(1) && b.dim(0) != a.dim(-1)) {
            return b.reshape(padded(b.shapeView(), ra - 2));
        }
        return b;
    }

    private static int[] padded(int[] shape, int trailingOnes) {
        int[] s = new int[shape.length + trailingOnes];
        Arrays.fill(s, 1);
        System.arraycopy(shape, 0, s, 0, shape.length);
        return s;
    }

    private static String shapeText(Tensor t) {
        return Arrays.toString(t.shapeView());
    }

    private static VectorLoops.Binary vectorOp(Op op) {
        return switch (op) {
            case ADD -> VectorLoops.Binary.ADD;
            case SUB -> VectorLoops.Binary.SUB;
            case MUL -> VectorLoops.Binary.MUL;
            case DIV -> VectorLoops.Binary.DIV;
            case MAX -> VectorLoops.Binary.MAX;
            case MIN -> VectorLoops.Binary.MIN;
            case PRELU -> VectorLoops.Binary.PRELU;
            default -> null;
        };
    }

    /** The plan's rows cut into flat ranges of the output, each row piece one vector loop. */
    private static void vectorFloats(VectorLoops.Binary f, RowPlan p, float[] x, float[] y,
            float[] z, RunContext ctx) {
        int n = p.length;
        if (p.size == 0) {
            return;
        }
        int xs = p.steps[0];
        int ys = p.steps[1];
        VectorLoops.forRange(p.size, ctx, (from, to) -> {
            for (int r = from / n; r < p.rows && r * n < to; r++) {
                int i0 = Math.max(from, r * n) - r * n;
                int i1 = Math.min(to, (r + 1) * n) - r * n;
                VectorLoops.binary(f, x, p.starts[0][r] + i0 * xs, xs, y, p.starts[1][r] + i0 * ys,
                        ys, z, r * n + i0, i1 - i0);
            }
        });
    }

    private void floats(RowPlan p, float[] x, float[] y, float[] z) {
        int n = p.length;
        int xs = p.steps[0];
        int ys = p.steps[1];
        for (int r = 0; r < p.rows; r++) {
            int xo = p.starts[0][r];
            int yo = p.starts[1][r];
            int zo = r * n;
            if (xs == 1 && ys == 1) {
                sameShapeRow(x, xo, y, yo, z, zo, n);
            } else if (xs == 1 && ys == 0) {
                scalarRightRow(x, xo, y[yo], z, zo, n);
            } else if (xs == 0 && ys == 1) {
                scalarLeftRow(x[xo], y, yo, z, zo, n);
            } else {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = apply(op, x[xo + i * xs], y[yo + i * ys]);
                }
            }
        }
    }

    private void sameShapeRow(float[] x, int xo, float[] y, int yo, float[] z, int zo, int n) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = x[xo + i] + y[yo + i];
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = x[xo + i] - y[yo + i];
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = x[xo + i] * y[yo + i];
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = x[xo + i] / y[yo + i];
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = apply(op, x[xo + i], y[yo + i]);
                }
            }
        }
    }

    private void scalarRightRow(float[] x, int xo, float c, float[] z, int zo, int n) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = x[xo + i] + c;
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = x[xo + i] - c;
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = x[xo + i] * c;
                }
            }
            case DIV -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = x[xo + i] / c;
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = apply(op, x[xo + i], c);
                }
            }
        }
    }

    private void scalarLeftRow(float c, float[] y, int yo, float[] z, int zo, int n) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = c + y[yo + i];
                }
            }
            case SUB -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = c - y[yo + i];
                }
            }
            case MUL -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = c * y[yo + i];
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = apply(op, c, y[yo + i]);
                }
            }
        }
    }

    /** The operation on one pair of floats (the reference semantics of the FLOAT path). */
    static float apply(Op op, float a, float b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> (float) Math.pow(a, b);
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case FMOD -> a % b;
            case MOD -> {
                float m = a % b;
                yield m != 0 && (m < 0) != (b < 0) ? m + b : m;
            }
            case PRELU -> a < 0 ? a * b : a;
            default -> throw new IllegalStateException(op + " gives BOOL");
        };
    }

    private void floatPredicates(RowPlan p, float[] x, float[] y, long[] z) {
        int n = p.length;
        int xs = p.steps[0];
        int ys = p.steps[1];
        for (int r = 0; r < p.rows; r++) {
            int xo = p.starts[0][r];
            int yo = p.starts[1][r];
            int zo = r * n;
            for (int i = 0; i < n; i++) {
                float a = x[xo + i * xs];
                float b = y[yo + i * ys];
                boolean t = switch (op) {
                    case EQUAL -> a == b;
                    case LESS -> a < b;
                    case GREATER -> a > b;
                    case LESS_OR_EQUAL -> a <= b;
                    case GREATER_OR_EQUAL -> a >= b;
                    case AND -> a != 0 && b != 0;
                    case OR -> a != 0 || b != 0;
                    case XOR -> (a != 0) != (b != 0);
                    default -> throw new IllegalStateException(op + " is not a predicate");
                };
                z[zo + i] = t ? 1 : 0;
            }
        }
    }

    private void longs(RowPlan p, DType type, long[] x, long[] y, long[] z, DType outType) {
        int n = p.length;
        int xs = p.steps[0];
        int ys = p.steps[1];
        boolean unsigned = type == DType.UINT64;
        boolean wrap = outType != DType.INT64 && outType != DType.UINT64;
        for (int r = 0; r < p.rows; r++) {
            int xo = p.starts[0][r];
            int yo = p.starts[1][r];
            int zo = r * n;
            if (op == Op.ADD && xs == 1 && ys == 1 && !wrap) {
                for (int i = 0; i < n; i++) {
                    z[zo + i] = x[xo + i] + y[yo + i];
                }
                continue;
            }
            for (int i = 0; i < n; i++) {
                long v = apply(op, x[xo + i * xs], y[yo + i * ys], unsigned);
                z[zo + i] = wrap ? outType.wrap(v) : v;
            }
        }
    }

    /** The operation on one pair of integers; the caller wraps the result to its type. */
    static long apply(Op op, long a, long b, boolean unsigned) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> {
                checkDivisor(b);
                yield unsigned ? Long.divideUnsigned(a, b) : a / b;
            }
            case FMOD -> {
                checkDivisor(b);
                yield unsigned ? Long.remainderUnsigned(a, b) : a % b;
            }
            case MOD -> {
                checkDivisor(b);
                yield unsigned ? Long.remainderUnsigned(a, b) : Math.floorMod(a, b);
            }
            case POW -> power(a, b);
            case MAX -> compare(a, b, unsigned) >= 0 ? a : b;
            case MIN -> compare(a, b, unsigned) <= 0 ? a : b;
            case PRELU -> a < 0 ? a * b : a;
            case EQUAL -> a == b ? 1 : 0;
            case LESS -> compare(a, b, unsigned) < 0 ? 1 : 0;
            case GREATER -> compare(a, b, unsigned) > 0 ? 1 : 0;
            case LESS_OR_EQUAL -> compare(a, b, unsigned) <= 0 ? 1 : 0;
            case GREATER_OR_EQUAL -> compare(a, b, unsigned) >= 0 ? 1 : 0;
            case AND -> a != 0 && b != 0 ? 1 : 0;
            case OR -> a != 0 || b != 0 ? 1 : 0;
            case XOR -> (a != 0) != (b != 0) ? 1 : 0;
        };
    }

    private static int compare(long a, long b, boolean unsigned) {
        return unsigned ? Long.compareUnsigned(a, b) : Long.compare(a, b);
    }

    private static void checkDivisor(long b) {
        if (b == 0) {
            throw new LanesException("integer division by zero");
        }
    }

    /** Integer power by squaring; a negative exponent truncates 1/a^-b toward zero. */
    static long power(long base, long exp) {
        if (exp < 0) {
            if (base == 1) {
                return 1;
            }
            if (base == -1) {
                return (exp & 1) == 0 ? 1 : -1;
            }
            checkDivisor(base);
            return 0;
        }
        long result = 1;
        long b = base;
        long e = exp;
        while (e > 0) {
            if ((e & 1) != 0) {
                result *= b;
            }
            b *= b;
            e >>= 1;
        }
        return result;
    }

    private static void intPowFloat(RowPlan p, long[] x, float[] y, long[] z, DType outType) {
        int n = p.length;
        int xs = p.steps[0];
        int ys = p.steps[1];
        for (int r = 0; r < p.rows; r++) {
            int xo = p.starts[0][r];
            int yo = p.starts[1][r];
            int zo = r * n;
            for (int i = 0; i < n; i++) {
                z[zo + i] = outType.wrap((long) Math.pow(x[xo + i * xs], y[yo + i * ys]));
            }
        }
    }
}
