package dev.lanes.runtime.kernels.elementwise;

import dev.lanes.runtime.DType;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;

/**
 * Converts a tensor to another element type: FLOAT to an integer type truncates toward zero and
 * wraps into the type's range; anything to BOOL is "non-zero"; UINT64 to FLOAT reads the value
 * unsigned. Casting to the tensor's own type returns the input.
 */
public final class Cast implements Kernel {
    /**
     * The precision a FLOAT result is rounded to: the runtime holds half and bfloat16 values as
     * FLOAT, so a cast to those types rounds to their precision and stays FLOAT.
     */
    public enum Precision {
        /** Keep FLOAT precision. */
        FLOAT,
        /** IEEE binary16, round to nearest even. */
        HALF,
        /** bfloat16 (the top 16 bits of a FLOAT), round to nearest even. */
        BFLOAT16
    }

    private final DType to;
    private final Precision precision;

    /** A kernel casting its input to {@code to}. */
    public Cast(DType to) {
        this(to, Precision.FLOAT);
    }

    /** A kernel casting to FLOAT rounded to {@code precision} (or to an integer type). */
    public Cast(DType to, Precision precision) {
        this.to = to;
        this.precision = precision;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putEnum("to", to).putEnum("precision", precision);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static Cast readParams(ParamReader in) {
        return new Cast(in.getEnum("to", DType.class), in.getEnum("precision", Precision.class));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor t = in[0];
        if (!to.isFloat() || (t.dtype() == to && precision == Precision.FLOAT)) {
            return new Tensor[] {convert(t, to)};
        }
        // Every element is written, so the FLOAT result may be a recycled array.
        Tensor out = ctx.output(t.shapeView());
        float[] y = out.floats();
        int n = t.size();
        if (t.dtype().isFloat()) {
            System.arraycopy(t.floats(), 0, y, 0, n);
        } else {
            toFloats(t, y);
        }
        if (precision != Precision.FLOAT) {
            for (int i = 0; i < n; i++) {
                y[i] = precision == Precision.HALF
                        ? Float.float16ToFloat(Float.floatToFloat16(y[i])) : roundToBfloat16(y[i]);
            }
        }
        return new Tensor[] {out};
    }

    /** {@code v} rounded to the nearest bfloat16 (ties to even); NaN stays NaN. */
    static float roundToBfloat16(float v) {
        if (Float.isNaN(v)) {
            return v;
        }
        int bits = Float.floatToRawIntBits(v);
        bits += 0x7FFF + ((bits >>> 16) & 1);
        return Float.intBitsToFloat(bits & 0xFFFF0000);
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
            toFloats(t, out.floats());
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

    /** The values of the integer tensor {@code t} as floats, into {@code y}. */
    private static void toFloats(Tensor t, float[] y) {
        long[] x = t.longs();
        int n = t.size();
        if (t.dtype() == DType.UINT64) {
            for (int i = 0; i < n; i++) {
                y[i] = unsignedToFloat(x[i]);
            }
        } else {
            for (int i = 0; i < n; i++) {
                y[i] = x[i];
            }
        }
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
