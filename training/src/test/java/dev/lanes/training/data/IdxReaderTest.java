package dev.lanes.training.data;

import static dev.lanes.training.data.IdxBytes.gzip;
import static dev.lanes.training.data.IdxBytes.images;
import static dev.lanes.training.data.IdxBytes.labels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.errors.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The IDX reader on hand-made files: good ones plain and gzip, and every kind of bad header. */
class IdxReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static byte[] pixels(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 37);
        }
        return b;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsImagesAndLabelsPlainOrGzip(boolean compressed) throws IOException {
        byte[] px = pixels(2 * 3 * 4);
        byte[] img = images(2, 3, 4, px);
        byte[] lab = labels(2, new byte[] {7, (byte) 200});
        // The name says nothing: the reader decides from the first bytes.
        Path ip = write("images", compressed ? gzip(img) : img);
        Path lp = write("labels", compressed ? gzip(lab) : lab);
        IdxImages images = IdxReader.readImages(ip);
        assertEquals(2, images.count());
        assertEquals(3, images.rows());
        assertEquals(4, images.cols());
        assertArrayEquals(px, images.pixels());
        IdxLabels labels = IdxReader.readLabels(lp);
        assertEquals(2, labels.count());
        assertEquals(7, labels.label(0));
        assertEquals(200, labels.label(1), "labels are unsigned");
    }

    @Test
    void emptySetIsFine() throws IOException {
        assertEquals(0, IdxReader.readImages(write("e", images(0, 28, 28, new byte[0]))).count());
    }

    private ModelFormatException imageError(byte[] bytes) throws IOException {
        Path p = write("bad", bytes);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> IdxReader.readImages(p));
        assertTrue(e.getMessage().startsWith(p.toString()), "names the file: " + e.getMessage());
        return e;
    }

    private static void assertMentions(ModelFormatException e, String... words) {
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "'" + w + "' in: " + e.getMessage());
        }
    }

    @Test
    void wrongMagicSaysWhatItFound() throws IOException {
        assertMentions(imageError(labels(1, new byte[1])), "2049", "2051", "label file");
        Path p = write("lab", images(1, 1, 1, new byte[1]));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> IdxReader.readLabels(p));
        assertMentions(e, "2051", "2049", "image file");
        assertMentions(imageError("P5\n28 28\n255\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), "magic");
    }

    @Test
    void truncatedHeader() throws IOException {
        assertMentions(imageError(Arrays.copyOf(images(1, 28, 28, new byte[784]), 10)), "header truncated", "10 of 16");
        assertMentions(imageError(new byte[] {0, 0}), "too short");
        assertMentions(imageError(new byte[0]), "too short");
    }

    @Test
    void truncatedData() throws IOException {
        ModelFormatException e = imageError(images(2, 28, 28, new byte[784 + 100]));
        assertMentions(e, "truncated", "2 images of 28x28", "1568", "884");
        ModelFormatException gz = imageError(gzip(images(2, 28, 28, new byte[784 + 100])));
        assertMentions(gz, "truncated", "884");
    }

    @Test
    void trailingDataMeansTheHeaderIsWrong() throws IOException {
        assertMentions(imageError(images(1, 2, 2, new byte[5])), "more data", "4 bytes");
    }

    @Test
    void absurdCountsAreErrorsNotOutOfMemory() throws IOException {
        // 2^31 images: more than an int, in a file of a few bytes.
        assertMentions(imageError(images(1L << 31, 28, 28, new byte[16])), "2147483648");
        // 2^32 - 1 (all ones), as a damaged header might say.
        assertMentions(imageError(images(0xffffffffL, 28, 28, new byte[16])), "4294967295");
        // 2^30 images of 28x28 fit an int count but not the byte limit.
        assertMentions(imageError(images(1L << 30, 28, 28, new byte[16])), "more than the");
        // A million images is within limits, yet the file is small: an error after reading
        // what is there, with no 784 MB buffer allocated.
        assertMentions(imageError(gzip(images(1_000_000, 28, 28, new byte[784]))), "truncated", "784 follow");
        assertMentions(imageError(images(1, 0, 28, new byte[0])), "image side 0");
        assertMentions(imageError(images(1, 100_000, 28, new byte[0])), "image side 100000");
        Path lp = write("lab", labels(1L << 31, new byte[3]));
        assertMentions(assertThrows(ModelFormatException.class, () -> IdxReader.readLabels(lp)), "2147483648");
    }

    @Test
    void damagedGzipIsAFormatError() throws IOException {
        byte[] gz = gzip(images(4, 28, 28, pixels(4 * 784)));
        byte[] cut = Arrays.copyOf(gz, gz.length / 2);
        assertMentions(imageError(cut), "gzip");
        byte[] garbled = gz.clone();
        for (int i = 20; i < 60; i++) {
            garbled[i] ^= (byte) 0x5a;
        }
        imageError(garbled);
    }

    @Test
    void missingFileIsNamed() {
        Path p = dir.resolve("absent");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> IdxReader.readImages(p));
        assertMentions(e, "absent", "no such file");
    }
}
