package dev.lanes.training.optim;

import java.util.List;

/**
 * The part Adam and AdamW share: first and second moment estimates with bias correction
 * (Kingma and Ba, 2015, Algorithm 1). Per element, with gradient {@code g} at step {@code t}:
 *
 * <pre>
 *   m = beta1 * m + (1 - beta1) * g
 *   v = beta2 * v + (1 - beta2) * g * g
 *   p = p - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
 * </pre>
 *
 * The subclasses differ only in where weight decay enters, see {@link #decay}.
 */
abstract class AdaptiveMoments extends Optimizer {
    private final float beta1;
    private final float beta2;
    private final double eps;
    protected final float weightDecay;
    private final float[][] m;
    private final float[][] v;

    AdaptiveMoments(List<? extends Param> params, double lr, double beta1, double beta2,
            double eps, double weightDecay) {
        super(params, lr);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("eps must be finite and > 0, got " + eps);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be finite and >= 0, got " + weightDecay);
        }
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.eps = eps;
        this.weightDecay = (float) weightDecay;
        this.m = buffer("m");
        this.v = buffer("v");
    }

    /**
     * Applies weight decay to parameter {@code p} before the moment update: either decays the
     * values directly (decoupled) and returns 0, or returns the coefficient to add to the
     * gradient (L2).
     */
    protected abstract float decay(Param p, float lr);

    @Override
    protected final void update(int i, Param p, double lr, long t) {
        float[] w = p.value();
        float[] grad = p.grad();
        float l2 = decay(p, (float) lr);
        // Bias corrections in double: beta2^t for large t is close to 1 and float would lose it.
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = 1 - Math.pow(beta2, t);
        float stepSize = (float) (lr / bc1);
        float sqrtBc2 = (float) Math.sqrt(bc2);
        updates().adam(w, grad, m[i], v[i], beta1, beta2, l2, stepSize, sqrtBc2, (float) eps);
    }
}
