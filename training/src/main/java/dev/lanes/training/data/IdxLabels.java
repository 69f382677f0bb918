package dev.lanes.training.data;

/**
 * The labels of an IDX file (magic 2049): one unsigned byte per example.
 *
 * @param labels the labels, read as unsigned
 */
public record IdxLabels(byte[] labels) {
    /** The number of labels. */
    public int count() {
        return labels.length;
    }

    /** Label {@code i} as an int in [0, 255]. */
    public int label(int i) {
        return labels[i] & 0xff;
    }
}
