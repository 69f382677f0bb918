package dev.lanes.training.optim;

import java.util.List;

/**
 * Clipping of gradients by their global norm, as PyTorch's
 * {@code torch.nn.utils.clip_grad_norm_}: the L2 norm is taken over the gradients of all
 * parameters together, and when it exceeds the maximum every gradient is scaled by the same
 * factor so the global norm becomes the maximum. The direction of the update is kept; only
 * its length is bounded.
 */
public final class GradientClipping {
    private GradientClipping() {
    }

    /**
     * Scales the gradients of {@code params} in place so their global L2 norm is at most
     * {@code maxNorm}, and returns the norm before clipping (worth logging: a norm far above
     * the maximum on every step says the learning rate is too high).
     *
     * <p>Unlike PyTorch no epsilon is added to the norm, so a clipped gradient has the maximum
     * norm up to float rounding. A non-finite norm (a NaN or infinite gradient) leaves the
     * gradients untouched and is returned as is: scaling would turn every gradient into NaN
     * and hide where it came from; the caller decides whether to skip the step or stop.
     */
    public static double clipByGlobalNorm(List<? extends Param> params, double maxNorm) {
        if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("max norm must be finite and > 0, got " + maxNorm);
        }
        double norm = globalNorm(params);
        if (norm > maxNorm && Double.isFinite(norm)) {
            float scale = (float) (maxNorm / norm);
            for (Param p : params) {
                float[] g = p.grad();
                for (int j = 0; j < g.length; j++) {
                    g[j] *= scale;
                }
            }
        }
        return norm;
    }

    /** The L2 norm of all the gradients of {@code params} taken together, summed in double. */
    public static double globalNorm(List<? extends Param> params) {
        double sum = 0;
        for (Param p : params) {
            for (float g : p.grad()) {
                sum += (double) g * g;
            }
        }
        return Math.sqrt(sum);
    }
}
