package dev.lanes.training;

/** max(x, 0), element by element. */
public final class ReLU implements Layer {
    private final Backend backend;
    private final String name;
    private Tensor output;

    /** A ReLU named {@code name}. */
    public ReLU(Backend backend, String name) {
        this.backend = backend;
        this.name = name;
    }

    @Override
    public Tensor forward(Tensor x) {
        output = backend.relu(x);
        return output;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Layers.forwardDone(name, output);
        Layers.sameAsOutput(name, dy, output.shape());
        return backend.reluBackward(dy, output);
    }

    @Override
    public String name() {
        return name;
    }
}
