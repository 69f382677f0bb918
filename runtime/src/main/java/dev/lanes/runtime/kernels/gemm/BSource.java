package dev.lanes.runtime.kernels.gemm;

/**
 * The right-hand matrix B [K x N] of a GEMM, produced block by block in packed form. A plain
 * matrix is one source ({@link RowMajorB}); a convolution supplies its input through a source
 * that does im2col while packing, so the whole im2col matrix never exists.
 */
public interface BSource {
    /** K, the number of rows. */
    int rows();

    /** N, the number of columns. */
    int columns();

    /**
     * Packs rows {@code [k0, k0 + kc)} and columns {@code [n0, n0 + nc)} into {@code dst} as
     * panels of {@link Sgemm#NR} columns: value (kk, j) of panel {@code p} goes to
     * {@code dst[p * kc * NR + kk * NR + j]}. Columns past {@code nc} in the last panel are
     * zero.
     */
    void pack(int k0, int kc, int n0, int nc, float[] dst);
}
