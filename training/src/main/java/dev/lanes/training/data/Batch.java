package dev.lanes.training.data;

/**
 * One mini-batch: {@code size} images as an NCHW array of one channel, their labels, and which
 * examples of the data set they are.
 *
 * @param images {@code size * rows * cols} floats, image after image
 * @param labels {@code size} labels
 * @param indices {@code size} example indices into the data set
 * @param rows image height
 * @param cols image width
 */
public record Batch(float[] images, int[] labels, int[] indices, int rows, int cols) {
    /** Number of examples in this batch (the last batch of an epoch may be smaller). */
    public int size() {
        return labels.length;
    }
}
