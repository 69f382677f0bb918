package dev.lanes.training;

/**
 * The mean of each channel over its whole plane: [N, C, H, W] to [N, C, 1, 1] (ONNX
 * GlobalAveragePool). It is an average pooling whose window is the plane, so it shares that
 * pass and its gradient.
 */
public final class GlobalAvgPool implements Layer {
    private final Backend backend;
    private final String name;
    private int[] inputShape;
    private PoolSpec spec;

    /** A global average pooling named {@code name}. */
    public GlobalAvgPool(Backend backend, String name) {
        this.backend = backend;
        this.name = name;
    }

    @Override
    public Tensor forward(Tensor x) {
        Layers.expect(name, "input", x, -1, -1, -1, -1);
        if (x.dim(2) != x.dim(3)) {
            // A square window covers the plane only when the plane is square; the models here
            // have square planes, and a rectangular one is an error rather than a wrong mean.
            throw new dev.lanes.errors.ShapeException(name + ": needs a square plane, got " + x.shapeString());
        }
        inputShape = x.shape();
        spec = new PoolSpec(x.dim(2), 1, 0);
        return backend.avgPool(x, spec);
    }

    @Override
    public Tensor backward(Tensor dy) {
        Layers.forwardDone(name, inputShape);
        Layers.sameAsOutput(name, dy, new int[] {inputShape[0], inputShape[1], 1, 1});
        return backend.avgPoolBackward(dy, inputShape, spec);
    }

    @Override
    public String name() {
        return name;
    }
}
