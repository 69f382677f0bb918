package dev.lanes.runtime.kernels.gemm;

import dev.lanes.runtime.RunContext;
import java.util.Arrays;

/**
 * {@link Sgemm} for a single column of B: a matrix-vector product over the packed A (a fully
 * connected layer at batch 1). A panel stores its {@code MR} rows interleaved step by step, so
 * the vector x is expanded once to the same layout ({@code x[kk]} repeated {@code MR} times);
 * each panel's K block is then one contiguous fma stream against it, its lanes folded back to the panel's
 * rows at the end. Row panels are split across threads. Bound by reading A once.
 */
final class Gemv {
    private static final int MR = Sgemm.MR;
    private static final int NR = Sgemm.NR;

    /** x in the packed layout, per calling thread, grown as needed. */
    private static final ThreadLocal<float[][]> EXPANDED = ThreadLocal.withInitial(
            () -> new float[][] {new float[0]});
    private static final ThreadLocal<float[]> PANEL = ThreadLocal.withInitial(
            () -> new float[Sgemm.KC * NR]);
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(
            () -> new float[2 * MicroKernels.DOT_LANES]);

    private Gemv() {
    }

    /** The lane folding needs a whole number of panel row groups per group of vectors. */
    static boolean supported() {
        return MicroKernels.DOT_LANES % MR == 0;
    }

    static void multiply(PackedA a, BSource b, float[] c, int cOff, int ldc, Epilogue ep,
            float[] residual, int rOff, int ldr, RunContext ctx) {
        int k = a.depth();
        int len = k * MR;
        float[][] holder = EXPANDED.get();
        if (holder[0].length < len) {
            holder[0] = new float[len];
        }
        float[] xe = holder[0];
        float[] panel = PANEL.get();
        for (int k0 = 0; k0 < k; k0 += Sgemm.KC) {
            int kc = Math.min(Sgemm.KC, k - k0);
            b.pack(k0, kc, 0, 1, panel);
            for (int kk = 0; kk < kc; kk++) {
                float v = panel[kk * NR];
                int o = (k0 + kk) * MR;
                for (int i = 0; i < MR; i++) {
                    xe[o + i] = v;
                }
            }
        }
        int step = a.blockDepth();
        int mPanels = (a.rows() + MR - 1) / MR;
        int tasks = Math.min(mPanels, ctx.threads());
        ctx.pool().parallelFor(tasks, t -> {
            int p0 = (int) ((long) t * mPanels / tasks);
            int p1 = (int) ((long) (t + 1) * mPanels / tasks);
            float[] lanes = LANES.get();
            for (int p = p0; p < p1; p++) {
                int group = MicroKernels.DOT_LANES;
                Arrays.fill(lanes, 0, group, 0f);
                for (int k0 = 0; k0 < k; k0 += step) {
                    int kc = Math.min(step, k - k0);
                    MicroKernels.dot(a.data(), a.offset(p, k0), xe, k0 * MR, kc * MR, lanes,
                            group);
                    for (int l = 0; l < group; l++) {
                        lanes[l] += lanes[group + l];
                    }
                }
                int rows = Math.min(MR, a.rows() - p * MR);
                for (int i = 0; i < rows; i++) {
                    int row = p * MR + i;
                    float s = MicroKernels.foldRow(lanes, 0, i);
                    float r = residual == null ? 0f : residual[rOff + row * ldr];
                    c[cOff + row * ldc] = ep.apply(s, row, r);
                }
            }
        });
    }
}
