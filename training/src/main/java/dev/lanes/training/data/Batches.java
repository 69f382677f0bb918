package dev.lanes.training.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Mini-batches of a data set, one epoch at a time. Shuffled batches take a fresh permutation
 * each epoch (Fisher-Yates over {@link SeededRandom#derive(long, long...) derive(seed, 0, epoch)})
 * and augment example {@code k} of the epoch with {@code derive(seed, 1, epoch, k)}; both depend
 * only on the seed and the epoch number, so the same seed gives the same batches, and a run
 * resumed at epoch {@code e} sees what the uninterrupted run saw, with no RNG state to save.
 *
 * <p>Every example appears exactly once per epoch; the last batch holds the remainder when the
 * batch size does not divide the count (PyTorch's {@code drop_last=False}).
 */
public final class Batches {
    private static final long SHUFFLE = 0;
    private static final long AUGMENT = 1;

    private final Dataset data;
    private final int batchSize;
    private final long seed;
    private final boolean shuffle;
    private final Augmentation augmentation;

    private Batches(Dataset data, int batchSize, long seed, boolean shuffle, Augmentation augmentation) {
        this.data = Objects.requireNonNull(data, "data");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        this.seed = seed;
        this.shuffle = shuffle;
        this.augmentation = Objects.requireNonNull(augmentation, "augmentation");
    }

    /** Shuffled, augmented batches for training. */
    public static Batches shuffled(Dataset data, int batchSize, long seed, Augmentation augmentation) {
        return new Batches(data, batchSize, seed, true, augmentation);
    }

    /** Batches in the data set's order, unaugmented: for evaluation. */
    public static Batches inOrder(Dataset data, int batchSize) {
        return new Batches(data, batchSize, 0, false, Augmentation.NONE);
    }

    /** Batches per epoch, the last one possibly partial. */
    public int batchesPerEpoch() {
        return (data.count() + batchSize - 1) / batchSize;
    }

    /** The order in which epoch {@code epoch} visits the examples: a permutation of 0..count-1. */
    public int[] order(long epoch) {
        int n = data.count();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (shuffle) {
            SeededRandom rng = SeededRandom.derive(seed, SHUFFLE, epoch);
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /** The batches of epoch {@code epoch}, built as they are asked for. */
    public Iterable<Batch> epoch(long epoch) {
        return () -> new Iterator<>() {
            private final int[] order = order(epoch);
            private final float[] scratch = new float[data.imageSize()];
            private int next;

            @Override
            public boolean hasNext() {
                return next < order.length;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int size = Math.min(batchSize, order.length - next);
                Batch b = build(epoch, order, next, size, scratch);
                next += size;
                return b;
            }
        };
    }

    private Batch build(long epoch, int[] order, int from, int size, float[] scratch) {
        int n = data.imageSize();
        float[] images = new float[size * n];
        int[] labels = new int[size];
        int[] indices = new int[size];
        for (int k = 0; k < size; k++) {
            int example = order[from + k];
            indices[k] = example;
            labels[k] = data.label(example);
            data.copyScaled(example, images, k * n);
            if (augmentation != Augmentation.NONE) {
                augmentation.apply(images, k * n, data.rows(), data.cols(), scratch,
                        SeededRandom.derive(seed, AUGMENT, epoch, from + k));
            }
            data.normalize(images, k * n, n);
        }
        return new Batch(images, labels, indices, data.rows(), data.cols());
    }
}
