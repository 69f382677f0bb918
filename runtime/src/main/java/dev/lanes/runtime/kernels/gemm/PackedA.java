package dev.lanes.runtime.kernels.gemm;

/**
 * The left-hand matrix A [M x K] of a GEMM (a layer's weights) packed once, at load time, into
 * panels of {@link Sgemm#MR} rows, cut along K into blocks of equal depth (at most
 * {@link Sgemm#KC}; see {@link #blockDepth}). Block {@code b} starts at
 * {@code k0 = b * blockDepth} and has depth {@code kc = min(blockDepth, K - k0)}; within it,
 * value (i, kk) of panel {@code p} is at {@code data[k0 * P * MR + p * kc * MR + (kk - k0) * MR
 * + i]} with {@code P} the number of panels. So one block of every panel is one contiguous
 * stream, which is how {@link Sgemm} reads it. Rows past M in the last panel are zero.
 */
public final class PackedA {
    private final float[] data;
    private final int rows;
    private final int depth;
    private final int blockDepth;

    private PackedA(float[] data, int rows, int depth) {
        this.data = data;
        this.rows = rows;
        this.depth = depth;
        this.blockDepth = blockDepth(depth);
    }

    /**
     * The depth of K blocks for a K of {@code k}: K cut into the fewest blocks of at most
     * {@link Sgemm#KC}, all of equal depth but the last (K = 200 is 100 + 100, not 192 + 8, so
     * no short block costs a pass over C).
     */
    public static int blockDepth(int k) {
        if (k <= 0) {
            return 1;
        }
        int blocks = (k + Sgemm.KC - 1) / Sgemm.KC;
        return (k + blocks - 1) / blocks;
    }

    /**
     * Packs A.
     *
     * @param a          the values
     * @param offset     where A[0][0] is
     * @param ld         distance between consecutive rows (columns when transposed)
     * @param m          rows
     * @param k          columns
     * @param transposed true when the array holds A transposed ([K x M] row-major)
     */
    public static PackedA pack(float[] a, int offset, int ld, int m, int k, boolean transposed) {
        int mr = Sgemm.MR;
        int panels = (m + mr - 1) / mr;
        float[] d = new float[Math.multiplyExact(Math.multiplyExact(panels, mr), Math.max(k, 1))];
        int step = blockDepth(k);
        for (int k0 = 0; k0 < k; k0 += step) {
            int kc = Math.min(step, k - k0);
            for (int p = 0; p < panels; p++) {
                int base = k0 * panels * mr + p * kc * mr;
                for (int i = 0; i < mr && p * mr + i < m; i++) {
                    int row = p * mr + i;
                    for (int kk = 0; kk < kc; kk++) {
                        d[base + kk * mr + i] = transposed ? a[offset + (k0 + kk) * ld + row]
                                : a[offset + row * ld + k0 + kk];
                    }
                }
            }
        }
        return new PackedA(d, m, k);
    }

    /** Where panel {@code p}'s block of K starting at {@code k0} (a block boundary) is. */
    int offset(int p, int k0) {
        int kc = Math.min(blockDepth, depth - k0);
        return k0 * ((rows + Sgemm.MR - 1) / Sgemm.MR) * Sgemm.MR + p * kc * Sgemm.MR;
    }

    /** The depth of this matrix's K blocks, {@link #blockDepth(int)} of K. */
    public int blockDepth() {
        return blockDepth;
    }

    /** The packed values. */
    public float[] data() {
        return data;
    }

    /** M. */
    public int rows() {
        return rows;
    }

    /** K. */
    public int depth() {
        return depth;
    }
}
