package dev.lanes.training.data;

/**
 * Mirrors an image left to right with probability {@code probability}, as torchvision's
 * {@code RandomHorizontalFlip}. Right for Fashion-MNIST (a mirrored shirt is a shirt), wrong
 * for digits (a mirrored 2 is no digit).
 *
 * @param probability the chance of a flip, in [0, 1]
 */
public record HorizontalFlip(double probability) implements Augmentation {
    /** Checks the probability. */
    public HorizontalFlip {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be in [0, 1], got " + probability);
        }
    }

    /** Flips half the images. */
    public HorizontalFlip() {
        this(0.5);
    }

    @Override
    public void apply(float[] image, int offset, int rows, int cols, float[] scratch, SeededRandom rng) {
        // Draw even when the probability is 0 or 1, so one stream serves every setting.
        if (rng.nextDouble() < probability) {
            flip(image, offset, rows, cols);
        }
    }

    /** Mirrors the image in place: {@code out(y, x) = in(y, cols - 1 - x)}. */
    public static void flip(float[] image, int offset, int rows, int cols) {
        for (int y = 0; y < rows; y++) {
            int row = offset + y * cols;
            for (int a = 0, b = cols - 1; a < b; a++, b--) {
                float t = image[row + a];
                image[row + a] = image[row + b];
                image[row + b] = t;
            }
        }
    }
}
