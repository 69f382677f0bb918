package dev.lanes.training.optim;

import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter, 2019), as PyTorch's
 * {@code torch.optim.AdamW}: before the Adam update, a parameter that
 * {@link Param#decays() decays} is shrunk by {@code p = p * (1 - lr * wd)}, and the gradient is
 * left alone, so the decay is the same for every element whatever its gradient. As in PyTorch the
 * decay is scaled by the learning rate, so it follows the schedule.
 */
public final class AdamW extends AdaptiveMoments {
    /**
     * @param params the parameters to update
     * @param lr learning rate
     * @param beta1 decay of the first moment estimate, in [0, 1)
     * @param beta2 decay of the second moment estimate, in [0, 1)
     * @param eps added to the denominator so a zero second moment does not divide by zero
     * @param weightDecay decoupled decay coefficient, at least 0 (PyTorch's default is 0.01)
     */
    public AdamW(List<? extends Param> params, double lr, double beta1, double beta2, double eps,
            double weightDecay) {
        super(params, lr, beta1, beta2, eps, weightDecay);
    }

    /** AdamW with betas 0.9 and 0.999 and eps 1e-8. */
    public AdamW(List<? extends Param> params, double lr, double weightDecay) {
        this(params, lr, 0.9, 0.999, 1e-8, weightDecay);
    }

    @Override
    protected String kind() {
        return "adamw";
    }

    @Override
    protected float decay(Param p, float lr) {
        if (p.decays() && weightDecay != 0) {
            float keep = 1 - lr * weightDecay;
            float[] w = p.value();
            for (int j = 0; j < w.length; j++) {
                w[j] *= keep;
            }
        }
        return 0f;
    }
}
