package dev.lanes.training;

import java.util.List;

/**
 * Batch normalization per channel of [N, C, H, W] (or [N, C]) inputs, with a learned scale
 * (gamma) and shift (beta).
 *
 * <p>Training mode normalizes with the batch's mean and biased variance and moves the running
 * statistics toward the batch's: running = (1 - momentum) * running + momentum * batch, where the
 * running variance takes the unbiased batch variance (PyTorch's convention, so its recipes carry
 * over). Evaluation mode normalizes with the running statistics, which is what ONNX
 * BatchNormalization computes, so the exported graph matches this mode.
 */
public final class BatchNorm2d implements Layer {
    private final Backend backend;
    private final String name;
    private final int channels;
    private final double momentum;
    private final double epsilon;
    private final Parameter gamma;
    private final Parameter beta;
    private final float[] runningMean;
    private final float[] runningVar;
    private boolean training = true;

    // Saved by forward for backward.
    private Tensor input;
    private float[] mean;
    private float[] invStd;
    private boolean savedTraining;

    /** Batch normalization of {@code channels} channels, gamma 1, beta 0, running mean 0 and variance 1. */
    public BatchNorm2d(Backend backend, String name, int channels, double momentum, double epsilon) {
        if (channels < 1 || !(momentum >= 0 && momentum <= 1) || !(epsilon > 0)) {
            throw new IllegalArgumentException(name + ": needs channels >= 1, 0 <= momentum <= 1, epsilon > 0; got "
                    + channels + ", " + momentum + ", " + epsilon);
        }
        this.backend = backend;
        this.name = name;
        this.channels = channels;
        this.momentum = momentum;
        this.epsilon = epsilon;
        Tensor ones = Tensor.zeros(channels);
        java.util.Arrays.fill(ones.data(), 1f);
        this.gamma = new Parameter(name + ".weight", ones);
        this.beta = new Parameter(name + ".bias", Tensor.zeros(channels));
        this.runningMean = new float[channels];
        this.runningVar = new float[channels];
        java.util.Arrays.fill(runningVar, 1f);
    }

    /** Momentum 0.1 and epsilon 1e-5, PyTorch's defaults. */
    public BatchNorm2d(Backend backend, String name, int channels) {
        this(backend, name, channels, 0.1, 1e-5);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() == 2) {
            Layers.expect(name, "input", x, -1, channels);
        } else {
            Layers.expect(name, "input", x, -1, channels, -1, -1);
        }
        savedTraining = training;
        float[] var;
        if (training) {
            long count = (long) x.size() / channels;
            if (count < 2) {
                throw new dev.lanes.errors.ShapeException(name + ": training mode needs more than one value per"
                        + " channel to estimate a variance, got input " + x.shapeString());
            }
            Backend.ChannelMoments moments = backend.channelMoments(x);
            mean = moments.mean();
            var = moments.variance();
            for (int c = 0; c < channels; c++) {
                double unbiased = (double) var[c] * count / (count - 1);
                runningMean[c] = (float) ((1 - momentum) * runningMean[c] + momentum * mean[c]);
                runningVar[c] = (float) ((1 - momentum) * runningVar[c] + momentum * unbiased);
            }
        } else {
            mean = runningMean.clone();
            var = runningVar;
        }
        invStd = new float[channels];
        float[] scale = new float[channels];
        float[] shift = new float[channels];
        float[] g = gamma.value().data();
        float[] b = beta.value().data();
        for (int c = 0; c < channels; c++) {
            invStd[c] = (float) (1.0 / Math.sqrt(var[c] + epsilon));
            scale[c] = g[c] * invStd[c];
            shift[c] = b[c] - mean[c] * scale[c];
        }
        // One pass: y = gamma * (x - mean) / std + beta as x * scale + shift. The normalized
        // values are not kept; backward recomputes them from the input it holds anyway.
        input = x;
        return backend.channelAffine(x, scale, shift);
    }

    @Override
    public Tensor backward(Tensor dy) {
        Layers.forwardDone(name, input);
        Layers.sameAsOutput(name, dy, input.shape());
        // dgamma = sum of dy * xhat = sum of dy * (x - mean) / std; dbeta = sum of dy.
        float[] dg = backend.channelCentredDot(dy, input, mean).data();
        for (int c = 0; c < channels; c++) {
            dg[c] *= invStd[c];
        }
        Tensor dBeta = backend.channelSum(dy);
        gamma.accumulate(new Tensor(new int[] {channels}, dg));
        beta.accumulate(dBeta);
        float[] g = gamma.value().data();
        float[] scale = new float[channels];
        for (int c = 0; c < channels; c++) {
            scale[c] = g[c] * invStd[c];
        }
        if (!savedTraining) {
            // Statistics are constants in evaluation mode: the layer is an affine map per channel.
            return backend.channelAffine(dy, scale, new float[channels]);
        }
        // Through the batch statistics: dx = gamma/std * (dy - mean(dy) - xhat * mean(dy * xhat)),
        // with xhat = (x - mean) / std.
        long count = (long) dy.size() / channels;
        float[] sb = new float[channels];
        float[] shift = new float[channels];
        float[] db = dBeta.data();
        for (int c = 0; c < channels; c++) {
            sb[c] = -scale[c] * invStd[c] * dg[c] / count;
            shift[c] = -scale[c] * db[c] / count;
        }
        return backend.channelCombine(dy, scale, input, mean, sb, shift);
    }

    @Override
    public void setTraining(boolean training) {
        this.training = training;
    }

    /** True in training mode. */
    public boolean training() {
        return training;
    }

    /** The scale per channel. */
    public Parameter gamma() {
        return gamma;
    }

    /** The shift per channel. */
    public Parameter beta() {
        return beta;
    }

    /** The running mean per channel (live array: checkpoints read and restore it). */
    public float[] runningMean() {
        return runningMean;
    }

    /** The running variance per channel (live array: checkpoints read and restore it). */
    public float[] runningVar() {
        return runningVar;
    }

    /** The momentum of the running statistics. */
    public double momentum() {
        return momentum;
    }

    /** The epsilon added to the variance. */
    public double epsilon() {
        return epsilon;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(gamma, beta);
    }

    @Override
    public String name() {
        return name;
    }
}
