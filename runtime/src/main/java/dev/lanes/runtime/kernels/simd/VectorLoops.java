package dev.lanes.runtime.kernels.simd;

import dev.lanes.runtime.RunContext;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorized loops over contiguous float ranges for the element-wise kernels: one small method
 * per operation (the switch is outside the loop, so each loop compiles to plain vector code),
 * each a main vector loop and a masked tail. The kernels keep their scalar definitions as the
 * reference these loops are tested against.
 */
public final class VectorLoops {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    /** Elements below which a loop runs on the calling thread only. */
    public static final int PARALLEL_THRESHOLD = 1 << 16;

    private VectorLoops() {
    }

    /** A function of one float with a vector loop here. */
    public enum Unary {
        RELU, LEAKY_RELU, SIGMOID, HARD_SIGMOID, HARD_SWISH, TANH, EXP, NEG, CLIP
    }

    /** A function of two floats with a vector loop here. */
    public enum Binary {
        ADD, SUB, MUL, DIV, MAX, MIN,
        /** {@code a < 0 ? a * b : a}. */
        PRELU
    }

    /** A range body: elements {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        /** Processes {@code [from, to)}. */
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over {@code [0, n)}: on the calling thread below
     * {@link #PARALLEL_THRESHOLD} elements, else cut into vector-aligned chunks spread over the
     * context's threads (several per thread).
     */
    public static void forRange(int n, RunContext ctx, RangeBody body) {
        int threads = ctx.threads();
        if (threads <= 1 || n < PARALLEL_THRESHOLD) {
            body.run(0, n);
            return;
        }
        int chunks = 4 * threads;
        int step = ((n + chunks - 1) / chunks + V - 1) / V * V;
        int tasks = (n + step - 1) / step;
        ctx.pool().parallelFor(tasks, t -> body.run(t * step, Math.min(n, (t + 1) * step)));
    }

    /**
     * {@code y[yo + i] = f(x[xo + i])} for {@code i} in {@code [0, n)}. LeakyRelu uses alpha,
     * HardSigmoid alpha and beta, Clip alpha as minimum and beta as maximum. Relu, LeakyRelu,
     * HardSigmoid, HardSwish, Neg and Clip give the scalar definitions' results exactly; Sigmoid,
     * Tanh and Exp use the Vector API's exp and tanh (a few ulp from the float-rounded double
     * result).
     */
    public static void unary(Unary f, float alpha, float beta, float[] x, int xo, float[] y,
            int yo, int n) {
        switch (f) {
            case RELU -> clamp(x, xo, y, yo, n, 0f, Float.POSITIVE_INFINITY);
            case CLIP -> clamp(x, xo, y, yo, n, alpha, beta);
            case LEAKY_RELU -> leakyRelu(x, xo, y, yo, n, alpha);
            case SIGMOID -> sigmoid(x, xo, y, yo, n);
            case HARD_SIGMOID -> hardSigmoid(x, xo, y, yo, n, alpha, beta);
            case HARD_SWISH -> hardSwish(x, xo, y, yo, n);
            case TANH -> tanh(x, xo, y, yo, n);
            case EXP -> exp(x, xo, y, yo, n);
            case NEG -> neg(x, xo, y, yo, n);
        }
    }

    /**
     * A compare and a blend per bound: FloatVector.max/min keep Math.max's NaN and signed-zero
     * rules, five instructions each on AVX2. NaN stays NaN; a zero may keep its sign.
     */
    private static void clamp(float[] x, int xo, float[] y, int yo, int n, float lo, float hi) {
        int i = 0;
        for (; i <= n - V; i += V) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v = v.blend(lo, v.compare(VectorOperators.LT, lo));
            v.blend(hi, v.compare(VectorOperators.GT, hi)).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(S, x, xo + i, m);
            v = v.blend(lo, v.compare(VectorOperators.LT, lo));
            v.blend(hi, v.compare(VectorOperators.GT, hi)).intoArray(y, yo + i, m);
        }
    }

