package dev.lanes.runtime.kernels.gemm;

import dev.lanes.runtime.RunContext;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision GEMM with a fused epilogue: {@code C = epilogue(A * B)} where A is a
 * {@link PackedA} (weights packed at load time) and B comes from a {@link BSource} packed in
 * blocks of {@link #KC} rows and {@link #NC} columns. The output columns are split across the
 * run's threads.
 */
public final class Sgemm {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Rows of the register tile. */
    public static final int MR = 8;
    /** Columns of the register tile: three vectors. */
    public static final int NR = 3 * SPECIES.length();
    /** Rows of B packed at once (the depth of a block). */
    public static final int KC = 256;
    /** Columns of B packed at once. */
    public static final int NC = NR * 8;

    private static final ThreadLocal<float[]> PANEL = ThreadLocal.withInitial(
            () -> new float[KC * NC]);

    private Sgemm() {
    }

    /**
     * Computes {@code C[i][j] = epilogue(sum_k A[i][k] * B[k][j] , i, R[i][j])} for all
     * {@code i < A.rows()}, {@code j < B.columns()}.
     *
     * @param a        the packed left operand
     * @param b        the right operand; {@code b.rows()} must equal {@code a.depth()}
     * @param c        the output
     * @param cOff     where C[0][0] is
     * @param ldc      distance between rows of C
     * @param ep       what to do with each value before storing
     * @param residual values added before the activation (same layout as C), or null
     * @param rOff     where R[0][0] is
     * @param ldr      distance between rows of R
     * @param ctx      the run's threads
     */
    public static void multiply(PackedA a, BSource b, float[] c, int cOff, int ldc, Epilogue ep,
            float[] residual, int rOff, int ldr, RunContext ctx) {
        if (b.rows() != a.depth()) {
            throw new IllegalArgumentException("A is " + a.rows() + "x" + a.depth()
                    + " but B has " + b.rows() + " rows");
        }
        int n = b.columns();
        int blocks = (n + NC - 1) / NC;
        ctx.pool().parallelFor(blocks, blk -> {
            int n0 = blk * NC;
            int nc = Math.min(NC, n - n0);
            float[] panel = PANEL.get();
            int k = a.depth();
            if (k == 0) {
                storeEmpty(a, c, cOff, ldc, n0, nc, ep, residual, rOff, ldr);
                return;
            }
            for (int k0 = 0; k0 < k; k0 += KC) {
                int kc = Math.min(KC, k - k0);
                b.pack(k0, kc, n0, nc, panel);
                boolean first = k0 == 0;
                boolean last = k0 + kc >= k;
                for (int p = 0; p * MR < a.rows(); p++) {
                    for (int j0 = 0, q = 0; j0 < nc; j0 += NR, q++) {
                        microKernel(a, p, k0, kc, panel, q * kc * NR, c, cOff, ldc, p * MR,
                                n0 + j0, Math.min(MR, a.rows() - p * MR), Math.min(NR, nc - j0),
                                first, last ? ep : null, residual, rOff, ldr);
                    }
                }
            }
        });
    }

    private static void storeEmpty(PackedA a, float[] c, int cOff, int ldc, int n0, int nc,
            Epilogue ep, float[] residual, int rOff, int ldr) {
        for (int i = 0; i < a.rows(); i++) {
            for (int j = n0; j < n0 + nc; j++) {
                float r = residual == null ? 0f : residual[rOff + i * ldr + j];
                c[cOff + i * ldc + j] = ep.apply(0f, i, r);
            }
        }
    }

    /**
     * One register tile: C[row0 .. row0+mr) x [col0 .. col0+nr) (+)= A panel x B panel over
     * {@code kc} steps; applies {@code ep} (when not null) before the store.
     */
    private static void microKernel(PackedA a, int panel, int k0, int kc, float[] bp, int bOff,
            float[] c, int cOff, int ldc, int row0, int col0, int mr, int nr, boolean first,
            Epilogue ep, float[] residual, int rOff, int ldr) {
        float[] ad = a.data();
        int aOff = panel * a.depth() * MR + k0 * MR;
        float[] acc = new float[MR * NR];
        for (int kk = 0; kk < kc; kk++) {
            for (int i = 0; i < MR; i++) {
                float av = ad[aOff + kk * MR + i];
                for (int j = 0; j < NR; j++) {
                    acc[i * NR + j] += av * bp[bOff + kk * NR + j];
                }
            }
        }
        for (int i = 0; i < mr; i++) {
            int ci = cOff + (row0 + i) * ldc + col0;
            for (int j = 0; j < nr; j++) {
                float v = acc[i * NR + j] + (first ? 0f : c[ci + j]);
                if (ep != null) {
                    float r = residual == null ? 0f
                            : residual[rOff + (row0 + i) * ldr + col0 + j];
                    v = ep.apply(v, row0 + i, r);
                }
                c[ci + j] = v;
            }
        }
    }

    /** The plain triple loop, the reference the fast path is tested against. */
    public static void reference(float[] a, int m, int k, float[] b, int n, float[] c,
            Epilogue ep, float[] residual) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int kk = 0; kk < k; kk++) {
                    s += a[i * k + kk] * b[kk * n + j];
                }
                c[i * n + j] = ep.apply((float) s, i, residual == null ? 0f : residual[i * n + j]);
            }
        }
    }
}
