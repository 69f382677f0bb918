package dev.lanes.runtime.kernels.gemm;

import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;

/**
 * What a GEMM-based kernel does to each output value before storing it:
 * {@code y = act(acc * scale[row] + shift[row] + residual)}. Row {@code r} of the output is
 * output channel {@code r}; {@code scale} and {@code shift} are per row (a folded
 * BatchNormalization, a bias), the residual is a tensor of the output's shape given per run.
 *
 * @param scale      per-row multiplier, or null for 1
 * @param shift      per-row addend (bias), or null for 0
 * @param activation the activation applied last
 */
public record Epilogue(float[] scale, float[] shift, Activation activation) {
    /** Store the accumulator as it is. */
    public static final Epilogue NONE = new Epilogue(null, null, Activation.NONE);

    /** Only a bias. */
    public static Epilogue bias(float[] bias) {
        return new Epilogue(null, bias, Activation.NONE);
    }

    /** Writes the epilogue as a plan-file record (see {@link #readFrom}). */
    public void writeTo(ParamWriter out) {
        out.putFloats("scale", scale).putFloats("shift", shift)
                .putRecord("activation", activation, Activation::writeTo);
    }

    /** Reads an epilogue written by {@link #writeTo}. */
    public static Epilogue readFrom(ParamReader in) {
        return new Epilogue(in.floats("scale"), in.floats("shift"),
                in.requireRecord("activation", Activation::readFrom));
    }

    /** True when storing needs no arithmetic besides an optional residual. */
    public boolean isIdentity() {
        return scale == null && shift == null && activation.kind() == Activation.Kind.NONE;
    }

    /** The scalar definition for one value of row {@code row}; {@code residual} is 0 if none. */
    public float apply(float acc, int row, float residual) {
        float v = acc;
        if (scale != null) {
            v *= scale[row];
        }
        if (shift != null) {
            v += shift[row];
        }
        return activation.apply(v + residual);
    }

    /**
     * The vector form of {@link #apply} in place over a tile of C: {@code rows} rows from row
     * {@code row}, {@code ld} apart from {@code c[o]}, {@code width} values each, with the
     * residual from {@code residual[ri]}, rows {@code ldr} apart (or none if null).
     */
    public void applyTile(float[] c, int o, int ld, int row, int rows, int width,
            float[] residual, int ri, int ldr) {
        if (width == Sgemm.SPECIES.length()) {
            EpilogueTile.applyVectorWide(this, c, o, ld, row, rows, residual, ri, ldr);
        } else {
            EpilogueTile.apply(this, c, o, ld, row, rows, width, residual, ri, ldr);
        }
    }
}
