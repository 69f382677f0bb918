package dev.lanes.runtime.kernels.elementwise;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.simd.VectorLoops;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;

/**
 * A function applied to each element. FLOAT for all functions; integer tensors for the ones
 * that keep integers integral (Abs, Neg, Sign, Relu) and BOOL for Not. Activation parameters
 * (alpha, beta, gamma) come from the node's attributes. On FLOAT, Relu, LeakyRelu, Sigmoid,
 * HardSigmoid, HardSwish, Tanh, Exp and Neg run as vector loops ({@link VectorLoops}), split over
 * the context's threads when large; the scalar definitions ({@link #apply(float)}) are their
 * reference.
 */
public final class UnaryKernel implements Kernel {
    /** The function applied to each element. */
    public enum Op {
        RELU, LEAKY_RELU, ELU, SELU, CELU, THRESHOLDED_RELU, SIGMOID, HARD_SIGMOID, HARD_SWISH,
        GELU, GELU_TANH, ERF, TANH, SOFTPLUS, SOFTSIGN, EXP, LOG, SQRT, ABS, NEG, SIGN,
        RECIPROCAL, FLOOR, CEIL, ROUND, NOT, SIN, COS, TAN, ASIN, ACOS, ATAN, SINH, COSH, ASINH,
        ACOSH, ATANH, MISH, SHRINK, IDENTITY
    }

    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double SQRT_HALF = Math.sqrt(0.5);

    private final Op op;
    private final float alpha;
    private final float beta;
    private final float gamma;

    /** A kernel applying a parameterless function. */
    public UnaryKernel(Op op) {
        this(op, 0, 0, 0);
    }

