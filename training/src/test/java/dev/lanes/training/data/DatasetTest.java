package dev.lanes.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.errors.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scaling, normalization, pairing and finding files, on small hand-made sets. */
class DatasetTest {
    @TempDir
    Path dir;

    static Dataset tiny(int count, int rows, int cols) {
        byte[] px = new byte[count * rows * cols];
        byte[] lab = new byte[count];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i % 256);
        }
        for (int i = 0; i < count; i++) {
            lab[i] = (byte) (i % 10);
        }
        return Dataset.of(new IdxImages(count, rows, cols, px), new IdxLabels(lab), "tiny");
    }

    @Test
    void scalesBytesToUnitRangeAndNormalizes() {
        IdxImages img = new IdxImages(1, 1, 3, new byte[] {0, (byte) 51, (byte) 255});
        Dataset d = Dataset.of(img, new IdxLabels(new byte[] {3}), "x");
        float[] out = new float[3];
        d.copyImage(0, out, 0);
        assertArrayEquals(new float[] {0f, 0.2f, 1f}, out, 1e-7f);
        Dataset n = d.normalized(0.5, 0.25);
        n.copyImage(0, out, 0);
        assertArrayEquals(new float[] {-2f, -1.2f, 2f}, out, 1e-6f);
        // normalized() replaces the normalization, it does not stack.
        n.normalized(0, 1).copyImage(0, out, 0);
        assertArrayEquals(new float[] {0f, 0.2f, 1f}, out, 1e-7f);
        assertEquals(4, d.classCount());
    }

    @Test
    void countsMustAgree() {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Dataset.of(
                new IdxImages(2, 1, 1, new byte[2]), new IdxLabels(new byte[3]), "pair"));
        assertTrue(e.getMessage().contains("2 images but 3 labels"), e.getMessage());
    }

    @Test
    void findsDebianNamesPlainNamesAndSaysWhatItTried() throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), IdxBytes.gzip(IdxBytes.images(1, 2, 2, new byte[4])));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), IdxBytes.labels(1, new byte[] {5}));
        DatasetFiles f = DatasetFiles.find(dir, Split.TRAIN);
        assertEquals("train-images-idx3-ubyte.gz", f.images().getFileName().toString());
        assertEquals("train-labels-idx1-ubyte", f.labels().getFileName().toString());
        Dataset d = Dataset.read(dir, Split.TRAIN);
        assertEquals(5, d.label(0));

        ModelFormatException e = assertThrows(ModelFormatException.class, () -> DatasetFiles.find(dir, Split.TEST));
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte.gz"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void defaultLocationIsDebiansPackage() {
        assertEquals(Path.of("/usr/share/datasets/fashion-mnist"), DatasetFiles.FASHION_MNIST);
        if (!Files.isDirectory(DatasetFiles.FASHION_MNIST)) {
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> Dataset.fashionMnist(Split.TRAIN));
            assertTrue(e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
        }
    }

    @Test
    void debiansFashionMnistHasSixtyThousandTrainingImages() {
        // .ci/run installs the package; elsewhere the test needs it installed.
        if (!Files.isDirectory(DatasetFiles.FASHION_MNIST)) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                org.junit.jupiter.api.Assertions.fail("CI=true but " + DatasetFiles.FASHION_MNIST
                        + " is missing (apt-get install dataset-fashion-mnist)");
            }
            org.junit.jupiter.api.Assumptions.abort("no " + DatasetFiles.FASHION_MNIST
                    + " (apt-get install dataset-fashion-mnist)");
        }
        Dataset train = Dataset.fashionMnist(Split.TRAIN);
        assertEquals(60000, train.count());
        assertEquals(10, train.classCount());
        int[] perClass = new int[10];
        for (int i = 0; i < train.count(); i++) {
            perClass[train.label(i)]++;
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(6000, perClass[c], "class " + c);
        }
        assertEquals(10000, Dataset.fashionMnist(Split.TEST).count());
    }
}
