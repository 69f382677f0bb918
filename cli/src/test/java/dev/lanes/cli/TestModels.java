package dev.lanes.cli;

import dev.lanes.cli.demo.SharedData;
import dev.lanes.formats.ModelBuilder;
import dev.lanes.formats.TensorData;
import dev.lanes.formats.TensorProtos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** Small models made in code, and the shared models when they are present. */
final class TestModels {
    /** The name of the residual block's first Conv: a quote and a backslash, for escaping. */
    static final String QUOTED_CONV = "conv \"1\" \\ a";

    private TestModels() {
    }

    /** y = Relu(x + [1, -2, 3]), z = x + a; x is [N,3], a is [1,3]. */
    static Path addRelu(Path dir) {
        ModelBuilder m = new ModelBuilder("add_relu").opset(13);
        m.input("x", "N", 3);
        m.input("a", 1, 3);
        m.initializer("b", new float[] {1, -2, 3}, 3);
        m.node("Add").name("add_b").inputs("x", "b").outputs("s");
        m.node("Relu").name("relu").inputs("s").outputs("y");
        m.node("Add").name("add_a").inputs("x", "a").outputs("z");
        m.output("y", "N", 3);
        m.output("z", "N", 3);
        Path file = dir.resolve("add_relu.onnx");
        m.write(file);
        return file;
    }

    /**
     * y = Relu(BatchNormalization(Conv3x3(x))) over x [N,2,5,5] (padded, 4 output channels):
     * fused into one step by default, three steps with the fusion passes off.
     */
    static Path convBnRelu(Path dir) {
        java.util.Random r = new java.util.Random(1);
        ModelBuilder m = new ModelBuilder("conv_bn_relu").opset(13);
        m.input("x", "N", 2, 5, 5);
        m.initializer("w", values(r, 4 * 2 * 9, -1, 1), 4, 2, 3, 3);
        m.initializer("b", values(r, 4, -1, 1), 4);
        m.initializer("gamma", values(r, 4, 0.5f, 1.5f), 4);
        m.initializer("beta", values(r, 4, -1, 1), 4);
        m.initializer("mean", values(r, 4, -1, 1), 4);
        m.initializer("var", values(r, 4, 0.1f, 2), 4);
        m.node("Conv").name("conv").inputs("x", "w", "b").outputs("c").ints("pads", 1, 1, 1, 1);
        m.node("BatchNormalization").name("bn").inputs("c", "gamma", "beta", "mean", "var")
                .outputs("n");
        m.node("Relu").name("relu").inputs("n").outputs("y");
        m.output("y", "N", 4, 5, 5);
        Path file = dir.resolve("conv_bn_relu.onnx");
        m.write(file);
        return file;
    }

    /**
     * One ResNet basic block over x[N,4,8,8], the first Conv named with a quote and a
     * backslash: Conv 3x3 -> BatchNormalization -> Relu -> Conv 3x3 -> BatchNormalization ->
     * Add(x) -> Relu -> y. 7 nodes; compiled, two FusedConv steps.
     */
    static Path residualBlock(Path dir) {
        ModelBuilder m = new ModelBuilder("block").opset(13);
        m.input("x", "N", 4, 8, 8);
        for (int i = 1; i <= 2; i++) {
            m.initializer("w" + i, filled(4 * 4 * 9, 0.01f), 4, 4, 3, 3);
            m.initializer("scale" + i, filled(4, 1f), 4);
            m.initializer("shift" + i, filled(4, 0.1f), 4);
            m.initializer("mean" + i, filled(4, 0f), 4);
            m.initializer("var" + i, filled(4, 1f), 4);
        }
        m.node("Conv").name(QUOTED_CONV).inputs("x", "w1").outputs("c1")
                .ints("kernel_shape", 3, 3).ints("pads", 1, 1, 1, 1);
        m.node("BatchNormalization").name("bn1")
                .inputs("c1", "scale1", "shift1", "mean1", "var1").outputs("b1");
        m.node("Relu").name("relu1").inputs("b1").outputs("r1");
        m.node("Conv").name("conv2").inputs("r1", "w2").outputs("c2")
                .ints("kernel_shape", 3, 3).ints("pads", 1, 1, 1, 1);
        m.node("BatchNormalization").name("bn2")
                .inputs("c2", "scale2", "shift2", "mean2", "var2").outputs("b2");
        m.node("Add").name("add").inputs("b2", "x").outputs("s");
        m.node("Relu").name("relu2").inputs("s").outputs("y");
        m.output("y", "N", 4, 8, 8);
        Path file = dir.resolve("block.onnx");
        m.write(file);
        return file;
    }

    private static float[] values(java.util.Random r, int n, float lo, float hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + r.nextFloat() * (hi - lo);
        }
        return v;
    }

    /**
     * A shared data set folder, {@code <shared>/datasets/NAME}; the test is skipped (failed on
     * CI, which must not pass by running nothing) when the shared material is missing.
     */
    static Path sharedDataset(String name) {
        Path root = SharedData.folder();
        Path dir = root == null ? null : root.resolve("datasets").resolve(name);
        if (dir == null || !Files.isDirectory(dir)) {
            String msg = "shared data set " + name + " not found (set -Dlanes.shared or"
                    + " LANES_SHARED to the shared test material)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(msg);
            }
            Assumptions.abort(msg);
        }
        return dir;
    }

    /**
     * Debian's dataset-fashion-mnist folder (60,000 training and 10,000 test images); skipped
     * when the package is not installed, failed on CI, whose script installs it.
     */
    static Path debianFashionMnist() {
        Path dir = dev.lanes.training.data.DatasetFiles.FASHION_MNIST;
        if (!Files.isDirectory(dir)) {
            String msg = dir + " not found: install Debian's dataset-fashion-mnist package";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("CI=true but " + msg);
            }
            Assumptions.abort(msg);
        }
        return dir;
    }

    /**
     * A shared model file, {@code <shared>/models/NAME/model.onnx}; skipped or failed as
     * {@link #sharedDataset}.
     */
    static Path shared(String name) {
        Path root = SharedData.folder();
        Path file = root == null ? null : root.resolve("models").resolve(name)
                .resolve("model.onnx");
        if (file == null || !Files.isRegularFile(file)) {
            String msg = "shared model " + name + " not found (set -Dlanes.shared or"
                    + " LANES_SHARED to the shared test material)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(msg);
            }
            Assumptions.abort(msg);
        }
        return file;
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    /** Writes a FLOAT tensor file. */
    static Path tensor(Path file, String name, float[] values, long... dims) {
        TensorProtos.write(TensorData.ofFloats(name, dims, values), file);
        return file;
    }

    /**
     * A backend-test folder for y = Relu(x + b) with one data set whose expected output is
     * {@code expected}.
     */
    static Path testFolder(Path root, String name, float[] expected) throws IOException {
        Path dir = root.resolve(name);
        Path set = dir.resolve("test_data_set_0");
        Files.createDirectories(set);
        ModelBuilder m = new ModelBuilder(name).opset(13);
        m.input("x", 2, 3);
        m.initializer("b", new float[] {1, -2, 3}, 3);
        m.node("Add").inputs("x", "b").outputs("s");
        m.node("Relu").inputs("s").outputs("y");
        m.output("y", 2, 3);
        m.write(dir.resolve("model.onnx"));
        tensor(set.resolve("input_0.pb"), "x", new float[] {0, 0, 0, 1, 1, -5}, 2, 3);
        tensor(set.resolve("output_0.pb"), "y", expected, 2, 3);
        return dir;
    }
}
