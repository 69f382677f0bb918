package dev.lanes.runtime.kernels.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector form of {@link Epilogue#apply} over one finished tile of C, in place while the tile
 * is in L1: {@code act(c * scale[row] + shift[row] + r)}, in the scalar definition's order so
 * that, apart from the activation's approximation, results are the same.
 *
 * <p>Each row gets two short loops, the affine part and the activation, with the activation's
 * kind switched on outside its loop: loops this small are compiled with their vectors in
 * registers, where one loop calling a general {@code apply(FloatVector)} was not inlined and
 * boxed a vector per call (allocation that also stopped threads from scaling).
 */
final class EpilogueTile {
    private static final VectorSpecies<Float> S = Sgemm.SPECIES;
    private static final int L = S.length();

    private EpilogueTile() {
    }

    /** Rows {@code [row, row + rows)} (of the epilogue's numbering), {@code width} columns. */
    static void apply(Epilogue ep, float[] c, int ci, int ldc, int row, int rows, int width,
            float[] residual, int ri, int ldr) {
        float[] scale = ep.scale();
        float[] shift = ep.shift();
        Activation act = ep.activation();
        for (int i = 0; i < rows; i++) {
            int o = ci + i * ldc;
            if (scale != null || shift != null || residual != null) {
                affine(c, o, width, scale == null ? 1f : scale[row + i],
                        shift == null ? 0f : shift[row + i], residual, ri + i * ldr);
            }
            activate(act, c, o, width);
        }
    }

    /**
     * {@link #apply} for a tile exactly one vector wide (the 12 x 1-vector tiles): one vector
     * per row, the affine part and the activation in registers, without {@link #apply}'s
     * per-row loops, whose setup cost as much as the arithmetic on a tile this narrow.
     */
    static void applyVectorWide(Epilogue ep, float[] c, int ci, int ldc, int row, int rows,
            float[] residual, int ri, int ldr) {
        float[] scale = ep.scale();
        float[] shift = ep.shift();
        Activation act = ep.activation();
        Activation.Kind kind = act.kind();
        float lo = kind == Activation.Kind.RELU ? 0f : act.alpha();
        float hi = kind == Activation.Kind.RELU ? Float.POSITIVE_INFINITY : act.beta();
        boolean clamp = kind == Activation.Kind.RELU || kind == Activation.Kind.CLIP;
        for (int i = 0; i < rows; i++) {
            int o = ci + i * ldc;
            FloatVector v = FloatVector.fromArray(S, c, o);
            if (scale != null) {
                v = v.mul(scale[row + i]);
            }
            if (shift != null) {
                v = v.add(shift[row + i]);
            }
            if (residual != null) {
                v = v.add(FloatVector.fromArray(S, residual, ri + i * ldr));
            }
            if (clamp) {
                // A compare and a blend per bound (see clamp).
                v = v.blend(lo, v.compare(VectorOperators.LT, lo));
                v = v.blend(hi, v.compare(VectorOperators.GT, hi));
            }
            v.intoArray(c, o);
            if (!clamp && kind != Activation.Kind.NONE) {
                activate(act, c, o, L);
            }
        }
    }

    private static void affine(float[] c, int o, int width, float s, float h, float[] residual,
            int r) {
        int j = 0;
        if (residual == null) {
            for (; j <= width - L; j += L) {
                FloatVector.fromArray(S, c, o + j).mul(s).add(h).intoArray(c, o + j);
            }
        } else {
            for (; j <= width - L; j += L) {
                FloatVector.fromArray(S, c, o + j).mul(s).add(h)
                        .add(FloatVector.fromArray(S, residual, r + j)).intoArray(c, o + j);
            }
        }
        for (; j < width; j++) {
            c[o + j] = c[o + j] * s + h + (residual == null ? 0f : residual[r + j]);
        }
    }

    /** Applies the activation to {@code width} values from {@code o}. */
    static void activate(Activation act, float[] c, int o, int width) {
        switch (act.kind()) {
            case NONE -> { }
            case RELU -> clamp(c, o, width, 0f, Float.POSITIVE_INFINITY);
            case CLIP -> clamp(c, o, width, act.alpha(), act.beta());
            case HARD_SIGMOID -> hardSigmoid(c, o, width, act.alpha(), act.beta());
            case HARD_SWISH -> hardSwish(c, o, width);
            default -> general(act, c, o, width);
        }
    }

    /**
     * A compare and a blend per bound: FloatVector.max/min keep Math.max's NaN and signed-zero
     * rules, five instructions each on AVX2. NaN stays NaN; a zero may keep its sign.
     */
    private static void clamp(float[] c, int o, int width, float lo, float hi) {
        int j = 0;
        for (; j <= width - L; j += L) {
            FloatVector v = FloatVector.fromArray(S, c, o + j);
            v = v.blend(lo, v.compare(VectorOperators.LT, lo));
            v.blend(hi, v.compare(VectorOperators.GT, hi)).intoArray(c, o + j);
        }
        for (; j < width; j++) {
            c[o + j] = Math.min(Math.max(c[o + j], lo), hi);
        }
    }

    private static void hardSigmoid(float[] c, int o, int width, float alpha, float beta) {
        int j = 0;
        for (; j <= width - L; j += L) {
            FloatVector.fromArray(S, c, o + j).mul(alpha).add(beta).min(1f).max(0f)
                    .intoArray(c, o + j);
        }
        for (; j < width; j++) {
            c[o + j] = Math.max(0f, Math.min(1f, alpha * c[o + j] + beta));
        }
    }

    private static void hardSwish(float[] c, int o, int width) {
        int j = 0;
        for (; j <= width - L; j += L) {
            FloatVector x = FloatVector.fromArray(S, c, o + j);
            x.mul(x.div(6f).add(0.5f).min(1f).max(0f)).intoArray(c, o + j);
        }
        for (; j < width; j++) {
            float x = c[o + j];
            c[o + j] = x * Math.max(0f, Math.min(1f, x / 6f + 0.5f));
        }
    }

    /** The other kinds through {@link Activation#apply(FloatVector)}, masked at the tail. */
    private static void general(Activation act, float[] c, int o, int width) {
        int j = 0;
        for (; j <= width - L; j += L) {
            act.apply(FloatVector.fromArray(S, c, o + j)).intoArray(c, o + j);
        }
        if (j < width) {
            VectorMask<Float> m = S.indexInRange(j, width);
            act.apply(FloatVector.fromArray(S, c, o + j, m)).intoArray(c, o + j, m);
        }
    }
}
