package dev.lanes.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.errors.ModelFormatException;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigitImageTest {
    @TempDir
    Path dir;

    @Test
    void syntheticDigitHasInkAndBackgroundInRange() {
        DigitImage d = DigitImage.synthetic();
        assertEquals(28 * 28, d.pixels().length);
        int ink = 0;
        for (float v : d.pixels()) {
            assertTrue(v >= 0 && v <= 1, "pixel " + v);
            ink += v > 0.5f ? 1 : 0;
        }
        assertTrue(ink > 40 && ink < 300, ink + " inked pixels");
        assertEquals(0, d.pixels()[0]);
        assertEquals(7, d.label());
        String art = d.ascii();
        assertEquals(14, art.lines().count());
        assertTrue(art.lines().allMatch(l -> l.length() == 28));
        assertTrue(art.contains("@"), art);
    }

    @Test
    void readsTheFirstImageAndLabelOfGzippedIdxFiles() throws IOException {
        Path images = dir.resolve("images-idx3-ubyte.gz");
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(
                Files.newOutputStream(images)))) {
            out.writeInt(0x0803);
            out.writeInt(2);
            out.writeInt(28);
            out.writeInt(28);
            for (int i = 0; i < 2 * 784; i++) {
                out.writeByte(i < 784 ? i % 256 : 7);
            }
        }
        Path labels = dir.resolve("labels-idx1-ubyte");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(labels))) {
            out.writeInt(0x0801);
            out.writeInt(2);
            out.writeByte(4);
            out.writeByte(9);
        }
        DigitImage d = DigitImage.firstImage(images, labels);
        assertEquals(4, d.label());
        assertEquals(0f, d.pixels()[0]);
        assertEquals(255 / 255f, d.pixels()[255]);
        assertEquals(1 / 255f, d.pixels()[257]);
        assertEquals(-1, DigitImage.firstImage(images, dir.resolve("none")).label());
    }

    @Test
    void rejectsFilesThatAreNotImages() throws IOException {
        Path bad = Files.write(dir.resolve("bad"), new byte[] {0, 0, 8, 1, 0, 0, 0, 1});
        assertThrows(ModelFormatException.class, () -> DigitImage.firstImage(bad, null));
    }
}
