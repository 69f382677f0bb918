package dev.lanes.runtime.kernels.elementwise;

import dev.lanes.runtime.DType;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;

/**
 * Converts a tensor to another element type: FLOAT to an integer type truncates toward zero and
 * wraps into the type's range; anything to BOOL is "non-zero"; UINT64 to FLOAT reads the value
 * unsigned. Casting to the tensor's own type returns the input.
 */
public final class Cast implements Kernel {
    private final DType to;

    /** A kernel casting its input to {@code to}. */
    public Cast(DType to) {
        this.to = to;
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        return new Tensor[] {convert(in[0], to)};
    }

    /** The values of {@code t} as type {@code to} (the tensor itself when already of that type). */
    public static Tensor convert(Tensor t, DType to) {
        DType from = t.dtype();
        if (from == to) {
            return t;
        }
        int n = t.size();
        Tensor out = Tensor.zeros(to, t.shapeView());
        if (to.isFloat()) {
            long[] x = t.longs();
            float[] y = out.floats();
            if (from == DType.UINT64) {
                for (int i = 0; i < n; i++) {
                    y[i] = unsignedToFloat(x[i]);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    y[i] = x[i];
                }
            }
        } else if (from.isFloat()) {
            float[] x = t.floats();
            long[] y = out.longs();
            for (int i = 0; i < n; i++) {
                y[i] = to == DType.BOOL ? (x[i] != 0 ? 1 : 0) : to.wrap(floatToLong(x[i], to));
            }
        } else {
            long[] x = t.longs();
            long[] y = out.longs();
            for (int i = 0; i < n; i++) {
                y[i] = to.wrap(x[i]);
            }
        }
        return out;
    }

    private static long floatToLong(float f, DType to) {
        if (to == DType.UINT64 && f >= 0x1p63f) {
            // Beyond Long.MAX_VALUE: keep the unsigned bit pattern.
            return (long) (f - 0x1p63f) + Long.MIN_VALUE;
        }
        return (long) f;
    }

    private static float unsignedToFloat(long v) {
        if (v >= 0) {
            return v;
        }
        // Halve (keeping the lowest bit for rounding), convert, double.
        return ((v >>> 1) | (v & 1)) * 2f;
    }
}
