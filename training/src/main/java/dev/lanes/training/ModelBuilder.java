package dev.lanes.training;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Builds a {@link Sequential} model layer by layer from its input shape, so each layer's input
 * size comes from the layer before it: {@code conv(6, 5, 1, 2)} on a 1-channel input is a 1 to 6
 * convolution, {@code linear(120)} after a flatten of 16x5x5 takes 400 features. Layers are named
 * by kind and count ({@code conv1}, {@code bn2}, {@code fc3}, {@code block1}), which become the
 * parameter names in checkpoints and ONNX files. All initial weights come from one seeded
 * generator in layer order, so a seed gives the same model every time.
 *
 * <pre>{@code
 * Sequential lenet = new ModelBuilder(backend, "lenet-bn", seed, 1, 28, 28)
 *         .conv(6, 5, 1, 2, false).bn().relu().maxPool(2)
 *         .conv(16, 5, 1, 0, false).bn().relu().maxPool(2)
 *         .flatten().linear(120).relu().linear(84).relu().linear(10)
 *         .build();
 * }</pre>
 */
public final class ModelBuilder {
    private final Backend backend;
    private final String name;
    private final SplittableRandom rng;
    private final long seed;
    private final List<Layer> layers = new ArrayList<>();
    private final Map<String, Integer> counts = new HashMap<>();
    private int channels;
    private int height;
    private int width;
    /** True after flatten (or for feature inputs): the shape is [N, channels]. */
    private boolean flat;

