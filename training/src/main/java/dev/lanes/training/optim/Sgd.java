package dev.lanes.training.optim;

import java.util.List;

/**
 * Stochastic gradient descent with optional momentum (plain or Nesterov) and L2 weight decay,
 * following PyTorch's {@code torch.optim.SGD} with no dampening. Per element, with gradient
 * {@code g}, weight decay {@code wd} (parameters that {@link Param#decays() decay} only),
 * momentum {@code mu} and velocity {@code b} (zero before the first step):
 *
 * <pre>
 *   g = g + wd * p                    (L2: the decay is part of the gradient)
 *   b = mu * b + g
 *   g = nesterov ? g + mu * b : b
 *   p = p - lr * g
 * </pre>
 *
 * With {@code mu = 0} it is plain SGD and keeps no buffer.
 */
public final class Sgd extends Optimizer {
    private final float momentum;
    private final boolean nesterov;
    private final float weightDecay;
    private final float[][] velocity;

    /**
     * @param params the parameters to update
     * @param lr learning rate
     * @param momentum momentum factor in [0, 1)
     * @param nesterov whether to use Nesterov momentum (needs {@code momentum > 0})
     * @param weightDecay L2 coefficient, at least 0
     */
    public Sgd(List<? extends Param> params, double lr, double momentum, boolean nesterov,
            double weightDecay) {
        super(params, lr);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("Nesterov momentum needs a momentum above 0");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be finite and >= 0, got " + weightDecay);
        }
        this.momentum = (float) momentum;
        this.nesterov = nesterov;
        this.weightDecay = (float) weightDecay;
        // Plain SGD has no state; allocating a velocity for it would only waste memory.
        this.velocity = momentum > 0 ? buffer("momentum") : null;
    }

    @Override
    protected String kind() {
        return "sgd";
    }

    @Override
    protected void update(int i, Param p, double lr, long t) {
        float[] w = p.value();
        float[] grad = p.grad();
        float wd = p.decays() ? weightDecay : 0f;
        float rate = (float) lr;
        updates().sgd(w, grad, velocity == null ? null : velocity[i], wd, rate, momentum, nesterov);
    }
}
