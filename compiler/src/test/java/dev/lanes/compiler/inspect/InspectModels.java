package dev.lanes.compiler.inspect;

import dev.lanes.compiler.conformance.SharedData;
import dev.lanes.formats.ModelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** Models for the inspect views: a small residual block made in code, and the shared ones. */
final class InspectModels {
    /** The name of the first Conv: a quote and a backslash, to exercise escaping. */
    static final String QUOTED_CONV = "conv \"1\" \\ a";

    private InspectModels() {
    }

    /**
     * One ResNet basic block over x[N,4,8,8]: Conv 3x3 -> BatchNormalization -> Relu -> Conv 3x3
     * -> BatchNormalization -> Add(x) -> Relu -> y. Fusion leaves two FusedConvs, the first with
     * "bias+relu", the second with "bias+residual add+relu". 11 values, 7 nodes as imported.
     */
    static ModelBuilder residualBlock() {
        ModelBuilder m = new ModelBuilder("block").opset(13);
        m.input("x", "N", 4, 8, 8);
        for (int i = 1; i <= 2; i++) {
            m.initializer("w" + i, ones(4 * 4 * 9, 0.01f), 4, 4, 3, 3);
            m.initializer("scale" + i, ones(4, 1f), 4);
            m.initializer("shift" + i, ones(4, 0.1f), 4);
            m.initializer("mean" + i, ones(4, 0f), 4);
            m.initializer("var" + i, ones(4, 1f), 4);
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
        return m;
    }

    /**
     * A shared model file, {@code <shared>/models/NAME/model.onnx}; the test is skipped (failed
     * on CI) when the shared material is missing.
     */
    static Path shared(String name) {
        Path dir = SharedData.shared().resolve("models").resolve(name);
        SharedData.require(dir, "model " + name);
        Path file = dir.resolve("model.onnx");
        if (!Files.isRegularFile(file)) {
            String msg = "shared model missing: " + file;
            if (SharedData.onCi()) {
                Assertions.fail(msg);
            }
            Assumptions.abort(msg);
        }
        return file;
    }

    private static float[] ones(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
