package dev.lanes.training;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A 2-D convolution with a square kernel, stride, zero padding, groups and an optional bias. */
public final class Conv2d implements Layer {
    private final Backend backend;
    private final String name;
    private final ConvSpec spec;
    private final Parameter weight;
    private final Parameter bias;
    private Tensor input;

    /**
     * A convolution from {@code in} to {@code out} channels with a {@code kernel} x {@code kernel}
     * window, initialized as PyTorch does from {@code rng}. A convolution followed by batch normalization
     * needs no bias (the normalization removes it), hence {@code withBias}.
     */
    public Conv2d(Backend backend, String name, int in, int out, int kernel, ConvSpec spec, boolean withBias,
                  SplittableRandom rng) {
        if (in < 1 || out < 1 || kernel < 1 || in % spec.groups() != 0 || out % spec.groups() != 0) {
            throw new IllegalArgumentException(name + ": channels " + in + " -> " + out + " with kernel " + kernel
                    + " do not fit " + spec.groups() + " groups (both must divide by it)");
        }
        this.backend = backend;
        this.name = name;
        this.spec = spec;
        int fanIn = in / spec.groups() * kernel * kernel;
        this.weight = new Parameter(name + ".weight", Init.pytorchDefault(rng, fanIn, out, in / spec.groups(), kernel, kernel));
        this.bias = withBias ? new Parameter(name + ".bias", Init.bias(rng, fanIn, out)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        Layers.expect(name, "input", x, -1, weight.value().dim(1) * spec.groups(), -1, -1);
        input = x;
        return backend.conv2d(x, weight.value(), bias == null ? null : bias.value(), spec);
    }

    @Override
    public Tensor backward(Tensor dy) {
        Layers.forwardDone(name, input);
        weight.accumulate(backend.conv2dBackwardWeight(dy, input, weight.value().shape(), spec));
        if (bias != null) {
            bias.accumulate(backend.channelSum(dy));
        }
        return backend.conv2dBackwardInput(dy, weight.value(), input.shape(), spec);
    }

    @Override
    public void backwardParametersOnly(Tensor dy) {
        Layers.forwardDone(name, input);
        weight.accumulate(backend.conv2dBackwardWeight(dy, input, weight.value().shape(), spec));
        if (bias != null) {
            bias.accumulate(backend.channelSum(dy));
        }
    }

    /** The weight [out, in / groups, kernel, kernel]. */
    public Parameter weight() {
        return weight;
    }

    /** The bias [out], or null without one. */
    public Parameter bias() {
        return bias;
    }

    /** Stride, padding and groups. */
    public ConvSpec spec() {
        return spec;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        ps.add(weight);
        if (bias != null) {
            ps.add(bias);
        }
        return ps;
    }

    @Override
    public String name() {
        return name;
    }
}
