package dev.lanes.training;

/**
 * A trainable tensor and the gradient of the loss with respect to it. Backward passes add to the
 * gradient (a parameter used twice gets both contributions); {@link #zeroGrad} clears it before
 * the next step.
 */
public final class Parameter {
    private final String name;
    private final Tensor value;
    private final Tensor grad;

    /** A parameter named {@code name} (for example {@code conv1.weight}) holding {@code value}. */
    public Parameter(String name, Tensor value) {
        this.name = name;
        this.value = value;
        this.grad = Tensor.zeros(value.shape());
    }

    /** The name, unique within a model. */
    public String name() {
        return name;
    }

    /** The value; optimizers update its array in place. */
    public Tensor value() {
        return value;
    }

    /** The accumulated gradient, of the value's shape. */
    public Tensor grad() {
        return grad;
    }

    /** Adds {@code g} to the gradient. */
    public void accumulate(Tensor g) {
        if (!g.sameShape(grad)) {
            throw new dev.lanes.errors.ShapeException("parameter " + name + ": gradient of shape " + g.shapeString()
                    + " for a value of shape " + value.shapeString());
        }
        float[] gd = grad.data();
        float[] add = g.data();
        for (int i = 0; i < gd.length; i++) {
            gd[i] += add[i];
        }
    }

    /** Sets the gradient to zero. */
    public void zeroGrad() {
        java.util.Arrays.fill(grad.data(), 0f);
    }

    @Override
    public String toString() {
        return name + value.shapeString();
    }
}