    /** A builder of a model called {@code name} for inputs [N, channels, height, width]. */
    public ModelBuilder(Backend backend, String name, long seed, int channels, int height, int width) {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException(name + ": input must have positive channels, height and width, got "
                    + channels + "x" + height + "x" + width);
        }
        this.backend = backend;
        this.name = name;
        this.seed = seed;
        this.rng = new SplittableRandom(seed);
        this.channels = channels;
        this.height = height;
        this.width = width;
        checkActivation("input", channels, height, width);
    }

    /** The most parameters a model may have: 2^28 floats (1 GiB), far above any model this trainer is for. */
    public static final long MAX_PARAMETERS = 1L << 28;
    /** The most values one image's activation may have at any layer. */
    public static final long MAX_ACTIVATION = 1L << 28;
    private long parameters;

    /** Counts a layer's parameters before they are allocated, so absurd sizes fail clearly. */
    private void reserve(String layer, long count) {
        parameters += count;
        if (count < 0 || parameters > MAX_PARAMETERS) {
            throw new IllegalArgumentException(name + ": " + layer + " takes the model to " + parameters
                    + " parameters, more than the " + MAX_PARAMETERS + " allowed");
        }
    }

    private void checkActivation(String layer, long c, long h, long w) {
        if (c * h > MAX_ACTIVATION || c * h * w > MAX_ACTIVATION) {
            throw new IllegalArgumentException(name + ": " + layer + " outputs " + c + "x" + h + "x" + w
                    + " values per image, more than the " + MAX_ACTIVATION + " allowed");
        }
    }

    private String next(String kind) {
        int n = counts.merge(kind, 1, Integer::sum);
        return kind + n;
    }

    private void needImage(String op) {
        if (flat) {
            throw new IllegalArgumentException(name + ": " + op + " needs an image input [N, C, H, W], but the model is"
                    + " flat [N, " + channels + "] at layer " + (layers.size() + 1));
        }
    }

    /** A convolution to {@code out} channels with a square kernel, stride and zero padding. */
    public ModelBuilder conv(int out, int kernel, int stride, int pad, boolean bias) {
        return conv(out, kernel, new ConvSpec(stride, pad, 1), bias);
    }

    /** A convolution to {@code out} channels with a square kernel and {@code spec} (stride, padding, groups). */
    public ModelBuilder conv(int out, int kernel, ConvSpec spec, boolean bias) {
        needImage("conv");
        if (spec.pad() >= kernel) {
            throw new IllegalArgumentException(name + ": conv pad " + spec.pad() + " is not below its kernel " + kernel
                    + " (the outer outputs would see padding only)");
        }
        if (height + 2L * spec.pad() < kernel || width + 2L * spec.pad() < kernel) {
            throw new IllegalArgumentException(name + ": conv kernel " + kernel + " is larger than its padded input "
                    + height + "x" + width + " (pad " + spec.pad() + ")");
        }
        if (out < 1 || channels % spec.groups() != 0 || out % spec.groups() != 0) {
            throw new IllegalArgumentException(name + ": conv from " + channels + " to " + out + " channels does not"
                    + " fit " + spec.groups() + " groups (both must divide by it)");
        }
        String layer = "conv" + (counts.getOrDefault("conv", 0) + 1);
        reserve(layer, (long) out * (channels / spec.groups()) * kernel * kernel + (bias ? out : 0));
        checkActivation(layer, out, spec.outSize(height, kernel), spec.outSize(width, kernel));
        // The patch matrix of one image and group, which the backends build.
        checkActivation(layer + " patches", (long) (channels / spec.groups()) * kernel * kernel,
                spec.outSize(height, kernel), spec.outSize(width, kernel));
        layers.add(new Conv2d(backend, next("conv"), channels, out, kernel, spec, bias, rng));
        channels = out;
        height = spec.outSize(height, kernel);
        width = spec.outSize(width, kernel);
        return this;
    }

    /** Batch normalization with PyTorch's momentum 0.1 and epsilon 1e-5. */
    public ModelBuilder bn() {
        return bn(0.1, 1e-5);
    }

    /** Batch normalization of the current channels (or features, after flatten). */
    public ModelBuilder bn(double momentum, double epsilon) {
        reserve("bn" + (counts.getOrDefault("bn", 0) + 1), 2L * channels);
        layers.add(new BatchNorm2d(backend, next("bn"), channels, momentum, epsilon));
        return this;
    }

    /** A ReLU. */
    public ModelBuilder relu() {
        layers.add(new ReLU(backend, next("relu")));
        return this;
    }

    /** Max pooling with a square window, its stride equal to the window. */
    public ModelBuilder maxPool(int kernel) {
        return maxPool(new PoolSpec(kernel, kernel, 0));
    }

    /** Max pooling with window, stride and padding {@code spec}. */
    public ModelBuilder maxPool(PoolSpec spec) {
        needImage("maxpool");
        checkPool(spec);
        layers.add(new MaxPool2d(backend, next("pool"), spec));
        height = spec.outSize(height);
        width = spec.outSize(width);
        return this;
    }

    /** Average pooling with window, stride and padding {@code spec}. */
    public ModelBuilder avgPool(PoolSpec spec) {
        needImage("avgpool");
        checkPool(spec);
        layers.add(new AvgPool2d(backend, next("pool"), spec));
        height = spec.outSize(height);
        width = spec.outSize(width);
        return this;
    }

    private void checkPool(PoolSpec spec) {
        if (2 * spec.pad() > spec.kernel()) {
            throw new IllegalArgumentException(name + ": pooling pad " + spec.pad() + " is more than half its window "
                    + spec.kernel() + " (a window could then hold padding only)");
        }
        checkActivation("pool" + (counts.getOrDefault("pool", 0) + 1), channels, spec.outSize(height),
                spec.outSize(width));
        if (height + 2L * spec.pad() < spec.kernel() || width + 2L * spec.pad() < spec.kernel()) {
            throw new IllegalArgumentException(name + ": pooling window " + spec.kernel() + " is larger than its"
                    + " padded input " + height + "x" + width);
        }
    }

    /** Global average pooling: [N, C, H, W] to [N, C, 1, 1]. */
    public ModelBuilder globalAvgPool() {
        needImage("gap");
        layers.add(new GlobalAvgPool(backend, next("gap")));
        height = 1;
        width = 1;
        return this;
    }

    /** Flattens [N, C, H, W] to [N, C * H * W]. */
    public ModelBuilder flatten() {
        needImage("flatten");
        long features = (long) channels * height * width;
        if (features > MAX_ACTIVATION) {
            throw new IllegalArgumentException(name + ": flatten makes " + features + " features, more than the "
                    + MAX_ACTIVATION + " allowed");
        }
        layers.add(new Flatten(next("flatten")));
        channels = (int) features;
        height = 1;
        width = 1;
        flat = true;
        return this;
    }

    /** A fully connected layer to {@code out} features (after flatten). */
    public ModelBuilder linear(int out) {
        if (!flat) {
            throw new IllegalArgumentException(name + ": linear needs flat features; add flatten before it (the"
                    + " input is " + channels + "x" + height + "x" + width + " at layer " + (layers.size() + 1) + ")");
        }
        if (out < 1) {
            throw new IllegalArgumentException(name + ": linear needs a positive number of outputs, got " + out);
        }
        reserve("fc" + (counts.getOrDefault("fc", 0) + 1), (long) channels * out + out);
        layers.add(new Linear(backend, next("fc"), channels, out, rng));
        channels = out;
        return this;
    }

    /** Dropout with probability {@code p} in training; its masks come from the model's seed. */
    public ModelBuilder dropout(double p) {
        String layer = next("dropout");
        layers.add(new Dropout(backend, layer, p, seed * 31 + counts.get("dropout")));
        return this;
    }

    /**
     * A basic residual block to {@code out} channels: relu(bn(conv3x3(relu(bn(conv3x3(x))))) +
     * shortcut(x)), the first convolution carrying the stride; the shortcut is the identity when
     * the shape is kept and a strided 1x1 convolution with batch normalization otherwise.
     */
    public ModelBuilder residualBlock(int out, int stride) {
        needImage("block");
        if (out < 1) {
            throw new IllegalArgumentException(name + ": block needs a positive number of channels, got " + out);
        }
        String blockName = "block" + (counts.getOrDefault("block", 0) + 1);
        reserve(blockName, 9L * channels * out + 9L * out * out + (long) channels * out + 6L * out);
        checkActivation(blockName, out, height, width);
        layers.add(Models.basicBlock(backend, next("block"), channels, out, stride, rng));
        ConvSpec first = new ConvSpec(stride, 1, 1);
        channels = out;
        height = first.outSize(height, 3);
        width = first.outSize(width, 3);
        return this;
    }

    /** The output shape so far, without the batch axis: [C, H, W], or [F] after flatten. */
    public int[] outputShape() {
        return flat ? new int[] {channels} : new int[] {channels, height, width};
    }

    /** The model. */
    public Sequential build() {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException(name + ": a model needs at least one layer");
        }
        return new Sequential(name, layers);
    }
}
