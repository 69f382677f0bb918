package dev.lanes.runtime.kernels.gemm;

import dev.lanes.runtime.RunContext;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision GEMM with a fused epilogue: {@code C = epilogue(A * B)} where A is a
 * {@link PackedA} (weights packed at load time) and B comes from a {@link BSource} packed in
 * blocks of at most {@link #KC} rows and {@link #NC} columns.
 *
 * <p>Blocking: a thread packs a {@code kc x nc} block of B (L2-sized); for each {@code MR}-row
 * panel of A (kc x MR, L1-resident) it runs the register tile along the block's {@code NR}-wide
 * panels, which stream from L2. A is thus read once per column block, which matters for the
 * deep late layers (K = 4608 with few columns) where A is megabytes; the other order (B panel
 * pinned in L1, A streamed per panel) measured 10-40% slower there.
 * Output columns are split across the run's threads in blocks; when there are too few columns
 * for every thread (late ResNet layers: 49 pixels), A's panels are split too. The epilogue runs
 * on each finished tile while it is still in L1. Scratch is per thread and reused, so a steady
 * state allocates nothing. A single column of B (a fully connected layer at batch 1) takes a
 * matrix-vector path ({@link Gemv}).
 */
public final class Sgemm {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /**
     * Whether the vector register file has 32 registers (AVX-512, and AArch64's NEON and SVE)
     * rather than 16 (AVX2): it decides the register tile, 8 rows x 3 vectors (24 accumulators)
     * or 12 rows x 1 vector (12). The Vector API does not tell the register count, so it is
     * inferred from the vector width and the architecture. See {@link Tiles12x1v} for why the
     * 16-register tile is one vector wide. The system property {@code lanes.sgemm.tile}
     * ({@code 8x3v} or {@code 12x1v}) forces one, so the tests cover both on any machine.
     */
    static final boolean WIDE_REGISTER_FILE = wideRegisterFile(
            System.getProperty("lanes.sgemm.tile", "auto"));
    /** Rows of the register tile: 8, or 12 on a 16-register file. */
    public static final int MR = WIDE_REGISTER_FILE ? 8 : Tiles12x1v.MR;
    /** Columns of the register tile: three vectors, or one on a 16-register file. */
    public static final int NR = (WIDE_REGISTER_FILE ? 3 : 1) * SPECIES.length();
    /**
     * Rows of B packed at once (the depth of a block). An A panel of MR x KC (6 KiB) stays in
     * L1 with room for the B panel streaming past it; measured best of 128/192/256 on the
     * ResNet shapes.
     */
    public static final int KC = 192;
    /**
     * Columns of B packed at once: a KC x NC block of about 256 KiB stays in L2 (half of a
     * 512 KiB L2, a quarter of a 1 MiB one) beside the streaming A panels and C tiles.
     */
    public static final int NC = NR * Math.max(1, 256 * 1024 / (KC * NR * Float.BYTES));

    /** Column panels per thread below which A's row panels are split across threads too. */
    private static final int MIN_PANELS_PER_THREAD = 4;
    /**
     * Tasks per thread a parallel GEMM aims at: the pool hands tasks out one at a time, so
     * several per thread even out cores that run at different speeds (a virtual machine's
     * cores often do: here one ran 1.6x slower than the other), where one task each leaves the
     * faster cores waiting.
     */
    private static final int TASKS_PER_THREAD = 4;
    /**
     * Whether a row-major B is read in place rather than packed: {@code lanes.sgemm.directB}
     * ({@code true} by default) so the tests can run both ways.
     */
    static final boolean DIRECT_B = Boolean.parseBoolean(
            System.getProperty("lanes.sgemm.directB", "true"));
    /**
     * Most rows of A for which a row-major B is read in place: packing B costs about as much as
     * 20-40 rows of multiply-adds over it, so below that it dominated (16 rows: 1.5x faster in
     * place, 24 rows 1.25x, 36 rows 1.15x), while above it the packed panels win, most when B
     * is larger than the caches (48 rows of a 7 MiB B ran 1.4x slower in place: every row of
     * the block is a separate memory stream, too many for the prefetchers).
     */
    private static final int DIRECT_B_MAX_ROWS = 36;
    /** GEMMs smaller than this many floating-point operations run on the calling thread. */
    static final double MIN_PARALLEL_FLOPS = 4e6;

    private static final ThreadLocal<float[]> PANEL = ThreadLocal.withInitial(
            () -> new float[KC * NC]);
    /** A caller's B packed whole, K block by K block, for row-split GEMMs. */
    private static final ThreadLocal<float[][]> PACKED_B = ThreadLocal.withInitial(
            () -> new float[0][]);

    /**
     * Widest last panel computed column by column as dot products (full lanes, two loads per
     * fma) rather than by a one-vector tile (a lane per column): 49 output pixels are 48 + 1.
     */
    private static final int TAIL_COLUMNS = 4;

    /** The tile buffer, then room for one vector of lane sums. */
    private static final ThreadLocal<float[]> TILE = ThreadLocal.withInitial(
            () -> new float[MR * NR + MicroKernels.DOT_LANES]);
    /** Expanded tail columns. */
    private static final ThreadLocal<float[]> COLUMNS = ThreadLocal.withInitial(
            () -> new float[TAIL_COLUMNS * KC * MR]);

    private Sgemm() {
    }

    private static boolean wideRegisterFile(String tile) {
        return switch (tile) {
            case "8x3v" -> true;
            case "12x1v" -> false;
            case "auto" -> SPECIES.vectorBitSize() >= 512
                    || "aarch64".equals(System.getProperty("os.arch"));
            default -> throw new IllegalArgumentException(
                    "lanes.sgemm.tile must be 8x3v, 12x1v or auto, not '" + tile + "'");
        };
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
        int m = a.rows();
        int n = b.columns();
        int k = a.depth();
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            storeEmpty(a, c, cOff, ldc, n, ep, residual, rOff, ldr);
            return;
        }
        if (n == 1 && Gemv.supported()) {
            Gemv.multiply(a, b, c, cOff, ldc, ep, residual, rOff, ldr, ctx);
            return;
        }
        // Below this much work, waking a second thread costs more than it saves.
        int threads = 2.0 * m * n * k < MIN_PARALLEL_FLOPS ? 1 : ctx.threads();
        int nPanels = (n + NR - 1) / NR;
        int mPanels = (m + MR - 1) / MR;
        int nBlocks = (nPanels + NC / NR - 1) / (NC / NR);
        int mBlocks = 1;
        if (threads > 1) {
            if (nPanels >= MIN_PANELS_PER_THREAD * threads) {
                nBlocks = Math.max(nBlocks, Math.min(nPanels / MIN_PANELS_PER_THREAD,
                        TASKS_PER_THREAD * threads));
            } else {
                // Few columns (late layers, 7x7 planes): split the rows of A instead, over
                // one B packed once for all of them.
                nBlocks = 1;
                mBlocks = Math.min(mPanels, TASKS_PER_THREAD * threads);
            }
        }
        int nb = nBlocks;
        int mb = mBlocks;
        if (threads == 1) {
            for (int q = 0; q < nb; q++) {
                int q0 = (int) ((long) q * nPanels / nb);
                int q1 = (int) ((long) (q + 1) * nPanels / nb);
                block(a, b, null, c, cOff, ldc, ep, residual, rOff, ldr, q0 * NR,
                        Math.min(n, q1 * NR), 0, mPanels);
            }
            return;
        }
        float[][] packedB = mb > 1 ? packAll(b, k, a.blockDepth(), n, ctx) : null;
        ctx.pool().parallelFor(nb * mb, t -> {
            int q0 = (int) ((long) (t / mb) * nPanels / nb);
            int q1 = (int) ((long) (t / mb + 1) * nPanels / nb);
            int p0 = (int) ((long) (t % mb) * mPanels / mb);
            int p1 = (int) ((long) (t % mb + 1) * mPanels / mb);
            block(a, b, packedB, c, cOff, ldc, ep, residual, rOff, ldr, q0 * NR,
                    Math.min(n, q1 * NR), p0, p1);
        });
    }

    /** True when the tiles may read B where it lies (a row-major B) instead of packing it. */
    private static boolean readsInPlace(BSource b) {
        return DIRECT_B && b instanceof RowMajorB r && !r.transposed();
    }

    /** All K blocks of an {@code n}-column B, packed in parallel, one array per block. */
    private static float[][] packAll(BSource b, int k, int step, int n, RunContext ctx) {
        int blocks = (k + step - 1) / step;
        int size = step * ((n + NR - 1) / NR) * NR;
        float[][] held = PACKED_B.get();
        if (held.length < blocks) {
            held = Arrays.copyOf(held, blocks);
            PACKED_B.set(held);
        }
        for (int i = 0; i < blocks; i++) {
            if (held[i] == null || held[i].length < size) {
                held[i] = new float[size];
            }
        }
        float[][] dst = held;
        ctx.pool().parallelFor(blocks, i -> b.pack(i * step, Math.min(step, k - i * step), 0, n,
                dst[i]));
        return dst;
    }

    /**
     * Columns {@code [n0, n1)} of C for A's row panels {@code [p0, p1)}, all of K; B's blocks
     * come from {@code packedB} (all columns, one array per K block) when given, else are
     * packed here.
     */
    private static void block(PackedA a, BSource b, float[][] packedB, float[] c, int cOff,
            int ldc, Epilogue ep, float[] residual, int rOff, int ldr, int n0, int n1, int p0,
            int p1) {
        float[] own = PANEL.get();
        float[] acc = TILE.get();
        float[] columns = COLUMNS.get();
        float[] ad = a.data();
        int m = a.rows();
        int k = a.depth();
        int nc = n1 - n0;
        boolean epilogue = !ep.isIdentity() || residual != null;
        int step = a.blockDepth();
        int tail = nc % NR;
        int wholeEnd = nc - tail;
        // For few rows of A, a row-major B is read where it lies, whole panels straight from its
        // rows; only a last partial panel is packed (zero-filled).
        RowMajorB rowMajor = packedB == null && (p1 - p0) * MR <= DIRECT_B_MAX_ROWS
                && readsInPlace(b) ? (RowMajorB) b : null;
        for (int k0 = 0; k0 < k; k0 += step) {
            int kc = Math.min(step, k - k0);
            float[] panel;
            int tailPanel;
            if (packedB != null) {
                panel = packedB[k0 / step];
                tailPanel = wholeEnd / NR * kc * NR;
            } else if (rowMajor != null) {
                panel = own;
                tailPanel = 0;
                if (tail > 0) {
                    b.pack(k0, kc, n0 + wholeEnd, tail, panel);
                }
            } else {
                panel = own;
                tailPanel = wholeEnd / NR * kc * NR;
                b.pack(k0, kc, n0, nc, panel);
            }
            boolean add = k0 > 0;
            boolean last = k0 + kc >= k;
            boolean dots = tail > 0 && tail <= TAIL_COLUMNS && Gemv.supported();
            if (dots) {
                for (int j = 0; j < tail; j++) {
                    MicroKernels.expandColumn(panel, tailPanel, j, kc, columns, j * kc * MR);
                }
            }
            for (int p = p0; p < p1; p++) {
                int row = p * MR;
                for (int j0 = 0; j0 < nc; j0 += NR) {
                    int width = Math.min(NR, nc - j0);
                    // Where this panel's B is, the next panel's, and the distance of their rows.
                    float[] bp;
                    int bo;
                    int bo1;
                    int ldb;
                    if (j0 == wholeEnd) {
                        bp = panel;
                        bo = tailPanel;
                        bo1 = -1;
                        ldb = NR;
                    } else if (rowMajor != null) {
                        bp = rowMajor.b();
                        bo = rowMajor.offset() + k0 * rowMajor.ld() + n0 + j0;
                        bo1 = bo + NR;
                        ldb = rowMajor.ld();
                    } else {
                        bp = panel;
                        bo = j0 / NR * kc * NR;
                        bo1 = bo + kc * NR;
                        ldb = NR;
                    }
                    int accStride = NR;
                    int col = n0 + j0;
                    int rows = Math.min(MR, m - row);
                    int ci = cOff + row * ldc + col;
                    int ao = a.offset(p, k0);
                    boolean direct = false;
                    if (dots && width == tail) {
                        for (int j = 0; j < tail; j++) {
                            MicroKernels.column(ad, ao, columns, j * kc * MR, kc, acc, j);
                        }
                    } else if (!WIDE_REGISTER_FILE) {
                        if (rows == MR && width == NR) {
                            if (ldb == NR) {
                                Tiles12x1v.tile12x1vPacked(ad, ao, bp, bo, kc, c, ci, ldc, add);
                            } else {
                                Tiles12x1v.tile12x1v(ad, ao, bp, bo, ldb, kc, c, ci, ldc, add);
                            }
                            direct = true;
                        } else if (rows > 8) {
                            if (ldb == NR) {
                                Tiles12x1v.tile12x1vPacked(ad, ao, bp, bo, kc, acc, 0, NR, false);
                            } else {
                                Tiles12x1v.tile12x1v(ad, ao, bp, bo, ldb, kc, acc, 0, NR, false);
                            }
                        } else if (rows > 4) {
                            Tiles12x1v.tile8x1v(ad, ao, bp, bo, ldb, kc, acc);
                        } else if (j0 + 2 * NR <= wholeEnd) {
                            // Two whole panels at once; the loop then skips the second.
                            Tiles12x1v.tile4x2v(ad, ao, bp, bo, bo1, ldb, kc, acc);
                            width = 2 * NR;
                            accStride = 2 * NR;
                        } else {
                            Tiles12x1v.tile4x1v(ad, ao, bp, bo, ldb, kc, acc);
                        }
                    } else if (width > 2 * MicroKernels.VL) {
                        MicroKernels.tile8x3v(ad, ao, bp, bo, ldb, kc, acc);
                    } else if (width > MicroKernels.VL) {
                        MicroKernels.tile8x2v(ad, ao, bp, bo, ldb, kc, acc);
                    } else {
                        MicroKernels.tile8x1v(ad, ao, bp, bo, ldb, kc, acc);
                    }
                    if (!direct) {
                        MicroKernels.store(acc, accStride, c, ci, ldc, rows, width, add);
                    }
                    if (last && epilogue) {
                        if (width == MicroKernels.VL) {
                            EpilogueTile.applyVectorWide(ep, c, ci, ldc, row, rows, residual,
                                    rOff + row * ldr + col, ldr);
                        } else {
                            EpilogueTile.apply(ep, c, ci, ldc, row, rows, width, residual,
                                    rOff + row * ldr + col, ldr);
                        }
                    }
                    if (width > NR) {
                        j0 += NR;
                    }
                }
            }
        }
    }

    private static void storeEmpty(PackedA a, float[] c, int cOff, int ldc, int n, Epilogue ep,
            float[] residual, int rOff, int ldr) {
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < n; j++) {
                float r = residual == null ? 0f : residual[rOff + i * ldr + j];
                c[cOff + i * ldc + j] = ep.apply(0f, i, r);
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
