package dev.lanes.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Crop and flip on a hand-made 3x4 image whose pixels are 1..12. */
class AugmentationTest {
    private static float[] image() {
        // 1  2  3  4
        // 5  6  7  8
        // 9 10 11 12
        float[] a = new float[12];
        for (int i = 0; i < 12; i++) {
            a[i] = i + 1;
        }
        return a;
    }

    @Test
    void flipMirrorsEachRow() {
        float[] a = image();
        HorizontalFlip.flip(a, 0, 3, 4);
        assertArrayEquals(new float[] {4, 3, 2, 1, 8, 7, 6, 5, 12, 11, 10, 9}, a);
        HorizontalFlip.flip(a, 0, 3, 4);
        assertArrayEquals(image(), a, "twice is the identity");
        float[] odd = {1, 2, 3, 4, 5, 6};
        HorizontalFlip.flip(odd, 0, 2, 3);
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4}, odd, "the middle column stays");
    }

    @Test
    void cropWithPaddingShiftsInZeros() {
        float[] scratch = new float[12];
        float[] a = image();
        // The crop at (p + 1, p - 2) of the padded image: in(y + 1, x - 2).
        RandomCrop.shift(a, 0, 3, 4, 1, -2, scratch);
        assertArrayEquals(new float[] {
            0, 0, 5, 6,
            0, 0, 9, 10,
            0, 0, 0, 0}, a);
        float[] b = image();
        RandomCrop.shift(b, 0, 3, 4, -1, 1, scratch);
        assertArrayEquals(new float[] {
            0, 0, 0, 0,
            2, 3, 4, 0,
            6, 7, 8, 0}, b);
        float[] c = image();
        RandomCrop.shift(c, 0, 3, 4, 0, 0, scratch);
        assertArrayEquals(image(), c, "the centre crop is the image");
    }

    @Test
    void cropAtAnOffsetLeavesTheRestOfTheArray() {
        float[] a = new float[14];
        System.arraycopy(image(), 0, a, 1, 12);
        a[0] = -1;
        a[13] = -1;
        RandomCrop.shift(a, 1, 3, 4, 0, 1, new float[12]);
        assertEquals(-1, a[0]);
        assertEquals(-1, a[13]);
        assertArrayEquals(new float[] {2, 3, 4, 0}, java.util.Arrays.copyOfRange(a, 1, 5));
    }

    @Test
    void randomCropDrawsEveryShiftWithinThePadding() {
        // Padding 2: 25 shifts (dy, dx in -2..2), all reachable, none beyond.
        RandomCrop crop = new RandomCrop(2);
        Set<String> seen = new HashSet<>();
        SeededRandom rng = new SeededRandom(7);
        float[] scratch = new float[25];
        for (int t = 0; t < 2000; t++) {
            // A 5x5 image with a single 1 in the centre: where the 1 lands gives the shift.
            float[] img = new float[25];
            img[12] = 1;
            crop.apply(img, 0, 5, 5, scratch, rng);
            int at = -1;
            for (int i = 0; i < 25; i++) {
                if (img[i] == 1) {
                    at = i;
                }
            }
            assertTrue(at >= 0, "a shift of at most 2 keeps the centre pixel of a 5x5 image");
            seen.add(at / 5 + "," + at % 5);
        }
        assertEquals(25, seen.size());
    }

    @Test
    void flipProbabilityIsRespectedAndSeeded() {
        HorizontalFlip flip = new HorizontalFlip();
        int flipped = 0;
        SeededRandom rng = new SeededRandom(3);
        float[] img = new float[2];
        for (int t = 0; t < 4000; t++) {
            img[0] = 1;
            img[1] = 2;
            flip.apply(img, 0, 1, 2, null, rng);
            flipped += img[0] == 2 ? 1 : 0;
        }
        assertEquals(2000, flipped, 150, "about half");
        img[0] = 1;
        img[1] = 2;
        new HorizontalFlip(0).apply(img, 0, 1, 2, null, rng);
        assertEquals(1, img[0]);
        new HorizontalFlip(1).apply(img, 0, 1, 2, null, rng);
        assertEquals(2, img[0]);
    }

    @Test
    void chainAppliesBothInOrder() {
        // A fixed generator: crop then flip, with the same draws, equals doing it by hand.
        Augmentation both = new RandomCrop(1).then(new HorizontalFlip(1));
        float[] a = image();
        both.apply(a, 0, 3, 4, new float[12], new SeededRandom(11));
        SeededRandom r = new SeededRandom(11);
        int dy = r.nextInt(3) - 1;
        int dx = r.nextInt(3) - 1;
        float[] b = image();
        RandomCrop.shift(b, 0, 3, 4, dy, dx, new float[12]);
        HorizontalFlip.flip(b, 0, 3, 4);
        assertArrayEquals(b, a);
    }
}
