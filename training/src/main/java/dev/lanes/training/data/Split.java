package dev.lanes.training.data;

/** The training or the test part of an MNIST-style data set, by its files' name prefix. */
public enum Split {
    /** The training set: {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}. */
    TRAIN("train"),
    /** The test set: {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}. */
    TEST("t10k");

    private final String prefix;

    Split(String prefix) {
        this.prefix = prefix;
    }

    /** The prefix of this split's file names, e.g. {@code t10k}. */
    public String prefix() {
        return prefix;
    }
}
