package dev.lanes.runtime.kernels.gemm;

/**
 * The left-hand matrix A [M x K] of a GEMM (a layer's weights) packed once, at load time, into
 * panels of {@link Sgemm#MR} rows: value (i, kk) of panel {@code p} is at
 * {@code data[p * K * MR + kk * MR + i]}; rows past M in the last panel are zero.
 */
public final class PackedA {
    private final float[] data;
    private final int rows;
    private final int depth;

    private PackedA(float[] data, int rows, int depth) {
        this.data = data;
        this.rows = rows;
        this.depth = depth;
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
        for (int p = 0; p < panels; p++) {
            int base = p * k * mr;
            for (int i = 0; i < mr && p * mr + i < m; i++) {
                int row = p * mr + i;
                for (int kk = 0; kk < k; kk++) {
                    d[base + kk * mr + i] = transposed ? a[offset + kk * ld + row]
                            : a[offset + row * ld + kk];
                }
            }
        }
        return new PackedA(d, m, k);
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
