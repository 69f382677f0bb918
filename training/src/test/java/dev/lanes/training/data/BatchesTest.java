package dev.lanes.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shuffled mini-batches: coverage, repeatability, and that images and labels stay paired. */
class BatchesTest {
    private final Dataset data = DatasetTest.tiny(103, 4, 5);

    private static List<Batch> all(Batches b, long epoch) {
        List<Batch> out = new ArrayList<>();
        b.epoch(epoch).forEach(out::add);
        return out;
    }

    @Test
    void everyExampleOncePerEpochWithAPartialLastBatch() {
        Batches b = Batches.shuffled(data, 10, 42, Augmentation.NONE);
        assertEquals(11, b.batchesPerEpoch());
        for (long epoch = 0; epoch < 3; epoch++) {
            List<Batch> batches = all(b, epoch);
            assertEquals(11, batches.size());
            assertEquals(3, batches.get(10).size(), "103 = 10 * 10 + 3");
            boolean[] seen = new boolean[data.count()];
            for (Batch batch : batches) {
                for (int i : batch.indices()) {
                    assertFalse(seen[i], "example " + i + " twice in epoch " + epoch);
                    seen[i] = true;
                }
            }
            for (int i = 0; i < seen.length; i++) {
                assertTrue(seen[i], "example " + i + " missing in epoch " + epoch);
            }
        }
    }

    @Test
    void sameSeedSameOrderOtherSeedOrEpochAnother() {
        Batches a = Batches.shuffled(data, 16, 42, Augmentation.NONE);
        Batches b = Batches.shuffled(data, 16, 42, Augmentation.NONE);
        assertArrayEquals(a.order(0), b.order(0));
        assertArrayEquals(a.order(5), b.order(5), "epoch 5 recomputed without epochs 0-4");
        assertFalse(Arrays.equals(a.order(0), a.order(1)), "a new order each epoch");
        assertFalse(Arrays.equals(a.order(0), Batches.shuffled(data, 16, 43, Augmentation.NONE).order(0)));
        int[] identity = new int[data.count()];
        Arrays.setAll(identity, i -> i);
        assertFalse(Arrays.equals(identity, a.order(0)), "actually shuffled");
        assertArrayEquals(identity, Batches.inOrder(data, 16).order(3), "evaluation keeps the order");
    }

    @Test
    void batchesHoldTheirExamplesImagesAndLabels() {
        Batches b = Batches.shuffled(data.normalized(0.5, 0.5), 7, 1, Augmentation.NONE);
        float[] expected = new float[data.imageSize()];
        for (Batch batch : b.epoch(2)) {
            for (int k = 0; k < batch.size(); k++) {
                int i = batch.indices()[k];
                assertEquals(data.label(i), batch.labels()[k]);
                data.normalized(0.5, 0.5).copyImage(i, expected, 0);
                assertArrayEquals(expected, Arrays.copyOfRange(batch.images(),
                        k * data.imageSize(), (k + 1) * data.imageSize()));
            }
        }
    }

    @Test
    void augmentationIsRepeatableAndHappensBeforeNormalization() {
        Augmentation aug = new RandomCrop(2).then(new HorizontalFlip());
        Dataset normalized = data.normalized(0.5, 0.25);
        Batch first = all(Batches.shuffled(normalized, 8, 9, aug), 1).get(0);
        Batch again = all(Batches.shuffled(normalized, 8, 9, aug), 1).get(0);
        assertArrayEquals(first.images(), again.images(), "same seed, same augmented pixels");
        Batch plain = all(Batches.shuffled(normalized, 8, 9, Augmentation.NONE), 1).get(0);
        assertArrayEquals(plain.indices(), first.indices(), "augmentation does not change the order");
        assertFalse(Arrays.equals(plain.images(), first.images()), "and does change pixels");
        // Padding is black in the [0, 1] scale: after normalization it reads (0 - 0.5) / 0.25.
        boolean padded = false;
        for (float v : first.images()) {
            padded |= v == -2f;
        }
        assertTrue(padded, "some zero padding shows as the normalized black");
    }
}
