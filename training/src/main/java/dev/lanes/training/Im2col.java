package dev.lanes.training;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The patch matrix of a convolution and its adjoint. Row (channel, ky, kx) of the matrix holds,
 * for every output place, the input value under that kernel tap, or 0 in the padding. Within a
 * row each output line reads one contiguous (stride 1) or evenly spaced run of an input line,
 * so the in-bounds run of every line is computed once and copied, and only its padded ends are
 * filled with zeros: no per-element bounds test.
 */
final class Im2col {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int VL = SPECIES.length();

    private Im2col() {
    }

    /** The sizes one convolution's patch matrix depends on, for one image and one group. */
    static final class Geometry {
        private final int channels;
        private final int h;
        private final int w;
        private final int kh;
        private final int kw;
        private final int oh;
        private final int ow;
        private final int stride;
        private final int pad;
        /** Per kernel column kx: the output columns [first, end) whose tap lands inside the input. */
        private final int[] first;
        private final int[] end;

        Geometry(int channels, int h, int w, int kh, int kw, int oh, int ow, int stride, int pad) {
            this.channels = channels;
            this.h = h;
            this.w = w;
            this.kh = kh;
            this.kw = kw;
            this.oh = oh;
            this.ow = ow;
            this.stride = stride;
            this.pad = pad;
            this.first = new int[kw];
            this.end = new int[kw];
            for (int kx = 0; kx < kw; kx++) {
                first[kx] = Math.min(ow, Math.max(0, Math.ceilDiv(pad - kx, stride)));
                end[kx] = Math.max(first[kx], Math.min(ow, Math.ceilDiv(w + pad - kx, stride)));
            }
        }

        int channels() {
            return channels;
        }

        int h() {
            return h;
        }

        int w() {
            return w;
        }

        int kh() {
            return kh;
        }

        int kw() {
            return kw;
        }

        int oh() {
            return oh;
        }

        int ow() {
            return ow;
        }

        int stride() {
            return stride;
        }

        int pad() {
            return pad;
        }

        int places() {
            return oh * ow;
        }

        /** The first output column whose tap {@code kx} lands inside the input. */
        int firstColumn(int kx) {
            return first[kx];
        }

        /** One past the last output column whose tap {@code kx} lands inside the input. */
        int endColumn(int kx) {
            return end[kx];
        }

        @Override
        public String toString() {
            return "Geometry[channels=" + channels + ", input " + h + "x" + w + ", kernel " + kh + "x" + kw
                    + ", output " + oh + "x" + ow + ", stride " + stride + ", pad " + pad + "]";
        }
    }

    /** Writes the patches of the planes starting at x[base] to col[k][p], every entry of col's first k * p. */
    static void im2col(float[] x, int base, Geometry g, float[] col) {
        int row = 0;
        int plane = g.h() * g.w();
        for (int ci = 0; ci < g.channels(); ci++) {
            int xc = base + ci * plane;
            for (int ky = 0; ky < g.kh(); ky++) {
                for (int kx = 0; kx < g.kw(); kx++, row++) {
                    int ox0 = g.firstColumn(kx);
                    int ox1 = g.endColumn(kx);
                    int o = row * g.places();
                    for (int oy = 0; oy < g.oh(); oy++, o += g.ow()) {
                        int iy = oy * g.stride() - g.pad() + ky;
                        if (iy < 0 || iy >= g.h()) {
                            Arrays.fill(col, o, o + g.ow(), 0f);
                            continue;
                        }
                        for (int ox = 0; ox < ox0; ox++) {
                            col[o + ox] = 0f;
                        }
                        int src = xc + iy * g.w() + ox0 * g.stride() - g.pad() + kx;
                        if (g.stride() == 1 && ox1 > ox0) {
                            copy(x, src, col, o + ox0, ox1 - ox0);
                        } else {
                            for (int ox = ox0; ox < ox1; ox++, src += g.stride()) {
                                col[o + ox] = x[src];
                            }
                        }
                        for (int ox = ox1; ox < g.ow(); ox++) {
                            col[o + ox] = 0f;
                        }
                    }
                }
            }
        }
    }

    /**
     * dst[d..d+n) = src[s..s+n). The runs are short (an output line, often under 32 floats),
     * where System.arraycopy's call costs more than the copy; whole vectors, then the tail.
     */
    private static void copy(float[] src, int s, float[] dst, int d, int n) {
        int i = 0;
        for (; i + VL <= n; i += VL) {
            FloatVector.fromArray(SPECIES, src, s + i).intoArray(dst, d + i);
        }
        for (; i < n; i++) {
            dst[d + i] = src[s + i];
        }
    }

    /** dst[d..d+n) += src[s..s+n), whole vectors, then the tail. */
    private static void addTo(float[] src, int s, float[] dst, int d, int n) {
        int i = 0;
        for (; i + VL <= n; i += VL) {
            FloatVector.fromArray(SPECIES, dst, d + i).add(FloatVector.fromArray(SPECIES, src, s + i))
                    .intoArray(dst, d + i);
        }
        for (; i < n; i++) {
            dst[d + i] += src[s + i];
        }
    }

    /** Adds col[k][p] back into the places of the planes starting at dx[base] that it was read from. */
    static void col2im(float[] col, Geometry g, float[] dx, int base) {
        int row = 0;
        int plane = g.h() * g.w();
        for (int ci = 0; ci < g.channels(); ci++) {
            int xc = base + ci * plane;
            for (int ky = 0; ky < g.kh(); ky++) {
                for (int kx = 0; kx < g.kw(); kx++, row++) {
                    int ox0 = g.firstColumn(kx);
                    int ox1 = g.endColumn(kx);
                    int o = row * g.places();
                    for (int oy = 0; oy < g.oh(); oy++, o += g.ow()) {
                        int iy = oy * g.stride() - g.pad() + ky;
                        if (iy < 0 || iy >= g.h()) {
                            continue;
                        }
                        int dst = xc + iy * g.w() + ox0 * g.stride() - g.pad() + kx;
                        if (g.stride() == 1) {
                            addTo(col, o + ox0, dx, dst, ox1 - ox0);
                        } else {
                            for (int ox = ox0; ox < ox1; ox++, dst += g.stride()) {
                                dx[dst] += col[o + ox];
                            }
                        }
                    }
                }
            }
        }
    }
}
