package dev.lanes.training.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** The generator's sequence is pinned, so seeded runs repeat on any JDK. */
class SeededRandomTest {
    @Test
    void splitMix64ReferenceSequence() {
        // The first outputs of SplitMix64 from seed 0 (Vigna's reference splitmix64.c).
        SeededRandom r = new SeededRandom(0);
        assertEquals(0xe220a8397b1dcdafL, r.nextLong());
        assertEquals(0x6e789e6aa1b965f4L, r.nextLong());
        assertEquals(0x06c45d188009454fL, r.nextLong());
    }

    @Test
    void boundedIntsAreInRangeAndRoughlyUniform() {
        SeededRandom r = new SeededRandom(5);
        int[] counts = new int[5];
        for (int i = 0; i < 50_000; i++) {
            counts[r.nextInt(5)]++;
        }
        for (int c : counts) {
            assertEquals(10_000, c, 400);
        }
    }

    @Test
    void derivedStreamsDependOnEveryKey() {
        long a = SeededRandom.derive(1, 0, 3).nextLong();
        assertEquals(a, SeededRandom.derive(1, 0, 3).nextLong());
        assertNotEquals(a, SeededRandom.derive(1, 0, 4).nextLong());
        assertNotEquals(a, SeededRandom.derive(1, 1, 3).nextLong());
        assertNotEquals(a, SeededRandom.derive(2, 0, 3).nextLong());
        assertNotEquals(a, SeededRandom.derive(1, 3, 0).nextLong(), "order of keys matters");
    }
}
