package dev.lanes.runtime.kernels.conv;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.gemm.Epilogue;
import java.util.Arrays;

/**
 * Epilogue arithmetic shared by the convolution kernels: folding a convolution's bias into the
 * fused epilogue, slicing it per group, checking a residual, and applying it as a separate pass
 * for kernels that cannot fuse it.
 */
public final class ConvEpilogue {
    private ConvEpilogue() {
    }

    /**
     * The epilogue of {@code act((conv + bias) * scale + shift + residual)} in the GEMM's form
     * {@code act(acc * scale + shift' + residual)}: {@code shift' = bias * scale + shift}.
     *
     * @param ep   what follows the convolution
     * @param bias the convolution's bias (M values), or null
     */
    public static Epilogue withBias(Epilogue ep, float[] bias) {
        if (bias == null) {
            return ep;
        }
        float[] shift = new float[bias.length];
        for (int i = 0; i < shift.length; i++) {
            float s = ep.scale() == null ? 1f : ep.scale()[i];
            shift[i] = bias[i] * s + (ep.shift() == null ? 0f : ep.shift()[i]);
        }
        return new Epilogue(ep.scale(), shift, ep.activation());
    }

    /** The epilogue of output channels {@code [from, from + count)}, renumbered from 0. */
    public static Epilogue slice(Epilogue ep, int from, int count) {
        if (from == 0 && (ep.scale() == null || ep.scale().length == count)
                && (ep.shift() == null || ep.shift().length == count)) {
            return ep;
        }
        return new Epilogue(
                ep.scale() == null ? null : Arrays.copyOfRange(ep.scale(), from, from + count),
                ep.shift() == null ? null : Arrays.copyOfRange(ep.shift(), from, from + count),
                ep.activation());
    }

    /** Checks that the epilogue's per-channel arrays have {@code m} values. */
    public static void check(String op, Epilogue ep, int m) {
        if ((ep.scale() != null && ep.scale().length != m)
                || (ep.shift() != null && ep.shift().length != m)) {
            throw new ShapeException(op + ": the fused epilogue has "
                    + (ep.scale() != null ? ep.scale().length : ep.shift().length)
                    + " channels, the output " + m);
        }
    }

    /** The residual's values after checking its shape against the output's, or null. */
    public static float[] residual(String op, Tensor r, int[] outShape) {
        if (r == null) {
            return null;
        }
        if (!Arrays.equals(r.shapeView(), outShape)) {
            throw new ShapeException(op + ": residual input is " + Arrays.toString(r.shapeView())
                    + " but the output is " + Arrays.toString(outShape));
        }
        return r.floats();
    }

    /**
     * Applies {@code ep} in place to an [N, M, spatial...] output with {@code residual} of the
     * same layout (or null).
     */
    public static void applyInPlace(Epilogue ep, float[] y, int n, int m, int spatial,
            float[] residual) {
        if (ep.isIdentity() && residual == null) {
            return;
        }
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < m; c++) {
                int off = (b * m + c) * spatial;
                for (int i = off; i < off + spatial; i++) {
                    y[i] = ep.apply(y[i], c, residual == null ? 0f : residual[i]);
                }
            }
        }
    }
}
