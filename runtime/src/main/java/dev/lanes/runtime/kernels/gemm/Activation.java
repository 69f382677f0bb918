package dev.lanes.runtime.kernels.gemm;

import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * An activation function applied in a kernel's epilogue, with its parameters.
 *
 * @param kind  which function
 * @param alpha first parameter (LeakyRelu slope, Clip minimum, HardSigmoid alpha)
 * @param beta  second parameter (Clip maximum, HardSigmoid beta)
 */
public record Activation(Kind kind, float alpha, float beta) {
    /** The supported functions. */
    public enum Kind {
        /** The identity. */
        NONE,
        /** max(x, 0). */
        RELU,
        /** min(max(x, alpha), beta): Relu6 and friends. */
        CLIP,
        /** x if x >= 0 else alpha * x. */
        LEAKY_RELU,
        /** 1 / (1 + exp(-x)). */
        SIGMOID,
        /** max(0, min(1, alpha * x + beta)). */
        HARD_SIGMOID,
        /** x * max(0, min(1, x / 6 + 1 / 2)). */
        HARD_SWISH,
        /** x * sigmoid(x). */
        SILU,
        /** 0.5 x (1 + erf(x / sqrt 2)). */
        GELU,
        /** tanh(x). */
        TANH
    }

    /** No activation. */
    public static final Activation NONE = new Activation(Kind.NONE, 0, 0);

    /**
     * True for the activations that are a clamp to {@code [clampLow(), clampHigh()]} (none,
     * Relu, Clip), which kernels fold into their stores as a compare and a blend per bound.
     */
    public boolean isClamp() {
        return kind == Kind.NONE || kind == Kind.RELU || kind == Kind.CLIP;
    }

    /** The lower bound of a clamp activation; -infinity for the others. */
    public float clampLow() {
        return kind == Kind.RELU ? 0f : kind == Kind.CLIP ? alpha : Float.NEGATIVE_INFINITY;
    }

    /** The upper bound of a clamp activation; +infinity for the others. */
    public float clampHigh() {
        return kind == Kind.CLIP ? beta : Float.POSITIVE_INFINITY;
    }

    /** The function with no parameters. */
    public static Activation of(Kind kind) {
        return new Activation(kind, 0, 0);
    }

    /** Writes the activation as a plan-file record (see {@link #readFrom}). */
    public void writeTo(ParamWriter out) {
        out.putEnum("kind", kind).putFloat("alpha", alpha).putFloat("beta", beta);
    }

    /** Reads an activation written by {@link #writeTo}. */
    public static Activation readFrom(ParamReader in) {
        return new Activation(in.getEnum("kind", Kind.class), in.getFloat("alpha"),
                in.getFloat("beta"));
    }

    /** The scalar definition, the reference for every vectorized form. */
    public float apply(float x) {
        return switch (kind) {
            case NONE -> x;
            case RELU -> Math.max(x, 0f);
            case CLIP -> Math.min(Math.max(x, alpha), beta);
            case LEAKY_RELU -> x >= 0 ? x : alpha * x;
            case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-x)));
            case HARD_SIGMOID -> Math.max(0f, Math.min(1f, alpha * x + beta));
            case HARD_SWISH -> x * Math.max(0f, Math.min(1f, x / 6f + 0.5f));
            case SILU -> (float) (x / (1.0 + Math.exp(-x)));
            case GELU -> (float) (0.5 * x * (1.0 + dev.lanes.runtime.kernels.elementwise.Erf
                    .erf(x / Math.sqrt(2.0))));
            case TANH -> (float) Math.tanh(x);
        };
    }

    /**
     * The vector form of {@link #apply(float)}, lane by lane. Relu, Clip, LeakyRelu,
     * HardSigmoid and HardSwish give the scalar result exactly; Sigmoid, SiLU and Tanh use the
     * Vector API's exp/tanh (within a few ulp of the float result); GELU uses an erf
     * approximation with absolute error below 2e-7, so results stay within 1e-6 absolute plus
     * 1e-5 relative of the scalar definition.
     */
    public FloatVector apply(FloatVector x) {
        return switch (kind) {
            case NONE -> x;
            case RELU -> x.max(0f);
            case CLIP -> x.max(alpha).min(beta);
            case LEAKY_RELU -> x.blend(x.mul(alpha), x.lt(0f));
            case SIGMOID -> one(x).div(x.neg().lanewise(VectorOperators.EXP).add(1f));
            case HARD_SIGMOID -> x.mul(alpha).add(beta).min(1f).max(0f);
            case HARD_SWISH -> x.mul(x.div(6f).add(0.5f).min(1f).max(0f));
            case SILU -> x.div(x.neg().lanewise(VectorOperators.EXP).add(1f));
            case GELU -> x.mul(0.5f).mul(erf(x.mul((float) (1 / Math.sqrt(2.0)))).add(1f));
            case TANH -> x.lanewise(VectorOperators.TANH);
        };
    }

    private static FloatVector one(FloatVector like) {
        return FloatVector.broadcast(like.species(), 1f);
    }

    /**
     * erf by Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7):
     * {@code 1 - t (a1 + t (a2 + t (a3 + t (a4 + t a5)))) exp(-x^2)}, {@code t = 1/(1 + p|x|)},
     * odd in x.
     */
    private static FloatVector erf(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector t = one(x).div(ax.mul(0.3275911f).add(1f));
        FloatVector poly = t.mul(1.061405429f).add(-1.453152027f);
        poly = poly.mul(t).add(1.421413741f);
        poly = poly.mul(t).add(-0.284496736f);
        poly = poly.mul(t).add(0.254829592f);
        poly = poly.mul(t);
        FloatVector e = ax.mul(ax).neg().lanewise(VectorOperators.EXP);
        FloatVector y = one(x).sub(poly.mul(e));
        return y.blend(y.neg(), x.lt(0f));
    }
}
