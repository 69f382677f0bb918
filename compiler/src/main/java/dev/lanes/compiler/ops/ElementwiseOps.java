package dev.lanes.compiler.ops;

import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.TensorType;
import dev.lanes.formats.ElementType;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.kernels.elementwise.BinaryKernel;
import dev.lanes.runtime.kernels.elementwise.Cast;
import dev.lanes.runtime.kernels.elementwise.CastLikeKernel;
import dev.lanes.runtime.kernels.elementwise.ClipKernel;
import dev.lanes.runtime.kernels.elementwise.UnaryKernel;
import dev.lanes.runtime.kernels.elementwise.UnaryKernel.Op;
import dev.lanes.runtime.kernels.elementwise.VariadicKernel;
import dev.lanes.runtime.kernels.elementwise.WhereKernel;
import java.util.function.Function;

/**
 * Element-wise operators: activations and other unary functions, broadcasting binary
 * arithmetic, comparisons and logic (including the opset 1..6 {@code broadcast}/{@code axis}
 * form), the variadic Sum/Mean/Max/Min, Where, Clip, Cast and CastLike. The legacy
 * {@code consumed_inputs} attribute is ignored.
 */
final class ElementwiseOps {
    /** Selu's default alpha and gamma (the spec's float constants). */
    private static final float SELU_ALPHA = 1.67326319217681884765625f;
    private static final float SELU_GAMMA = 1.05070102214813232421875f;

    private ElementwiseOps() {
    }

    static void register(OpRegistry r) {
        registerUnary(r);
        registerBinary(r);
        for (String op : new String[] {"Sum", "Mean", "Max", "Min"}) {
            BinaryKernel.Op fold = op.equals("Max") ? BinaryKernel.Op.MAX
                    : op.equals("Min") ? BinaryKernel.Op.MIN : BinaryKernel.Op.ADD;
            boolean mean = op.equals("Mean");
            r.register(op, MathHandler.of(n -> n.output(0).setType(Types.broadcast(n, null)),
                    n -> {
                        if (n.inputCount() == 0) {
                            throw n.error("needs at least one input");
                        }
                        return new VariadicKernel(fold, mean);
                    }));
        }
        r.register("Where", MathHandler.since(9,
                n -> n.output(0).setType(Types.broadcast(n, null).withDType(
                        Types.in(n, 1).dtype() != null ? Types.in(n, 1).dtype()
                                : Types.in(n, 2).dtype())),
                n -> new WhereKernel()));
        r.register("Clip", MathHandler.of(Types::sameAsInput, n -> n.opset() < 11
                ? new ClipKernel(n.getFloat("min", Float.NEGATIVE_INFINITY),
                        n.getFloat("max", Float.POSITIVE_INFINITY))
                : new ClipKernel(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY)));
        r.register("Cast", MathHandler.of(
                n -> n.output(0).setType(Types.in(n, 0).withDType(castTarget(n))),
                n -> new Cast(castTarget(n), castPrecision(n))));
        r.register("CastLike", MathHandler.since(15,
                n -> n.output(0).setType(Types.in(n, 0).withDType(Types.in(n, 1).dtype())),
                n -> new CastLikeKernel()));
    }

