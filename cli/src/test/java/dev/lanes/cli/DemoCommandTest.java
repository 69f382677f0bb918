package dev.lanes.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.cli.demo.FashionImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lanes demo}: the bundled trained model classifies Fashion-MNIST as it did in training. */
class DemoCommandTest {
    private static final Pattern ACCURACY = Pattern.compile("accuracy: (\\d+\\.\\d+)% \\((\\d+) of (\\d+) right\\)");

    private static double accuracy(CliRunner r) {
        Matcher m = ACCURACY.matcher(r.out);
        assertTrue(m.find(), r.out);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void classifiesTheWholeTestSetAsWellAsTheTrainerMeasured() {
        Path shared = TestModels.sharedDataset("fashion-mnist-t10k");
        CliRunner r = CliRunner.run("demo", "--data", shared.toString(), "--runs", "3");
        assertEquals(Main.OK, r.code, r::toString);
        assertTrue(r.out.contains("images: 10000 from"), r.out);
        // The trainer measured 91.50% on these 10,000 images after its last epoch; Lanes computes
        // the same logits to float rounding, which may move an image or two at a boundary.
        double a = accuracy(r);
        assertTrue(a >= 91.45 && a <= 91.55, "accuracy " + a);
        assertTrue(r.out.contains("Trouser ") && r.out.contains("Ankle boot"), r.out);
        assertTrue(r.out.contains("image 0     Ankle boot   -> Ankle boot"), r.out);
        assertTrue(r.out.contains("latency of one image: first run"), r.out);
    }

    @Test
    void theBundledSamplesAreFoundWithoutAnyDataAndClassified() {
        FashionImages samples = FashionImages.bundled();
        assertEquals(20, samples.data().count());
        for (int c = 0; c < 10; c++) {
            assertEquals(c, samples.data().label(2 * c));
            assertEquals(c, samples.data().label(2 * c + 1));
        }
        assertTrue(FashionImages.ascii(samples.data(), 0).lines().count() == 28);
    }

    @Test
    void limitShowAndOutDoWhatTheySay(@TempDir Path dir) throws Exception {
        Path shared = TestModels.sharedDataset("fashion-mnist-t10k");
        Path model = dir.resolve("lenet.onnx");
        CliRunner r = CliRunner.run("demo", "--data", shared.toString(), "--limit", "300", "--show", "2", "--out",
                model.toString(), "--threads", "1", "--runs", "1");
        assertEquals(Main.OK, r.code, r::toString);
        assertTrue(r.out.contains("images: 300 from"), r.out);
        assertTrue(r.out.contains("image 1 ") && !r.out.contains("image 2 "), r.out);
        assertTrue(accuracy(r) > 85, r.out);
        try (var in = DemoCommand.class.getResourceAsStream(DemoCommand.MODEL)) {
            assertArrayEquals(in.readAllBytes(), Files.readAllBytes(model));
        }
        CliRunner missing = CliRunner.run("demo", "--data", dir.resolve("none").toString());
        assertEquals(Main.FAILED, missing.code);
        assertTrue(missing.err.contains("does not exist"), missing.err);
    }
}
