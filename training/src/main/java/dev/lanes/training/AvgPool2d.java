package dev.lanes.training;

/** Average pooling over square windows; padded places are not counted (ONNX's default). */
public final class AvgPool2d implements Layer {
    private final Backend backend;
    private final String name;
    private final PoolSpec spec;
    private int[] inputShape;
    private int[] outputShape;

    /** An average pooling named {@code name} with window, stride and padding {@code spec}. */
    public AvgPool2d(Backend backend, String name, PoolSpec spec) {
        this.backend = backend;
        this.name = name;
        this.spec = spec;
    }

    @Override
    public Tensor forward(Tensor x) {
        Layers.expect(name, "input", x, -1, -1, -1, -1);
        inputShape = x.shape();
        Tensor y = backend.avgPool(x, spec);
        outputShape = y.shape();
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Layers.forwardDone(name, inputShape);
        Layers.sameAsOutput(name, dy, outputShape);
        return backend.avgPoolBackward(dy, inputShape, spec);
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
