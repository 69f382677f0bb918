package dev.lanes.training.data;

import dev.lanes.errors.ModelFormatException;
import java.nio.file.Path;

/**
 * Labelled grey images for training or evaluation: pixels scaled to [0, 1] (byte / 255), then
 * optionally normalized as {@code (x - mean) / std}, and int labels.
 *
 * <p>The pixels stay bytes and are converted when an image is copied out: the full
 * Fashion-MNIST training set is 47 MB this way rather than 188 MB as floats, and a normalized
 * view ({@link #normalized}) shares them instead of copying.
 */
public final class Dataset {
    private final int count;
    private final int rows;
    private final int cols;
    private final byte[] pixels;
    private final int[] labels;
    private final float mean;
    private final float std;

    private Dataset(int count, int rows, int cols, byte[] pixels, int[] labels, float mean, float std) {
        this.count = count;
        this.rows = rows;
        this.cols = cols;
        this.pixels = pixels;
        this.labels = labels;
        this.mean = mean;
        this.std = std;
    }

    /**
     * Pairs images with labels; their counts must agree ({@code source} names the pair in the
     * error).
     */
    public static Dataset of(IdxImages images, IdxLabels labels, String source) {
        if (images.count() != labels.count()) {
            throw new ModelFormatException(source + ": " + images.count() + " images but "
                    + labels.count() + " labels");
        }
        int[] ints = new int[labels.count()];
        for (int i = 0; i < ints.length; i++) {
            ints[i] = labels.label(i);
        }
        return new Dataset(images.count(), images.rows(), images.cols(), images.pixels(), ints, 0f, 1f);
    }

    /**
     * Examples {@code [from, to)}, sharing this data set's pixels (copied only when the range
     * starts past 0), with its normalization.
     */
    public Dataset slice(int from, int to) {
        if (from < 0 || to > count || from > to) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") of a data set of "
                    + count + " examples");
        }
        int size = rows * cols;
        byte[] px = from == 0 ? pixels
                : java.util.Arrays.copyOfRange(pixels, from * size, to * size);
        return new Dataset(to - from, rows, cols, px,
                java.util.Arrays.copyOfRange(labels, from, to), mean, std);
    }

    /** Reads a pair of files. */
    public static Dataset read(DatasetFiles files) {
        return of(IdxReader.readImages(files.images()), IdxReader.readLabels(files.labels()),
                files.images() + " and " + files.labels());
    }

    /** Reads {@code split} of the MNIST-style data set in {@code dir}. */
    public static Dataset read(Path dir, Split split) {
        return read(DatasetFiles.find(dir, split));
    }

    /** Reads {@code split} of Fashion-MNIST from Debian's package folder. */
    public static Dataset fashionMnist(Split split) {
        return read(DatasetFiles.FASHION_MNIST, split);
    }

    /**
     * The same images and labels normalized by {@code mean} and {@code std} (given in the
     * [0, 1] scale, e.g. Fashion-MNIST's training set: 0.2860 and 0.3530). Replaces any earlier
     * normalization rather than stacking on it.
     */
    public Dataset normalized(double mean, double std) {
        if (!Double.isFinite(mean) || !(std > 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("normalization needs a finite mean and a std > 0, got "
                    + mean + ", " + std);
        }
        return new Dataset(count, rows, cols, pixels, labels, (float) mean, (float) std);
    }

    /** Number of examples. */
    public int count() {
        return count;
    }

    /** Image height. */
    public int rows() {
        return rows;
    }

    /** Image width. */
    public int cols() {
        return cols;
    }

    /** Pixels per image, {@code rows * cols}. */
    public int imageSize() {
        return rows * cols;
    }

    /** The label of example {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /** One more than the largest label: the number of classes a classifier needs. */
    public int classCount() {
        int max = -1;
        for (int l : labels) {
            max = Math.max(max, l);
        }
        return max + 1;
    }

    /** The normalization mean (0 when not normalized). */
    public float mean() {
        return mean;
    }

    /** The normalization standard deviation (1 when not normalized). */
    public float std() {
        return std;
    }

    /**
     * Writes image {@code i} into {@code dst} from {@code offset}, scaled to [0, 1] but not
     * normalized: augmentations work in this scale, where padding with 0 is padding with black.
     */
    public void copyScaled(int i, float[] dst, int offset) {
        int n = rows * cols;
        int from = i * n;
        for (int j = 0; j < n; j++) {
            dst[offset + j] = (pixels[from + j] & 0xff) * (1f / 255f);
        }
    }

    /** Normalizes {@code length} scaled values of {@code a} from {@code offset} in place. */
    public void normalize(float[] a, int offset, int length) {
        if (mean == 0f && std == 1f) {
            return;
        }
        float inv = 1f / std;
        for (int j = offset; j < offset + length; j++) {
            a[j] = (a[j] - mean) * inv;
        }
    }

    /** Writes image {@code i} into {@code dst} from {@code offset}, scaled and normalized. */
    public void copyImage(int i, float[] dst, int offset) {
        copyScaled(i, dst, offset);
        normalize(dst, offset, rows * cols);
    }

    /** The mean pixel over the whole set in the [0, 1] scale, to normalize with. */
    public double pixelMean() {
        long sum = 0;
        for (byte b : pixels) {
            sum += b & 0xff;
        }
        return sum / 255.0 / pixels.length;
    }

    /** The standard deviation of the pixels in the [0, 1] scale (population, as torchvision's recipes). */
    public double pixelStd() {
        double m = pixelMean();
        double sq = 0;
        for (byte b : pixels) {
            double d = (b & 0xff) / 255.0 - m;
            sq += d * d;
        }
        return Math.sqrt(sq / pixels.length);
    }
}
