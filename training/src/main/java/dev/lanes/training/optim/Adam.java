package dev.lanes.training.optim;

import java.util.List;

/**
 * Adam (Kingma and Ba, 2015) with optional L2 weight decay added to the gradient, as PyTorch's
 * {@code torch.optim.Adam(weight_decay=...)}: {@code g = g + wd * p} for parameters that
 * {@link Param#decays() decay}, then the update of {@link AdaptiveMoments}. Because the decay
 * passes through the adaptive scaling, parameters with large gradients are barely decayed;
 * {@link AdamW} decouples it.
 */
public final class Adam extends AdaptiveMoments {
    /** Adam with PyTorch's defaults: betas 0.9 and 0.999, eps 1e-8, no weight decay. */
    public Adam(List<? extends Param> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0);
    }

    /**
     * @param params the parameters to update
     * @param lr learning rate
     * @param beta1 decay of the first moment estimate, in [0, 1)
     * @param beta2 decay of the second moment estimate, in [0, 1)
     * @param eps added to the denominator so a zero second moment does not divide by zero
     * @param weightDecay L2 coefficient, at least 0
     */
    public Adam(List<? extends Param> params, double lr, double beta1, double beta2, double eps,
            double weightDecay) {
        super(params, lr, beta1, beta2, eps, weightDecay);
    }

    @Override
    protected String kind() {
        return "adam";
    }

    @Override
    protected float decay(Param p, float lr) {
        return p.decays() ? weightDecay : 0f;
    }
}
