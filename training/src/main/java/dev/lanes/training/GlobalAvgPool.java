package dev.lanes.training;

/**
 * The mean of each channel over its whole plane: [N, C, H, W] to [N, C, 1, 1] (ONNX
 * GlobalAveragePool). Seen as a matrix [N * C, H * W], the means are its product with a column
 * of 1 / (H * W), and the gradient the product of dy [N * C, 1] with that row: two matrix
 * products on the backend, for planes of any shape.
 */
public final class GlobalAvgPool implements Layer {
    private final Backend backend;
    private final String name;
    private int[] inputShape;

    /** A global average pooling named {@code name}. */
    public GlobalAvgPool(Backend backend, String name) {
        this.backend = backend;
        this.name = name;
    }

    private static Tensor averagingColumn(int plane) {
        Tensor t = Tensor.zeros(plane, 1);
        java.util.Arrays.fill(t.data(), 1f / plane);
        return t;
    }

    @Override
    public Tensor forward(Tensor x) {
        Layers.expect(name, "input", x, -1, -1, -1, -1);
        inputShape = x.shape();
        int rows = x.dim(0) * x.dim(1);
        int plane = x.dim(2) * x.dim(3);
        Tensor means = backend.matmul(x.reshape(rows, plane), false, averagingColumn(plane), false);
        return means.reshape(x.dim(0), x.dim(1), 1, 1);
    }

    @Override
    public Tensor backward(Tensor dy) {
        Layers.forwardDone(name, inputShape);
        Layers.sameAsOutput(name, dy, new int[] {inputShape[0], inputShape[1], 1, 1});
        int rows = inputShape[0] * inputShape[1];
        int plane = inputShape[2] * inputShape[3];
        Tensor dx = backend.matmul(dy.reshape(rows, 1), false, averagingColumn(plane), true);
        return dx.reshape(inputShape);
    }

    @Override
    public String name() {
        return name;
    }
}
