package dev.lanes.training.data;

/**
 * Random crop with zero padding, as torchvision's {@code RandomCrop(size, padding=p)} with the
 * crop as large as the image: pad every side with {@code p} zeros and cut a window of the
 * original size at a uniform position. That is the image shifted by {@code (dy, dx)}, each
 * uniform in [-p, p], with the pixels shifted in from outside set to 0.
 *
 * @param padding {@code p}, the zeros added on each side, at least 0
 */
public record RandomCrop(int padding) implements Augmentation {
    /** Checks the padding. */
    public RandomCrop {
        if (padding < 0) {
            throw new IllegalArgumentException("padding must be at least 0, got " + padding);
        }
    }

    @Override
    public void apply(float[] image, int offset, int rows, int cols, float[] scratch, SeededRandom rng) {
        int dy = rng.nextInt(2 * padding + 1) - padding;
        int dx = rng.nextInt(2 * padding + 1) - padding;
        shift(image, offset, rows, cols, dy, dx, scratch);
    }

    /**
     * Sets {@code out(y, x) = in(y + dy, x + dx)}, and 0 where that is outside the image: the
     * crop whose top-left corner is {@code (p + dy, p + dx)} in the padded image.
     */
    public static void shift(float[] image, int offset, int rows, int cols, int dy, int dx, float[] scratch) {
        if (dy == 0 && dx == 0) {
            return;
        }
        System.arraycopy(image, offset, scratch, 0, rows * cols);
        for (int y = 0; y < rows; y++) {
            int sy = y + dy;
            int row = offset + y * cols;
            for (int x = 0; x < cols; x++) {
                int sx = x + dx;
                image[row + x] = sy >= 0 && sy < rows && sx >= 0 && sx < cols ? scratch[sy * cols + sx] : 0f;
            }
        }
    }
}
