package dev.lanes.training;

import java.util.List;
import java.util.SplittableRandom;

/** A fully connected layer y = x W^T + b on [N, in] inputs, W of shape [out, in] as ONNX Gemm with transB. */
public final class Linear implements Layer {
    private final Backend backend;
    private final String name;
    private final Parameter weight;
    private final Parameter bias;
    private Tensor input;

    /** A layer from {@code in} to {@code out} features, initialized as PyTorch does from {@code rng}. */
    public Linear(Backend backend, String name, int in, int out, SplittableRandom rng) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException(name + ": features must be positive, got " + in + " -> " + out);
        }
        this.backend = backend;
        this.name = name;
        this.weight = new Parameter(name + ".weight", Init.pytorchDefault(rng, in, out, in));
        this.bias = new Parameter(name + ".bias", Init.bias(rng, in, out));
    }

    @Override
    public Tensor forward(Tensor x) {
        Layers.expect(name, "input", x, -1, weight.value().dim(1));
        input = x;
        return backend.addRowVector(backend.matmul(x, false, weight.value(), true), bias.value());
    }

    @Override
    public Tensor backward(Tensor dy) {
        Layers.forwardDone(name, input);
        Layers.expect(name, "output gradient", dy, input.dim(0), weight.value().dim(0));
        weight.accumulate(backend.matmul(dy, true, input, false));
        bias.accumulate(backend.sumRows(dy));
        return backend.matmul(dy, false, weight.value(), false);
    }

    /** The weight [out, in]. */
    public Parameter weight() {
        return weight;
    }

    /** The bias [out]. */
    public Parameter bias() {
        return bias;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    @Override
    public String name() {
        return name;
    }
}
