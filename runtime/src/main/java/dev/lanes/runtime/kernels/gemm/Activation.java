package dev.lanes.runtime.kernels.gemm;

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

    /** The function with no parameters. */
    public static Activation of(Kind kind) {
        return new Activation(kind, 0, 0);
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
}
