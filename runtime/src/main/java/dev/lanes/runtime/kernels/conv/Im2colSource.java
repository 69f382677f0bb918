package dev.lanes.runtime.kernels.conv;

import dev.lanes.runtime.kernels.gemm.BSource;
import dev.lanes.runtime.kernels.gemm.Sgemm;
import dev.lanes.runtime.kernels.spatial.Window;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The im2col matrix of one image and one group of a convolution as a GEMM's B operand, built
 * block by block straight into the packed panels, so the whole matrix never exists. Row
 * {@code k} is the tap (channel, kd, kh, kw), column {@code n} the output cell (od, oh, ow);
 * taps that fall into padding are 0.
 *
 * <p>A packed row is built in two vector passes: first, along a per-thread line of the block's
 * columns, one contiguous copy per output row it crosses (with a stride s along W the input is
 * read in its phase-split layout, {@link Geometry#splitPhases}, where the cells a tap reads
 * along an output row are contiguous); then the line is cut into the panels. Copies are thus as
 * long as output rows, not as narrow as a panel (one vector on AVX2), whose per-copy overhead
 * dominated the packing.
 */
public final class Im2colSource implements BSource {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();
    private static final int NR = Sgemm.NR;

    private final float[] x;
    private final int xOff;
    private final Geometry geo;
    private final int rows;

    /**
     * The im2col matrix of {@code channels} channels of {@code x} starting at {@code xOff}.
     *
     * @param x        the input values, phase-split when {@link Geometry#phased()}
     * @param xOff     where the first channel of the image and group starts in {@code x}
     * @param channels the channels of one group
     * @param geo      the convolution's geometry
     */
    public Im2colSource(float[] x, int xOff, int channels, Geometry geo) {
        this.x = x;
        this.xOff = xOff;
        this.geo = geo;
        this.rows = channels * geo.kernelSize;
    }

    /** A source over a plain NCHW input (splitting its phases into a copy when needed). */
    public static Im2colSource of(float[] x, int xOff, int channels, Window win) {
        Geometry geo = new Geometry(win);
        if (!geo.phased()) {
            return new Im2colSource(x, xOff, channels, geo);
        }
        return new Im2colSource(geo.splitPhases(x, xOff, channels), 0, channels, geo);
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int columns() {
        return geo.columns;
    }

    /** The line of one packed row, per thread, grown as needed. */
    private static final ThreadLocal<float[][]> LINE = ThreadLocal.withInitial(
            () -> new float[][] {new float[0]});

    @Override
    public void pack(int k0, int kc, int n0, int nc, float[] dst) {
        if (geo.cells != null) {
            packCells(k0, kc, n0, nc, dst);
            return;
        }
        int ks = geo.kernelSize;
        int[] taps = geo.taps;
        int c = k0 / ks;
        int tap = k0 - c * ks;
        int chOff = xOff + c * geo.channelPitch;
        int padded = (nc + NR - 1) / NR * NR;
        float[][] holder = LINE.get();
        if (holder[0].length < padded) {
            holder[0] = new float[padded];
        }
        float[] line = holder[0];
        int panelSize = kc * NR;
        for (int kk = 0; kk < kc; kk++) {
            int t = tap * Geometry.TAP_FIELDS;
            fillLine(chOff, taps[t], taps[t + 1], taps[t + 2], taps[t + 3], taps[t + 4], n0, nc,
                    line);
            Arrays.fill(line, nc, padded, 0f);
            for (int j = 0, d = kk * NR; j < padded; j += NR, d += panelSize) {
                for (int v = 0; v < NR; v += L) {
                    FloatVector.fromArray(SPECIES, line, j + v).intoArray(dst, d + v);
                }
            }
            if (++tap == ks) {
                tap = 0;
                chOff += geo.channelPitch;
            }
        }
    }

    /**
     * {@link #pack} for narrow outputs, through the geometry's table of where each tap and
     * output cell reads ({@link Geometry#cells}): one gather per element straight into the
     * panels. The run copies of {@link #fillLine} are shorter than a vector when output rows
     * are (7 cells on 7x7 planes), and their per-run overhead made the im2col of a 512-channel
     * 3x3 convolution on a 7x7 plane cost a quarter of its GEMM.
     */
    private void packCells(int k0, int kc, int n0, int nc, float[] dst) {
        int ks = geo.kernelSize;
        int[] cells = geo.cells;
        int columns = geo.columns;
        int c = k0 / ks;
        int tap = k0 - c * ks;
        int chOff = xOff + c * geo.channelPitch;
        int panelSize = kc * NR;
        int panels = (nc + NR - 1) / NR;
        for (int kk = 0; kk < kc; kk++) {
            int row = tap * columns + n0;
            for (int p = 0; p < panels; p++) {
                int d = p * panelSize + kk * NR;
                int j0 = p * NR;
                int w = Math.min(NR, nc - j0);
                int jj = 0;
                for (; jj < w; jj++) {
                    int o = cells[row + j0 + jj];
                    dst[d + jj] = o < 0 ? 0f : x[chOff + o];
                }
                for (; jj < NR; jj++) {
                    dst[d + jj] = 0f;
                }
            }
            if (++tap == ks) {
                tap = 0;
                chOff += geo.channelPitch;
            }
        }
    }

    /** Columns {@code [n0, n0 + nc)} of one im2col row into {@code line[0 .. nc)}. */
    private void fillLine(int chOff, int offD, int offH, int shift, int lo, int hi, int n0,
            int nc, float[] line) {
        Window win = geo.win;
        int[] in = win.in;
        int[] out = win.out;
        int ow = out[2];
        if (ow == 0) {
            return;
        }
        int r = n0 / ow;
        int oh = r % out[1];
        int od = r / out[1];
        int end = n0 + nc;
        for (int j = r * ow; j < end; j += ow) {
            int j0 = Math.max(j, n0);
            int j1 = Math.min(j + ow, end);
            int id = od * win.s[0] + offD;
            int ih = oh * win.s[1] + offH;
            if (id < 0 || id >= in[0] || ih < 0 || ih >= in[1]) {
                Arrays.fill(line, j0 - n0, j1 - n0, 0f);
            } else {
                copyRun(chOff + (id * in[1] + ih) * geo.rowPitch + shift, j0 - j, j1 - j0, lo,
                        hi, line, j0 - n0);
            }
            if (++oh == out[1]) {
                oh = 0;
                od++;
            }
        }
    }

    /**
     * Output columns {@code [ow, ow + w)} of one tap and output row into {@code dst[d..]}:
     * column o reads {@code x[src + o]} when it lies in {@code [lo, hi)}, else is padding (0).
     */
    private void copyRun(int src, int ow, int w, int lo, int hi, float[] dst, int d) {
        int a = Math.max(ow, lo);
        int b = Math.min(ow + w, hi);
        if (b <= a) {
            Arrays.fill(dst, d, d + w, 0f);
            return;
        }
        for (int o = ow; o < a; o++) {
            dst[d + o - ow] = 0f;
        }
        int from = src + a;
        int to = d + a - ow;
        int len = b - a;
        int i = 0;
        for (; i <= len - L; i += L) {
            FloatVector.fromArray(SPECIES, x, from + i).intoArray(dst, to + i);
        }
        // Scalar, not a masked store (slow on AVX2).
        for (; i < len; i++) {
            dst[to + i] = x[from + i];
        }
        for (int o = b; o < ow + w; o++) {
            dst[d + o - ow] = 0f;
        }
    }

    /**
     * What every im2col source of one convolution shares: the window, the input layout (plain,
     * or phase-split along W for a stride above 1) and where each tap reads. Immutable.
     */
    public static final class Geometry {

        final Window win;
        final int kernelSize;
        final int columns;
        /** Cells of one phase of a phase-split row: ceil(W / stride). */
        final int phasePitch;
        /** Distance between input rows (stride * phasePitch). */
        final int rowPitch;
        /** Distance between input channels. */
        final int channelPitch;
        /**
         * Per tap (kd, kh, kw): its D and H offsets from the window origin, the shift of output
         * column 0 in the (phase-split) input row, and the range {@code [lo, hi)} of output
         * columns whose input column lies inside the row.
         */
        final int[] taps;
        static final int TAP_FIELDS = 5;
        /** The phases along W that some tap reads (a 1x1 stride-2 window reads only phase 0). */
        final boolean[] phaseUsed;
        /**
         * For narrow outputs (rows of fewer than {@link #NARROW} cells, at most
         * {@link #MAX_CELLS} entries), per tap and output cell, where in a channel of the
         * (phase-split) input the cell reads, or -1 in the padding; else null.
         */
        final int[] cells;
        /** Output rows shorter than this take the table ({@link #cells}). */
        static final int NARROW = 2 * L;
        /** Largest table kept (256 KiB). */
        static final int MAX_CELLS = 1 << 16;

        /** The geometry of a window. */
        public Geometry(Window win) {
            this.win = win;
            this.kernelSize = win.kernelSize();
            this.columns = win.outSize();
            int sw = win.s[2];
            this.phasePitch = (win.in[2] + sw - 1) / sw;
            this.rowPitch = sw * phasePitch;
            this.channelPitch = win.in[0] * win.in[1] * rowPitch;
            int[] out = win.out;
            this.taps = new int[kernelSize * TAP_FIELDS];
            this.phaseUsed = new boolean[sw];
            for (int tap = 0, kd = 0; kd < win.k[0]; kd++) {
                for (int kh = 0; kh < win.k[1]; kh++) {
                    for (int kw = 0; kw < win.k[2]; kw++, tap++) {
                        int offW = kw * win.d[2] - win.padBegin[2];
                        int lo = offW >= 0 ? 0 : Math.min(out[2], (-offW + sw - 1) / sw);
                        int hi = win.in[2] - offW <= 0 ? 0
                                : Math.min(out[2], (win.in[2] - offW + sw - 1) / sw);
                        int t = tap * TAP_FIELDS;
                        taps[t] = kd * win.d[0] - win.padBegin[0];
                        taps[t + 1] = kh * win.d[1] - win.padBegin[1];
                        // Input column ow * sw + offW sits at phase floorMod(offW, sw), place
                        // ow + floorDiv(offW, sw) of the phase-split row.
                        taps[t + 2] = Math.floorMod(offW, sw) * phasePitch
                                + Math.floorDiv(offW, sw);
                        phaseUsed[Math.floorMod(offW, sw)] = true;
                        taps[t + 3] = lo;
                        taps[t + 4] = Math.max(hi, lo);
                    }
                }
            }
            this.cells = out[2] < NARROW && (long) kernelSize * columns <= MAX_CELLS
                    ? cellTable() : null;
        }

        private int[] cellTable() {
            int[] in = win.in;
            int[] out = win.out;
            int[] table = new int[kernelSize * columns];
            for (int tap = 0; tap < kernelSize; tap++) {
                int t = tap * TAP_FIELDS;
                for (int n = 0; n < columns; n++) {
                    int ow = n % out[2];
                    int oh = n / out[2] % out[1];
                    int od = n / (out[2] * out[1]);
                    int id = od * win.s[0] + taps[t];
                    int ih = oh * win.s[1] + taps[t + 1];
                    boolean inside = id >= 0 && id < in[0] && ih >= 0 && ih < in[1]
                            && ow >= taps[t + 3] && ow < taps[t + 4];
                    table[tap * columns + n] = inside
                            ? (id * in[1] + ih) * rowPitch + taps[t + 2] + ow : -1;
                }
            }
            return table;
        }

        /** True when the input must be phase-split (stride above 1 along W). */
        public boolean phased() {
            return win.s[2] > 1;
        }

        /** Floats of one phase-split image of {@code channels} channels. */
        public int phasedSize(int channels) {
            return Math.multiplyExact(channels, channelPitch);
        }

        /** A new array with {@code channels} channels of {@code x} from {@code xOff} split. */
        public float[] splitPhases(float[] x, int xOff, int channels) {
            float[] dst = new float[phasedSize(channels)];
            splitPhases(x, xOff, channels, dst, 0);
            return dst;
        }

        /**
         * Writes {@code channels} channels of {@code x} from {@code xOff} into {@code dst} from
         * {@code dstOff} in the phase-split layout: input cell (c, d, h, w) goes to
         * {@code c * channelPitch + (d * H + h) * rowPitch + (w % s) * phasePitch + w / s}.
         * Phases no tap reads are left as they are.
         */
        public void splitPhases(float[] x, int xOff, int channels, float[] dst, int dstOff) {
            int s = win.s[2];
            int width = win.in[2];
            int inRows = channels * win.in[0] * win.in[1];
            for (int r = 0; r < inRows; r++) {
                int src = xOff + r * width;
                int to = dstOff + r * rowPitch;
                for (int ph = 0; ph < s; ph++) {
                    if (!phaseUsed[ph]) {
                        continue;
                    }
                    int t = to + ph * phasePitch;
                    for (int w = ph, q = 0; w < width; w += s, q++) {
                        dst[t + q] = x[src + w];
                    }
                }
            }
        }
    }
}
