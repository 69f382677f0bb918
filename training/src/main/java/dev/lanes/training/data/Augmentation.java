package dev.lanes.training.data;

/**
 * A random change to one training image, applied in the [0, 1] scale before normalization (so
 * that padding with 0 means black, as torchvision's transforms on PIL images do).
 */
public interface Augmentation {
    /**
     * Changes the {@code rows x cols} image at {@code image[offset..]} in place, drawing from
     * {@code rng}; {@code scratch} holds at least {@code rows * cols} floats to use freely.
     */
    void apply(float[] image, int offset, int rows, int cols, float[] scratch, SeededRandom rng);

    /** No change: for evaluation, or a run without augmentation. */
    Augmentation NONE = (image, offset, rows, cols, scratch, rng) -> { };

    /** This augmentation, then {@code next}, on the same image. */
    default Augmentation then(Augmentation next) {
        Augmentation first = this;
        return (image, offset, rows, cols, scratch, rng) -> {
            first.apply(image, offset, rows, cols, scratch, rng);
            next.apply(image, offset, rows, cols, scratch, rng);
        };
    }
}