    /**
     * A kernel applying {@code op} with its parameters: LeakyRelu/Elu/Celu/ThresholdedRelu use
     * alpha; HardSigmoid alpha and beta; Selu alpha and gamma; Shrink lambd as alpha and bias as
     * beta.
     */
    public UnaryKernel(Op op, float alpha, float beta, float gamma) {
        this.op = op;
        this.alpha = alpha;
        this.beta = beta;
        this.gamma = gamma;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putEnum("op", op).putFloat("alpha", alpha).putFloat("beta", beta)
                .putFloat("gamma", gamma);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static UnaryKernel readParams(ParamReader in) {
        return new UnaryKernel(in.getEnum("op", Op.class), in.getFloat("alpha"),
                in.getFloat("beta"), in.getFloat("gamma"));
    }

    /** The function. */
    public Op op() {
        return op;
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor t = in[0];
        // Every element is written, so a float output may be a recycled array; each from the
        // input element at its own index, so it may be the input's array.
        Tensor out = t.dtype().isFloat() ? ctx.outputOver(t, t.shapeView())
                : Tensor.zeros(t.dtype(), t.shapeView());
        VectorLoops.Unary vf = t.dtype().isFloat() ? vectorOp(op) : null;
        if (vf != null) {
            float[] x = t.floats();
            float[] y = out.floats();
            VectorLoops.forRange(t.size(), ctx,
                    (from, to) -> VectorLoops.unary(vf, alpha, beta, x, from, y, from, to - from));
        } else if (t.dtype().isFloat()) {
            applyFloats(t.floats(), out.floats(), t.size());
        } else {
            applyLongs(t.dtype(), t.longs(), out.longs());
        }
        return new Tensor[] {out};
    }

    /** The scalar loops only: the reference of the vector loops. */
    Tensor runScalar(Tensor t) {
        Tensor out = Tensor.zeros(t.dtype(), t.shapeView());
        applyFloats(t.floats(), out.floats(), t.size());
        return out;
    }

    private static VectorLoops.Unary vectorOp(Op op) {
        return switch (op) {
            case RELU -> VectorLoops.Unary.RELU;
            case LEAKY_RELU -> VectorLoops.Unary.LEAKY_RELU;
            case SIGMOID -> VectorLoops.Unary.SIGMOID;
            case HARD_SIGMOID -> VectorLoops.Unary.HARD_SIGMOID;
            case HARD_SWISH -> VectorLoops.Unary.HARD_SWISH;
            case TANH -> VectorLoops.Unary.TANH;
            case EXP -> VectorLoops.Unary.EXP;
            case NEG -> VectorLoops.Unary.NEG;
            default -> null;
        };
    }

    private void applyFloats(float[] x, float[] y, int n) {
        switch (op) {
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    y[i] = Math.max(x[i], 0f);
                }
            }
            case LEAKY_RELU -> {
                for (int i = 0; i < n; i++) {
                    float v = x[i];
                    y[i] = v < 0 ? v * alpha : v;
                }
            }
            case NEG -> {
                for (int i = 0; i < n; i++) {
                    y[i] = -x[i];
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    y[i] = apply(x[i]);
                }
            }
        }
    }

    /** The function on one float (the reference semantics). */
    float apply(float v) {
        double x = v;
        return switch (op) {
            case RELU -> Math.max(v, 0f);
            case LEAKY_RELU -> v < 0 ? v * alpha : v;
            case ELU -> v < 0 ? (float) (alpha * Math.expm1(x)) : v;
            case SELU -> (float) (gamma * (v <= 0 ? alpha * Math.expm1(x) : x));
            case CELU -> (float) (Math.max(0, x) + Math.min(0, alpha * Math.expm1(x / alpha)));
            case THRESHOLDED_RELU -> v > alpha ? v : 0f;
            case SIGMOID -> (float) sigmoid(x);
            case HARD_SIGMOID -> Math.max(0f, Math.min(1f, alpha * v + beta));
            case HARD_SWISH -> v * Math.max(0f, Math.min(1f, v / 6f + 0.5f));
            case GELU -> (float) (0.5 * x * (1 + Erf.erf(x * SQRT_HALF)));
            case GELU_TANH -> (float) (0.5 * x
                    * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))));
            case ERF -> (float) Erf.erf(x);
            case TANH -> (float) Math.tanh(x);
            case SOFTPLUS -> (float) softplus(x);
            case SOFTSIGN -> (float) (x / (1 + Math.abs(x)));
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case ABS -> Math.abs(v);
            case NEG -> -v;
            case SIGN -> Math.signum(v);
            case RECIPROCAL -> 1f / v;
            case FLOOR -> (float) Math.floor(x);
            case CEIL -> (float) Math.ceil(x);
            case ROUND -> (float) Math.rint(x);
            case NOT -> v == 0 ? 1f : 0f;
            case SIN -> (float) Math.sin(x);
            case COS -> (float) Math.cos(x);
            case TAN -> (float) Math.tan(x);
            case ASIN -> (float) Math.asin(x);
            case ACOS -> (float) Math.acos(x);
            case ATAN -> (float) Math.atan(x);
            case SINH -> (float) Math.sinh(x);
            case COSH -> (float) Math.cosh(x);
            case ASINH -> (float) (Math.signum(x) * Math.log(Math.abs(x) + Math.sqrt(x * x + 1)));
            case ACOSH -> (float) Math.log(x + Math.sqrt(x * x - 1));
            case ATANH -> (float) (0.5 * Math.log((1 + x) / (1 - x)));
            case MISH -> (float) (x * Math.tanh(softplus(x)));
            case SHRINK -> v < -alpha ? v + beta : v > alpha ? v - beta : 0f;
            case IDENTITY -> v;
        };
    }

    private static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    private static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    private void applyLongs(DType type, long[] x, long[] y) {
        for (int i = 0; i < x.length; i++) {
            long v = x[i];
            long r = switch (op) {
                case ABS -> type == DType.UINT64 ? v : Math.abs(v);
                case NEG -> -v;
                case SIGN -> type == DType.UINT64 ? (v == 0 ? 0 : 1) : Long.signum(v);
                case RELU -> Math.max(v, 0);
                case NOT -> v == 0 ? 1 : 0;
                case IDENTITY -> v;
                default -> throw new ShapeException(op + " needs a FLOAT input, got " + type);
            };
            y[i] = type.wrap(r);
        }
    }
}
