package dev.lanes.runtime.kernels;

import dev.lanes.errors.ShapeException;
import java.util.Arrays;

/** Numpy-style (multidirectional) broadcasting of shapes and the index arithmetic it needs. */
public final class Broadcast {
    private Broadcast() {
    }

    /** The broadcast shape of several shapes; a mismatch is a {@link ShapeException}. */
    public static int[] shape(int[]... shapes) {
        int rank = 0;
        for (int[] s : shapes) {
            rank = Math.max(rank, s.length);
        }
        int[] out = new int[rank];
        Arrays.fill(out, 1);
        for (int[] s : shapes) {
            for (int i = 0; i < s.length; i++) {
                int o = rank - s.length + i;
                int d = s[i];
                if (d == out[o] || d == 1) {
                    continue;
                }
                if (out[o] == 1) {
                    out[o] = d;
                } else {
                    throw new ShapeException("shapes " + describe(shapes)
                            + " cannot be broadcast together (axis " + o + ": " + out[o] + " vs "
                            + d + ")");
                }
            }
        }
        return out;
    }

    /**
     * Strides for reading a tensor of shape {@code in} as if it had the broadcast shape
     * {@code out}: 0 along broadcast axes.
     */
    public static int[] strides(int[] in, int[] out) {
        int[] st = new int[out.length];
        int stride = 1;
        for (int i = in.length - 1; i >= 0; i--) {
            int o = out.length - in.length + i;
            st[o] = in[i] == 1 ? 0 : stride;
            stride *= in[i];
        }
        return st;
    }

    private static String describe(int[][] shapes) {
        StringBuilder b = new StringBuilder();
        for (int[] s : shapes) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(Arrays.toString(s));
        }
        return b.toString();
    }
}
