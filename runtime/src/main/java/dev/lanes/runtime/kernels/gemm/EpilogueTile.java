package dev.lanes.runtime.kernels.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector form of {@link Epilogue#apply} over one finished tile of C, in place while the tile
 * is in L1: {@code act(c * scale[row] + shift[row] + r)}, in the scalar definition's order so
 * that, apart from the activation's approximation, results are the same.
 */
final class EpilogueTile {
    private static final VectorSpecies<Float> S = Sgemm.SPECIES;

    private EpilogueTile() {
    }

    /** Rows {@code [row, row + rows)} (of the epilogue's numbering), {@code width} columns. */
    static void apply(Epilogue ep, float[] c, int ci, int ldc, int row, int rows, int width,
            float[] residual, int ri, int ldr) {
        float[] scale = ep.scale();
        float[] shift = ep.shift();
        Activation act = ep.activation();
        int full = S.loopBound(width);
        for (int i = 0; i < rows; i++) {
            int o = ci + i * ldc;
            int r = ri + i * ldr;
            float s = scale == null ? 1f : scale[row + i];
            float h = shift == null ? 0f : shift[row + i];
            int j = 0;
            for (; j < full; j += S.length()) {
                FloatVector v = FloatVector.fromArray(S, c, o + j);
                store(v, scale != null, s, shift != null, h, act, residual, r + j, c, o + j,
                        null);
            }
            if (j < width) {
                VectorMask<Float> m = S.indexInRange(j, width);
                FloatVector v = FloatVector.fromArray(S, c, o + j, m);
                store(v, scale != null, s, shift != null, h, act, residual, r + j, c, o + j, m);
            }
        }
    }

    private static void store(FloatVector v, boolean scaled, float s, boolean shifted, float h,
            Activation act, float[] residual, int r, float[] c, int o, VectorMask<Float> m) {
        FloatVector x = v;
        if (scaled) {
            x = x.mul(s);
        }
        if (shifted) {
            x = x.add(h);
        }
        if (residual != null) {
            x = x.add(m == null ? FloatVector.fromArray(S, residual, r)
                    : FloatVector.fromArray(S, residual, r, m));
        }
        x = act.apply(x);
        if (m == null) {
            x.intoArray(c, o);
        } else {
            x.intoArray(c, o, m);
        }
    }
}
