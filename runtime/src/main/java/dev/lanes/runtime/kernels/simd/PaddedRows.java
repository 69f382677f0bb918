package dev.lanes.runtime.kernels.simd;

import dev.lanes.runtime.kernels.spatial.Window;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * A padded, phase-split copy of a 2-D plane's input rows (1-D as one row), for window kernels
 * (depthwise convolution, pooling) that compute a vector of consecutive outputs of a row with
 * one contiguous, unconditional load per tap, whatever the stride, dilation or padding.
 *
 * <p>A plane is computed in bands of {@link #band} output rows, so that a band's buffer stays
 * in L1. Layout of the buffer: the padded input rows of the band (padded row {@code r} is input
 * row {@code r - padTop}, the pad value outside the input), each {@link #rowPitch} floats
 * {@code = sw * phasePitch}: the {@code sw} column phases of the padded row, phase {@code q}
 * holding padded columns {@code q, q + sw, q + 2 sw, ...}. Output {@code (oy, ox)} with tap
 * {@code (i, j)} reads padded row {@code oy * sh + i * dh}, column {@code ox * sw + j * dw},
 * that is phase {@code (j * dw) % sw}, index {@code ox + (j * dw) / sw}: a fixed offset per tap
 * ({@link #tap}). The phase pitch leaves room for whole vectors past the last output (their
 * extra lanes are never stored).
 */
public final class PaddedRows {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    /** Target size of a band's buffer: a third of L1. */
    private static final int BAND_FLOATS = 4096;
    /** The even lanes of two vectors, one's then the other's: a0 a2 .. b0 b2 .. */
    private static final VectorShuffle<Float> EVENS = pairLanes(0);
    /** The odd lanes likewise. */
    private static final VectorShuffle<Float> ODDS = pairLanes(1);

    private final int inH;
    private final int inW;
    /** Output rows. */
    public final int outH;
    /** Output columns. */
    public final int outW;
    /** Kernel rows. */
    public final int kh;
    /** Kernel columns. */
    public final int kw;
    /** Vertical stride. */
    public final int sh;
    private final int sw;
    private final int padTop;
    private final int padLeft;
    private final int dh;
    /** Output columns in whole vectors: {@code outW} rounded down to the vector length. */
    public final int fullW;
    /** The lanes of the last, partial vector of an output row (made once: masks cost). */
    public final VectorMask<Float> tailMask;
    /** Output rows per band. */
    public final int band;
    private final int bandRows;
    private final int phasePitch;
    /** Floats per buffered row. */
    public final int rowPitch;
    private final int[] taps;
    /** Stride 2: the input columns a row copies (the rest lies past the phases' room). */
    private final int stride2Count;
    /** Stride 2: per phase, where the input's values start and end; padding is outside. */
    private final int[] stride2First = new int[2];
    private final int[] stride2End = new int[2];

    /** The layout for a window over 1 or 2 spatial axes with pads of 0 or more. */
    public PaddedRows(Window win) {
        inH = win.in[1];
        inW = win.in[2];
        outH = win.out[1];
        outW = win.out[2];
        kh = win.k[1];
        kw = win.k[2];
        sh = win.s[1];
        sw = win.s[2];
        padTop = win.padBegin[1];
        padLeft = win.padBegin[2];
        dh = win.d[1];
        int dw = win.d[2];
        int outRounded = (outW + V - 1) / V * V;
        fullW = outW - outW % V;
        tailMask = S.indexInRange(fullW, outW);
        phasePitch = outRounded + (dw * (kw - 1)) / sw + 1;
        rowPitch = sw * phasePitch;
        stride2Count = Math.min(inW, 2 * phasePitch - padLeft);
        for (int q = 0; q < 2; q++) {
            // Phase q holds padded columns 2 i + q; the input's are [padLeft, padLeft + count).
            stride2First[q] = Math.max(0, Math.min(phasePitch, (padLeft - q + 1) >> 1));
            stride2End[q] = Math.max(stride2First[q],
                    Math.min(phasePitch, (padLeft + stride2Count - q + 1) >> 1));
        }
        band = Math.max(1, Math.min(outH, (BAND_FLOATS / rowPitch - (kh - 1) * dh) / sh));
        bandRows = (band - 1) * sh + (kh - 1) * dh + 1;
        taps = new int[kh * kw];
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                int col = j * dw;
                taps[i * kw + j] = i * dh * rowPitch + (col % sw) * phasePitch + col / sw;
            }
        }
    }

    /** True when the window fits this layout: at most 2 spatial axes, no negative pads. */
    public static boolean covers(Window win) {
        return win.rank <= 2 && win.padBegin[1] >= 0 && win.padEnd[1] >= 0
                && win.padBegin[2] >= 0 && win.padEnd[2] >= 0;
    }

    /** Floats of buffer one band needs. */
    public int bufferSize() {
        return bandRows * rowPitch;
    }

    /** Buffer offset of tap {@code t} (row-major over the kernel) from its output row's base. */
    public int tap(int t) {
        return taps[t];
    }

    /** Buffer offset of output row {@code oy}'s base in the band starting at {@code oy0}. */
    public int rowBase(int oy, int oy0) {
        return (oy - oy0) * sh * rowPitch;
    }

    /** True when one band covers the whole plane: every plane then has the same padding. */
    public boolean singleBand() {
        return band >= outH;
    }

    /**
     * Fills the buffer for output rows {@code [oy0, oy1)} of the plane at {@code x[xOff]}, with
     * {@code pad} in the padding. With {@code padsReady} the buffer already holds this layout's
     * padding (the same band of an earlier plane): only the input's values are copied, which
     * saves most of the work on small planes.
     */
    public void fillBand(float[] x, int xOff, float[] buf, int oy0, int oy1, float pad,
            boolean padsReady) {
        fill(x, xOff, buf, oy0 * sh, (oy1 - 1 - oy0) * sh + (kh - 1) * dh + 1, pad, padsReady);
    }

    /** Padded rows of a whole plane: every row some output reads. */
    public int planeRows() {
        return (outH - 1) * sh + (kh - 1) * dh + 1;
    }

    /** Floats of a whole plane's buffer ({@link #planeRows()} rows). */
    public int planeSize() {
        return Math.multiplyExact(planeRows(), rowPitch);
    }

    /**
     * Fills a whole plane's buffer at {@code buf[bufOff]} from the plane at {@code x[xOff]},
     * zero in the padding: output row {@code oy}'s base is then {@code oy * sh * rowPitch}.
     */
    public void fillPlane(float[] x, int xOff, float[] buf, int bufOff) {
        fill(x, xOff, buf, bufOff, 0, planeRows(), 0f, false);
    }

    /**
     * Copies padded rows {@code [r0, r0 + nRows)} of the plane at {@code x[xOff]} into
     * {@code buf}, with {@code pad} in the padding.
     */
    private void fill(float[] x, int xOff, float[] buf, int r0, int nRows, float pad,
            boolean padsReady) {
        fill(x, xOff, buf, 0, r0, nRows, pad, padsReady);
    }

    private void fill(float[] x, int xOff, float[] buf, int base, int r0, int nRows, float pad,
            boolean padsReady) {
        for (int r = 0; r < nRows; r++) {
            int o = base + r * rowPitch;
            int ih = r0 + r - padTop;
            if (ih < 0 || ih >= inH) {
                if (!padsReady) {
                    Arrays.fill(buf, o, o + rowPitch, pad);
                }
                continue;
            }
            int src = xOff + ih * inW;
            if (sw == 1) {
                int lead = Math.min(padLeft, rowPitch);
                int count = Math.max(0, Math.min(inW, rowPitch - lead));
                System.arraycopy(x, src, buf, o + lead, count);
                if (!padsReady) {
                    Arrays.fill(buf, o, o + lead, pad);
                    Arrays.fill(buf, o + lead + count, o + rowPitch, pad);
                }
            } else if (sw == 2) {
                fillStride2(x, src, buf, o, pad, padsReady);
            } else {
                if (!padsReady) {
                    Arrays.fill(buf, o, o + rowPitch, pad);
                }
                for (int q = 0; q < sw; q++) {
                    // The first input column whose padded column falls in phase q.
                    int iw = Math.floorMod(q - padLeft, sw);
                    int dst = o + q * phasePitch + (padLeft + iw) / sw;
                    int end = o + (q + 1) * phasePitch;
                    for (; iw < inW && dst < end; iw += sw, dst++) {
                        buf[dst] = x[src + iw];
                    }
                }
            }
        }
    }

    /**
     * One row for stride 2: each pair of input vectors is split in registers into its even and
     * its odd columns, a whole vector for each phase (no masked store, slow on AVX2, and no
     * compress, which AVX2 lacks); a last pair overlapping the one before covers the rest of
     * the row. Only the padding's places are filled, not the whole row.
     */
    private void fillStride2(float[] x, int src, float[] buf, int o, float pad,
            boolean padsReady) {
        // Columns past the phases' room are never read.
        int count = stride2Count;
        if (!padsReady) {
            for (int q = 0; q < 2; q++) {
                int at = o + q * phasePitch;
                Arrays.fill(buf, at, at + stride2First[q], pad);
                Arrays.fill(buf, at + stride2End[q], at + phasePitch, pad);
            }
        }
        if (count < 2 * V) {
            for (int iw = 0; iw < count; iw++) {
                int col = padLeft + iw;
                buf[o + (col & 1) * phasePitch + (col >> 1)] = x[src + iw];
            }
            return;
        }
        for (int iw = 0; ; iw += 2 * V) {
            if (iw + 2 * V > count) {
                if (iw == count) {
                    break;
                }
                iw = count - 2 * V;
            }
            FloatVector a = FloatVector.fromArray(S, x, src + iw);
            FloatVector b = FloatVector.fromArray(S, x, src + iw + V);
            int col = padLeft + iw;
            int q = col & 1;
            a.rearrange(EVENS, b).intoArray(buf, o + q * phasePitch + (col >> 1));
            a.rearrange(ODDS, b).intoArray(buf, o + (1 - q) * phasePitch + ((col + 1) >> 1));
            if (iw + 2 * V == count) {
                break;
            }
        }
    }

    /** Lanes {@code first, first + 2, ...} of two vectors (indexes past V name the second's). */
    private static VectorShuffle<Float> pairLanes(int first) {
        int[] idx = new int[V];
        for (int i = 0; i < V; i++) {
            idx[i] = 2 * i + first;
        }
        return VectorShuffle.fromArray(S, idx, 0);
    }
}
