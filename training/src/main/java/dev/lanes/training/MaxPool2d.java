package dev.lanes.training;

/** Max pooling over square windows. */
public final class MaxPool2d implements Layer {
    private final Backend backend;
    private final String name;
    private final PoolSpec spec;
    private int[] inputShape;
    private Backend.MaxPoolResult last;

    /** A max pooling named {@code name} with window, stride and padding {@code spec}. */
    public MaxPool2d(Backend backend, String name, PoolSpec spec) {
        this.backend = backend;
        this.name = name;
        this.spec = spec;
    }

    @Override
    public Tensor forward(Tensor x) {
        Layers.expect(name, "input", x, -1, -1, -1, -1);
        inputShape = x.shape();
        last = backend.maxPool(x, spec);
        return last.output();
    }

    @Override
    public Tensor backward(Tensor dy) {
        Layers.forwardDone(name, last);
        Layers.sameAsOutput(name, dy, last.output().shape());
        return backend.maxPoolBackward(dy, last.argmax(), inputShape);
    }

    /** Window, stride and padding. */
    public PoolSpec spec() {
        return spec;
    }

    @Override
    public String name() {
        return name;
    }
}
