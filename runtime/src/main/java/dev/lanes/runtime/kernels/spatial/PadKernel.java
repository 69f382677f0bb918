package dev.lanes.runtime.kernels.spatial;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;

/**
 * Pad with modes constant, reflect, edge and wrap, for any dtype and rank; negative pads crop.
 * Pads come either fixed at construction (the attribute form of opsets before 11) or at run time
 * from input 1 (begins then ends, int64), with the optional constant from input 2 and the
 * optional axes the pads apply to from input 3 (opset 18).
 */
public final class PadKernel implements Kernel {
    /** How cells outside the input are filled. */
    public enum Mode {
        /** A constant value. */
        CONSTANT,
        /** Mirror without repeating the border cell. */
        REFLECT,
        /** Repeat the border cell. */
        EDGE,
        /** Wrap around (periodic). */
        WRAP;

        /** Parses an ONNX mode name; null for an unknown one. */
        public static Mode parse(String s) {
            for (Mode m : values()) {
                if (m.name().equalsIgnoreCase(s)) {
                    return m;
                }
            }
            return null;
        }
    }

    private final Mode mode;
    private final long[] fixedPads;
    private final double fixedValue;

    /** A pad reading pads, value and axes from its inputs at run time. */
    public PadKernel(Mode mode) {
        this(mode, null, 0);
    }

    /** A pad with fixed pads (begins then ends, one pair per axis) and constant value. */
    public PadKernel(Mode mode, long[] fixedPads, double fixedValue) {
        this.mode = mode;
        this.fixedPads = fixedPads == null ? null : fixedPads.clone();
        this.fixedValue = fixedValue;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putEnum("mode", mode).putLongs("fixed_pads", fixedPads)
                .putDouble("fixed_value", fixedValue);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static PadKernel readParams(ParamReader in) {
        return new PadKernel(in.getEnum("mode", Mode.class), in.longs("fixed_pads"),
                in.getDouble("fixed_value"));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        int rank = x.rank();
        long[] pads;
        double value = fixedValue;
        int[] axes;
        if (fixedPads != null) {
            pads = fixedPads;
            axes = allAxes(rank);
        } else {
            Tensor p = in[1];
            pads = new long[p.size()];
            for (int i = 0; i < pads.length; i++) {
                pads[i] = p.getLong(i);
            }
            if (in.length > 2 && in[2] != null && in[2].size() > 0) {
                value = in[2].getDouble(0);
            }
            axes = in.length > 3 && in[3] != null ? axes(in[3], rank) : allAxes(rank);
        }
        if (pads.length != 2 * axes.length) {
            throw new ShapeException("Pad: pads has " + pads.length + " values, expected "
                    + 2 * axes.length + " for input " + Arrays.toString(x.shapeView()));
        }
        int[] xs = x.shapeView();
        long[] begin = new long[rank];
        long[] end = new long[rank];
        for (int i = 0; i < axes.length; i++) {
            begin[axes[i]] = pads[i];
            end[axes[i]] = pads[i + axes.length];
        }
        int[] ys = new int[rank];
        int[][] maps = new int[rank][];
        for (int a = 0; a < rank; a++) {
            long size = xs[a] + begin[a] + end[a];
            if (size < 0 || size > Integer.MAX_VALUE) {
                throw new ShapeException("Pad: axis " + a + " of size " + xs[a] + " with pads "
                        + begin[a] + ", " + end[a] + " gives size " + size);
            }
            ys[a] = (int) size;
            maps[a] = sourceIndices(xs[a], (int) begin[a], ys[a], a);
        }
        // copy() writes every element, the constant border too, so a float output may be a
        // recycled array.
        Tensor out = x.dtype().isFloat() ? ctx.output(ys) : Tensor.zeros(x.dtype(), ys);
        copy(x, out, maps, value);
        return new Tensor[] {out};
    }

    private static int[] allAxes(int rank) {
        int[] a = new int[rank];
        for (int i = 0; i < rank; i++) {
            a[i] = i;
        }
        return a;
    }

    private static int[] axes(Tensor t, int rank) {
        int[] a = new int[t.size()];
        for (int i = 0; i < a.length; i++) {
            long v = t.getLong(i);
            if (v < -rank || v >= rank) {
                throw new ShapeException("Pad: axis " + v + " is out of range for rank " + rank);
            }
            a[i] = (int) (v < 0 ? v + rank : v);
        }
        return a;
    }

    /** For each output index along an axis, the input index it copies, or -1 for the constant. */
    private int[] sourceIndices(int n, int begin, int outSize, int axis) {
        int[] map = new int[outSize];
        for (int o = 0; o < outSize; o++) {
            long s = (long) o - begin;
            if (s >= 0 && s < n) {
                map[o] = (int) s;
                continue;
            }
            if (mode == Mode.CONSTANT) {
                map[o] = -1;
                continue;
            }
            if (n == 0) {
                throw new ShapeException("Pad: cannot pad empty axis " + axis + " in " + mode
                        + " mode");
            }
            map[o] = switch (mode) {
                case EDGE -> (int) Math.max(0, Math.min(n - 1, s));
                case WRAP -> (int) Math.floorMod(s, (long) n);
                case REFLECT -> reflect(s, n);
                default -> throw new IllegalStateException();
            };
        }
        return map;
    }

    private static int reflect(long s, int n) {
        if (n == 1) {
            return 0;
        }
        long period = 2L * (n - 1);
        long m = Math.floorMod(s, period);
        return (int) (m < n ? m : period - m);
    }

    private static void copy(Tensor x, Tensor out, int[][] maps, double value) {
        int rank = maps.length;
        int[] xs = x.shapeView();
        int[] ys = out.shapeView();
        int total = out.size();
        if (total == 0) {
            return;
        }
        if (rank == 0) {
            copyCell(x, out, 0, 0);
            return;
        }
        int[] stride = new int[rank];
        int st = 1;
        for (int a = rank - 1; a >= 0; a--) {
            stride[a] = st;
            st *= xs[a];
        }
        int[] idx = new int[rank];
        int last = rank - 1;
        int[] lastMap = maps[last];
        boolean isFloat = x.dtype().isFloat();
        float fv = (float) value;
        long lv = (long) value;
        for (int o = 0; o < total; o += ys[last]) {
            int base = 0;
            boolean outside = false;
            for (int a = 0; a < last; a++) {
                int s = maps[a][idx[a]];
                if (s < 0) {
                    outside = true;
                    break;
                }
                base += s * stride[a];
            }
            for (int j = 0; j < ys[last]; j++) {
                int s = outside ? -1 : lastMap[j];
                if (s < 0) {
                    if (isFloat) {
                        out.floats()[o + j] = fv;
                    } else {
                        out.longs()[o + j] = out.dtype().wrap(lv);
                    }
                } else {
                    copyCell(x, out, base + s, o + j);
                }
            }
            for (int a = last - 1; a >= 0; a--) {
                if (++idx[a] < ys[a]) {
                    break;
                }
                idx[a] = 0;
            }
        }
    }

    private static void copyCell(Tensor x, Tensor out, int from, int to) {
        if (x.dtype().isFloat()) {
            out.floats()[to] = x.floats()[from];
        } else {
            out.longs()[to] = x.longs()[from];
        }
    }
}
