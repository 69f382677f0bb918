package dev.lanes.compiler.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanes.compiler.conformance.BackendTestCase;
import dev.lanes.compiler.conformance.SharedData;
import dev.lanes.formats.TensorProtos;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tribuo's MNIST CNN ({@code models/tribuo-cnn-mnist}) must classify all 62 labelled test digits
 * correctly: from its {@code labelled_set/} (a [62,1,28,28] FLOAT tensor of raw 0..255 pixels and
 * an INT64 label vector) and from {@code mnist_test_head.libsvm} (the same digits as
 * {@code label index:value ...} lines with 0-based pixel indices; absent pixels are 0).
 */
class TribuoMnistTest {
    private static final int DIGITS = 62;
    private Path dir;

    @BeforeEach
    void locate() {
        dir = SharedData.shared().resolve("models/tribuo-cnn-mnist");
        SharedData.require(dir, "Tribuo MNIST test");
    }

    @Test
    void classifiesLabelledSet() {
        Tensor images = Tensor.from(TensorProtos.read(dir.resolve("labelled_set/input_0.pb")));
        long[] labels = Tensor.from(TensorProtos.read(dir.resolve("labelled_set/labels.pb")))
                .longs();
        assertEquals(DIGITS, labels.length, "labels in labelled_set");
        assertAllCorrect("labelled_set", images, labels);
    }

    @Test
    void classifiesLibsvmFile() throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("mnist_test_head.libsvm")).stream()
                .filter(l -> !l.isBlank()).toList();
        assertEquals(DIGITS, lines.size(), "digits in mnist_test_head.libsvm");
        float[] pixels = new float[DIGITS * 784];
        long[] labels = new long[DIGITS];
        for (int n = 0; n < DIGITS; n++) {
            String[] f = lines.get(n).trim().split("\\s+");
            labels[n] = Long.parseLong(f[0]);
            for (int k = 1; k < f.length; k++) {
                int colon = f[k].indexOf(':');
                int index = Integer.parseInt(f[k].substring(0, colon));
                pixels[n * 784 + index] = Float.parseFloat(f[k].substring(colon + 1));
            }
        }
        Tensor images = Tensor.of(pixels, DIGITS, 1, 28, 28);
        // Both files hold the same digits; a parsing mistake would show here first.
        assertArrayEquals(Tensor.from(TensorProtos.read(dir.resolve("labelled_set/input_0.pb")))
                .floats(), pixels, "libsvm pixels equal labelled_set pixels");
        assertAllCorrect("libsvm", images, labels);
    }

    private void assertAllCorrect(String what, Tensor images, long[] labels) {
        long t0 = System.nanoTime();
        Session s = ModelLoader.load("models/tribuo-cnn-mnist (" + what + ")", dir.resolve("model.onnx"));
        long t1 = System.nanoTime();
        Tensor scores = s.run(images).values().iterator().next();
        long t2 = System.nanoTime();
        assertArrayEquals(new int[] {DIGITS, 10}, scores.shapeView(), "output shape");
        List<String> wrong = new ArrayList<>();
        for (int n = 0; n < DIGITS; n++) {
            int best = 0;
            for (int c = 1; c < 10; c++) {
                if (scores.floats()[n * 10 + c] > scores.floats()[n * 10 + best]) {
                    best = c;
                }
            }
            if (best != labels[n]) {
                wrong.add("digit " + n + ": " + best + " instead of " + labels[n]);
            }
        }
        ModelTimings.record("models/tribuo-cnn-mnist (" + what + ")", t1 - t0, t2 - t1,
                (DIGITS - wrong.size()) + "/" + DIGITS + " correct");
        assertEquals(List.of(), wrong, what + ": " + (DIGITS - wrong.size()) + "/" + DIGITS
                + " correct");
    }

    @AfterAll
    static void writeTimings() {
        ModelTimings.write();
    }
}
