package dev.lanes.training;

/** [N, ...] to [N, product of the rest] (ONNX Flatten with axis 1); the data is shared, not copied. */
public final class Flatten implements Layer {
    private final String name;
    private int[] inputShape;
    private int[] outputShape;

    /** A flatten named {@code name}. */
    public Flatten(String name) {
        this.name = name;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() < 1) {
            throw new dev.lanes.errors.ShapeException(name + ": needs a batch axis, got " + x.shapeString());
        }
        inputShape = x.shape();
        int n = x.dim(0);
        outputShape = new int[] {n, n == 0 ? 0 : x.size() / n};
        return x.reshape(outputShape);
    }

    @Override
    public Tensor backward(Tensor dy) {
        Layers.forwardDone(name, inputShape);
        Layers.sameAsOutput(name, dy, outputShape);
        return dy.reshape(inputShape);
    }

    @Override
    public String name() {
        return name;
    }
}