    private static void registerUnary(OpRegistry r) {
        unary(r, "Relu", 1, n -> new UnaryKernel(Op.RELU));
        unary(r, "LeakyRelu", 1, n -> new UnaryKernel(Op.LEAKY_RELU, n.getFloat("alpha", 0.01f),
                0, 0));
        unary(r, "Elu", 1, n -> new UnaryKernel(Op.ELU, n.getFloat("alpha", 1f), 0, 0));
        unary(r, "Selu", 1, n -> new UnaryKernel(Op.SELU, n.getFloat("alpha", SELU_ALPHA), 0,
                n.getFloat("gamma", SELU_GAMMA)));
        unary(r, "Celu", 12, n -> new UnaryKernel(Op.CELU, n.getFloat("alpha", 1f), 0, 0));
        unary(r, "ThresholdedRelu", 10, n -> new UnaryKernel(Op.THRESHOLDED_RELU,
                n.getFloat("alpha", 1f), 0, 0));
        unary(r, "Sigmoid", 1, n -> new UnaryKernel(Op.SIGMOID));
        unary(r, "HardSigmoid", 1, n -> new UnaryKernel(Op.HARD_SIGMOID,
                n.getFloat("alpha", 0.2f), n.getFloat("beta", 0.5f), 0));
        unary(r, "HardSwish", 14, n -> new UnaryKernel(Op.HARD_SWISH));
        unary(r, "Gelu", 20, n -> switch (n.getString("approximate", "none")) {
            case "none" -> new UnaryKernel(Op.GELU);
            case "tanh" -> new UnaryKernel(Op.GELU_TANH);
            default -> throw n.error("attribute 'approximate' must be 'none' or 'tanh', got '"
                    + n.getString("approximate", "") + "'");
        });
        unary(r, "Shrink", 9, n -> new UnaryKernel(Op.SHRINK, n.getFloat("lambd", 0.5f),
                n.getFloat("bias", 0f), 0));
        unary(r, "Mish", 18, n -> new UnaryKernel(Op.MISH));
        unary(r, "Erf", 9, n -> new UnaryKernel(Op.ERF));
        unary(r, "Tanh", 1, n -> new UnaryKernel(Op.TANH));
        unary(r, "Softplus", 1, n -> new UnaryKernel(Op.SOFTPLUS));
        unary(r, "Softsign", 1, n -> new UnaryKernel(Op.SOFTSIGN));
        unary(r, "Exp", 1, n -> new UnaryKernel(Op.EXP));
        unary(r, "Log", 1, n -> new UnaryKernel(Op.LOG));
        unary(r, "Sqrt", 1, n -> new UnaryKernel(Op.SQRT));
        unary(r, "Abs", 1, n -> new UnaryKernel(Op.ABS));
        unary(r, "Neg", 1, n -> new UnaryKernel(Op.NEG));
        unary(r, "Sign", 9, n -> new UnaryKernel(Op.SIGN));
        unary(r, "Reciprocal", 1, n -> new UnaryKernel(Op.RECIPROCAL));
        unary(r, "Floor", 1, n -> new UnaryKernel(Op.FLOOR));
        unary(r, "Ceil", 1, n -> new UnaryKernel(Op.CEIL));
        unary(r, "Round", 11, n -> new UnaryKernel(Op.ROUND));
        unary(r, "Not", 1, n -> new UnaryKernel(Op.NOT));
        unary(r, "Sin", 7, n -> new UnaryKernel(Op.SIN));
        unary(r, "Cos", 7, n -> new UnaryKernel(Op.COS));
        unary(r, "Tan", 7, n -> new UnaryKernel(Op.TAN));
        unary(r, "Asin", 7, n -> new UnaryKernel(Op.ASIN));
        unary(r, "Acos", 7, n -> new UnaryKernel(Op.ACOS));
        unary(r, "Atan", 7, n -> new UnaryKernel(Op.ATAN));
        unary(r, "Sinh", 9, n -> new UnaryKernel(Op.SINH));
        unary(r, "Cosh", 9, n -> new UnaryKernel(Op.COSH));
        unary(r, "Asinh", 9, n -> new UnaryKernel(Op.ASINH));
        unary(r, "Acosh", 9, n -> new UnaryKernel(Op.ACOSH));
        unary(r, "Atanh", 9, n -> new UnaryKernel(Op.ATANH));
    }

    /** Lanes' own Gelu node (erf form), made by the GELU pattern pass in any opset. */
    static OpHandler gelu() {
        return MathHandler.of(Types::sameAsInput, n -> new UnaryKernel(Op.GELU));
    }

    private static void unary(OpRegistry r, String name, int since,
            Function<Node, UnaryKernel> lower) {
        r.register(name, MathHandler.since(since, Types::sameAsInput, lower::apply));
    }

