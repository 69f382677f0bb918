package dev.lanes.runtime.kernels.tensor;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;

/**
 * Gives its input a new shape without moving values (Reshape). The requested shape is input 1
 * (opset 5 on) or a constructor argument (opset 1's attribute). In it, -1 means "whatever makes
 * the sizes match" and 0 copies the input's dimension at that position, unless
 * {@code allowzero} is set (opset 14), when 0 is a real zero.
 */
public final class ReshapeKernel implements Kernel {
    private final long[] fixedShape;
    private final boolean allowZero;

    /** A kernel reading the shape from input 1. */
    public ReshapeKernel(boolean allowZero) {
        this(null, allowZero);
    }

    /** A kernel with a fixed requested shape (null: read input 1). */
    public ReshapeKernel(long[] shape, boolean allowZero) {
        this.fixedShape = shape == null ? null : shape.clone();
        this.allowZero = allowZero;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putLongs("shape", fixedShape).putBool("allow_zero", allowZero);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static ReshapeKernel readParams(ParamReader in) {
        return new ReshapeKernel(in.longs("shape"), in.getBool("allow_zero"));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        long[] spec = fixedShape;
        if (spec == null) {
            if (in.length < 2 || in[1] == null) {
                throw new ShapeException("Reshape needs its shape input");
            }
            spec = Elements.integers(in[1], "Reshape shape");
        }
        return new Tensor[] {in[0].reshape(resolve(in[0].shapeView(), spec, allowZero))};
    }

    /** The output shape for an input shape and a requested shape. */
    public static int[] resolve(int[] in, long[] spec, boolean allowZero) {
        int[] out = new int[spec.length];
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < spec.length; i++) {
            long d = spec[i];
            if (d == -1) {
                if (inferred >= 0) {
                    throw new ShapeException("Reshape shape " + Arrays.toString(spec)
                            + " has more than one -1");
                }
                inferred = i;
                continue;
            }
            if (d == 0 && !allowZero) {
                if (i >= in.length) {
                    throw new ShapeException("Reshape shape " + Arrays.toString(spec)
                            + " copies dimension " + i + " (0) but the input "
                            + Elements.str(in) + " has rank " + in.length);
                }
                d = in[i];
            }
            if (d < 0) {
                throw new ShapeException("Reshape shape " + Arrays.toString(spec)
                        + " has invalid dimension " + spec[i]);
            }
            out[i] = Elements.dim(d, "Reshape shape " + Arrays.toString(spec));
            known *= out[i];
            if (known > Integer.MAX_VALUE) {
                throw new ShapeException("Reshape shape " + Arrays.toString(spec)
                        + " is too large");
            }
        }
        long size = Elements.product(in, 0, in.length);
        if (inferred >= 0) {
            if (known == 0 || size % known != 0) {
                throw new ShapeException("cannot reshape " + Elements.str(in) + " (" + size
                        + " values) to " + Arrays.toString(spec));
            }
            out[inferred] = (int) (size / known);
        } else if (known != size) {
            throw new ShapeException("cannot reshape " + Elements.str(in) + " (" + size
                    + " values) to " + Arrays.toString(spec) + " (" + known + " values)");
        }
        return out;
    }
}