    private static void leakyRelu(float[] x, int xo, float[] y, int yo, int n, float alpha) {
        int i = 0;
        for (; i <= n - V; i += V) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.blend(v.mul(alpha), v.lt(0f)).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(S, x, xo + i, m);
            v.blend(v.mul(alpha), v.lt(0f)).intoArray(y, yo + i, m);
        }
    }

    private static void sigmoid(float[] x, int xo, float[] y, int yo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (; i <= n - V; i += V) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            one.div(v.neg().lanewise(VectorOperators.EXP).add(1f)).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(S, x, xo + i, m);
            one.div(v.neg().lanewise(VectorOperators.EXP).add(1f)).intoArray(y, yo + i, m);
        }
    }

    private static void hardSigmoid(float[] x, int xo, float[] y, int yo, int n, float alpha,
            float beta) {
        int i = 0;
        for (; i <= n - V; i += V) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.mul(alpha).add(beta).min(1f).max(0f).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(S, x, xo + i, m);
            v.mul(alpha).add(beta).min(1f).max(0f).intoArray(y, yo + i, m);
        }
    }

    private static void hardSwish(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (; i <= n - V; i += V) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.mul(v.div(6f).add(0.5f).min(1f).max(0f)).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(S, x, xo + i, m);
            v.mul(v.div(6f).add(0.5f).min(1f).max(0f)).intoArray(y, yo + i, m);
        }
    }

    private static void tanh(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (; i <= n - V; i += V) {
            FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.TANH)
                    .intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, xo + i, m).lanewise(VectorOperators.TANH)
                    .intoArray(y, yo + i, m);
        }
    }

    private static void exp(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (; i <= n - V; i += V) {
            FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.EXP)
                    .intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, xo + i, m).lanewise(VectorOperators.EXP)
                    .intoArray(y, yo + i, m);
        }
    }

    private static void neg(float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (; i <= n - V; i += V) {
            FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.NEG)
                    .intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, xo + i, m).lanewise(VectorOperators.NEG)
                    .intoArray(y, yo + i, m);
        }
    }

    /**
     * {@code z[zo + i] = f(x[xo + i * xs], y[yo + i * ys])} for {@code i} in {@code [0, n)},
     * where each step is 1 (contiguous) or 0 (one broadcast value); exact (the same IEEE
     * operations as the scalar definitions).
     */
    public static void binary(Binary f, float[] x, int xo, int xs, float[] y, int yo, int ys,
            float[] z, int zo, int n) {
        if (f == Binary.PRELU) {
            prelu(x, xo, xs, y, yo, ys, z, zo, n);
        } else if (xs == 1 && ys == 1) {
            both(f, x, xo, y, yo, z, zo, n);
        } else if (xs == 1) {
            right(f, x, xo, y[yo], z, zo, n);
        } else if (ys == 1) {
            left(f, x[xo], y, yo, z, zo, n);
        } else {
            FloatVector v = apply(f, FloatVector.broadcast(S, x[xo]),
                    FloatVector.broadcast(S, y[yo]));
            java.util.Arrays.fill(z, zo, zo + n, v.lane(0));
        }
    }

    private static void both(Binary f, float[] x, int xo, float[] y, int yo,
            float[] z, int zo, int n) {
        int i = 0;
        for (; i <= n - V; i += V) {
            apply(f, FloatVector.fromArray(S, x, xo + i), FloatVector.fromArray(S, y, yo + i))
                    .intoArray(z, zo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            apply(f, FloatVector.fromArray(S, x, xo + i, m), FloatVector.fromArray(S, y, yo + i, m))
                    .intoArray(z, zo + i, m);
        }
    }

    private static void right(Binary f, float[] x, int xo, float c, float[] z,
            int zo, int n) {
        FloatVector cv = FloatVector.broadcast(S, c);
        int i = 0;
        for (; i <= n - V; i += V) {
            apply(f, FloatVector.fromArray(S, x, xo + i), cv).intoArray(z, zo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            apply(f, FloatVector.fromArray(S, x, xo + i, m), cv).intoArray(z, zo + i, m);
        }
    }

    private static void left(Binary f, float c, float[] y, int yo, float[] z,
            int zo, int n) {
        FloatVector cv = FloatVector.broadcast(S, c);
        int i = 0;
        for (; i <= n - V; i += V) {
            apply(f, cv, FloatVector.fromArray(S, y, yo + i)).intoArray(z, zo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            apply(f, cv, FloatVector.fromArray(S, y, yo + i, m)).intoArray(z, zo + i, m);
        }
    }

    /**
     * One operation on two vectors. Each arm names its operator as a constant, which the
     * Vector API needs to compile it to one instruction; the switch is predicted per loop.
     */
    private static FloatVector apply(Binary f, FloatVector a, FloatVector b) {
        return switch (f) {
            case ADD -> a.add(b);
            case SUB -> a.sub(b);
            case MUL -> a.mul(b);
            case DIV -> a.div(b);
            case MAX -> a.max(b);
            case MIN -> a.min(b);
            case PRELU -> a.blend(a.mul(b), a.lt(0f));
        };
    }

    private static void prelu(float[] x, int xo, int xs, float[] y, int yo, int ys, float[] z,
            int zo, int n) {
        int i = 0;
        for (; i <= n - V; i += V) {
            FloatVector a = xs == 1 ? FloatVector.fromArray(S, x, xo + i)
                    : FloatVector.broadcast(S, x[xo]);
            FloatVector b = ys == 1 ? FloatVector.fromArray(S, y, yo + i)
                    : FloatVector.broadcast(S, y[yo]);
            a.blend(a.mul(b), a.lt(0f)).intoArray(z, zo + i);
        }
        for (; i < n; i++) {
            float a = x[xo + i * xs];
            z[zo + i] = a < 0 ? a * y[yo + i * ys] : a;
        }
    }

    /**
     * {@code y[yo + i] = x[xo + i] * a + b} for {@code i} in {@code [0, n)}, a multiply then an
     * add (not fused), so exactly the scalar {@code x * a + b}.
     */
    public static void scaleShift(float[] x, int xo, float[] y, int yo, int n, float a,
            float b) {
        FloatVector av = FloatVector.broadcast(S, a);
        FloatVector bv = FloatVector.broadcast(S, b);
        int i = 0;
        for (; i <= n - V; i += V) {
            FloatVector.fromArray(S, x, xo + i).mul(av).add(bv).intoArray(y, yo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, xo + i, m).mul(av).add(bv).intoArray(y, yo + i, m);
        }
    }
}
