package dev.lanes.training.optim;

/**
 * Where the optimizers' element-wise updates run: on the host ({@link #HOST}, the default) or on
 * a backend's device (the CUDA backend implements it). The arrays are updated in place.
 */
public interface ParameterUpdates {
    /**
     * One Adam-family step of one parameter (see {@link AdaptiveMoments}): with
     * {@code g = grad + l2 * w}, {@code m = beta1 m + (1 - beta1) g},
     * {@code v = beta2 v + (1 - beta2) g^2}, {@code w -= stepSize * m / (sqrt(v) / sqrtBc2 + eps)}.
     */
    void adam(float[] w, float[] grad, float[] m, float[] v, float beta1, float beta2, float l2, float stepSize,
              float sqrtBc2, float eps);

    /**
     * One SGD step of one parameter (see {@link Sgd}): {@code g = grad + wd * w}; with a velocity
     * buffer {@code b = momentum b + g} and {@code g = b} (or {@code g + momentum b} for
     * Nesterov); {@code w -= rate * g}. {@code velocity} is null without momentum.
     */
    void sgd(float[] w, float[] grad, float[] velocity, float wd, float rate, float momentum, boolean nesterov);

    /** The updates as plain loops on the calling thread. */
    ParameterUpdates HOST = new ParameterUpdates() {
        @Override
        public void adam(float[] w, float[] grad, float[] m, float[] v, float beta1, float beta2, float l2,
                         float stepSize, float sqrtBc2, float eps) {
            for (int j = 0; j < w.length; j++) {
                float g = grad[j] + l2 * w[j];
                float mj = beta1 * m[j] + (1 - beta1) * g;
                float vj = beta2 * v[j] + (1 - beta2) * g * g;
                m[j] = mj;
                v[j] = vj;
                w[j] -= stepSize * mj / ((float) Math.sqrt(vj) / sqrtBc2 + eps);
            }
        }

        @Override
        public void sgd(float[] w, float[] grad, float[] velocity, float wd, float rate, float momentum,
                        boolean nesterov) {
            for (int j = 0; j < w.length; j++) {
                float g = grad[j] + wd * w[j];
                if (velocity != null) {
                    float b = momentum * velocity[j] + g;
                    velocity[j] = b;
                    g = nesterov ? g + momentum * b : b;
                }
                w[j] -= rate * g;
            }
        }
    };
}