    private static void registerBinary(OpRegistry r) {
        arithmetic(r, "Add", BinaryKernel.Op.ADD);
        arithmetic(r, "Sub", BinaryKernel.Op.SUB);
        arithmetic(r, "Mul", BinaryKernel.Op.MUL);
        arithmetic(r, "Div", BinaryKernel.Op.DIV);
        r.register("Pow", MathHandler.of(n -> {
            TensorType t = n.opset() < 7 ? Types.in(n, 0) : Types.broadcast(n, null);
            n.output(0).setType(t.withDType(Types.in(n, 0).dtype()));
        }, n -> binary(n, BinaryKernel.Op.POW)));
        r.register("Mod", MathHandler.since(10,
                n -> n.output(0).setType(Types.broadcast(n, null)),
                n -> new BinaryKernel(n.getInt("fmod", 0) != 0 ? BinaryKernel.Op.FMOD
                        : BinaryKernel.Op.MOD)));
        r.register("PRelu", MathHandler.of(Types::sameAsInput,
                n -> new BinaryKernel(BinaryKernel.Op.PRELU, BinaryKernel.NO_AXIS, true)));
        predicate(r, "Equal", 1, BinaryKernel.Op.EQUAL);
        predicate(r, "Less", 1, BinaryKernel.Op.LESS);
        predicate(r, "Greater", 1, BinaryKernel.Op.GREATER);
        predicate(r, "LessOrEqual", 12, BinaryKernel.Op.LESS_OR_EQUAL);
        predicate(r, "GreaterOrEqual", 12, BinaryKernel.Op.GREATER_OR_EQUAL);
        predicate(r, "And", 1, BinaryKernel.Op.AND);
        predicate(r, "Or", 1, BinaryKernel.Op.OR);
        predicate(r, "Xor", 1, BinaryKernel.Op.XOR);
    }

    private static void arithmetic(OpRegistry r, String name, BinaryKernel.Op op) {
        r.register(name, MathHandler.of(n -> n.output(0).setType(n.opset() < 7
                ? Types.in(n, 0) : Types.broadcast(n, null)), n -> binary(n, op)));
    }

    private static void predicate(OpRegistry r, String name, int since, BinaryKernel.Op op) {
        r.register(name, MathHandler.since(since, n -> n.output(0).setType(n.opset() < 7
                ? Types.in(n, 0).withDType(DType.BOOL) : Types.broadcast(n, DType.BOOL)),
                n -> binary(n, op)));
    }

    /**
     * The kernel of a binary node; before opset 7, {@code broadcast=1} with {@code axis} aligns
     * B with A starting at that axis (without axis, B is a suffix of A: numpy's rule).
     */
    private static BinaryKernel binary(Node n, BinaryKernel.Op op) {
        if (n.opset() < 7 && n.getInt("broadcast", 0) != 0 && n.has("axis")) {
            return new BinaryKernel(op, (int) n.getInt("axis", 0), false);
        }
        return new BinaryKernel(op);
    }

    /** The precision a cast to a narrow floating type rounds FLOAT values to. */
    private static Cast.Precision castPrecision(Node n) {
        long code = n.requireInt("to");
        if (code == ElementType.FLOAT16.onnxCode()) {
            return Cast.Precision.HALF;
        }
        return code == ElementType.BFLOAT16.onnxCode() ? Cast.Precision.BFLOAT16
                : Cast.Precision.FLOAT;
    }

    /** Cast's target type; the runtime holds every floating type as FLOAT. */
    static DType castTarget(Node n) {
        long code = n.requireInt("to");
        ElementType t = ElementType.fromOnnx((int) code, n.describe() + ": attribute 'to'");
        DType d = DType.of(t);
        if (d == null && (t == ElementType.DOUBLE || t == ElementType.FLOAT16
                || t == ElementType.BFLOAT16)) {
            d = DType.FLOAT;
        }
        if (d == null) {
            throw n.error("cannot cast to " + t + ": the runtime has no such element type");
        }
        return d;
    }
}
