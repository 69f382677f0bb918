package dev.lanes.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The buffer assignment: valid for any lifetimes, sharing what can be shared. */
class ArenaPlannerTest {
    @Test
    void arraysThatNeverMeetShareOneBufferAsLongAsTheLongest() {
        // A chain: each array lives for two steps, so only neighbours meet.
        int[] lengths = {100, 60, 80, 40};
        int[] starts = {0, 1, 2, 3};
        int[] ends = {1, 2, 3, 4};
        ArenaPlanner.Assignment a = ArenaPlanner.plan(lengths, starts, ends);
        assertEquals(2, a.bufferSizes().length);
        assertEquals(a.bufferOf()[0], a.bufferOf()[2]);
        assertEquals(a.bufferOf()[1], a.bufferOf()[3]);
        assertEquals(100 + 60, a.totalFloats());
        assertEquals(160, ArenaPlanner.lowerBound(lengths, starts, ends));
    }

    @Test
    void aChainThatLongestFirstPlansBadlyGetsItsLowerBound() {
        // Longest first puts the first 300 with the 600 and needs a third buffer for the
        // 300 that meets both; in order of first steps the buffers alternate and the second
        // grows to 600.
        int[] lengths = {300, 200, 300, 300, 600};
        int[] starts = {0, 0, 1, 2, 3};
        int[] ends = {1, 0, 2, 3, 4};
        ArenaPlanner.Assignment a = ArenaPlanner.plan(lengths, starts, ends);
        assertEquals(ArenaPlanner.lowerBound(lengths, starts, ends), a.totalFloats());
        assertEquals(900, a.totalFloats());
    }

    @Test
    void arraysGoIntoABufferThatIsFreeForTheirWholeLifetime() {
        // Longest first: the 90 shares the 100's buffer (steps 5-6 are free there), the 50
        // meets the 100 and gets its own, and the 10 fits where the 90 is not: the 50's.
        int[] lengths = {100, 50, 90, 10};
        int[] starts = {0, 0, 5, 5};
        int[] ends = {1, 1, 6, 6};
        ArenaPlanner.Assignment a = ArenaPlanner.plan(lengths, starts, ends);
        assertEquals(150, a.totalFloats());
        assertEquals(a.bufferOf()[1], a.bufferOf()[3]);
    }

    @Test
    void randomLifetimesGetValidPlansNoSmallerThanTheLowerBound() {
        Random r = new Random(7);
        for (int trial = 0; trial < 500; trial++) {
            int n = 1 + r.nextInt(40);
            int[] lengths = new int[n];
            int[] starts = new int[n];
            int[] ends = new int[n];
            for (int i = 0; i < n; i++) {
                lengths[i] = r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(1000);
                starts[i] = r.nextInt(30);
                ends[i] = starts[i] + r.nextInt(r.nextBoolean() ? 3 : 15);
            }
            ArenaPlanner.Assignment a = ArenaPlanner.plan(lengths, starts, ends);
            for (int i = 0; i < n; i++) {
                int b = a.bufferOf()[i];
                assertTrue(a.bufferSizes()[b] >= lengths[i], "buffer too short, trial " + trial);
                for (int j = i + 1; j < n; j++) {
                    boolean meet = starts[i] <= ends[j] && starts[j] <= ends[i];
                    assertFalse(meet && b == a.bufferOf()[j],
                            "arrays " + i + " and " + j + " live together in buffer " + b);
                }
            }
            assertTrue(a.totalFloats() >= ArenaPlanner.lowerBound(lengths, starts, ends));
        }
    }

    @Test
    void lowerBoundCountsEveryStepOfALifetime() {
        assertEquals(0, ArenaPlanner.lowerBound(new int[0], new int[0], new int[0]));
        assertEquals(7, ArenaPlanner.lowerBound(new int[] {3, 4, 5}, new int[] {0, 2, 3},
                new int[] {2, 2, 3}));
        assertArrayEquals(new int[0], ArenaPlanner.plan(new int[0], new int[0], new int[0])
                .bufferSizes());
    }
}
