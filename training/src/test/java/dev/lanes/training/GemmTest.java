package dev.lanes.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The vector matrix product against a plain triple loop in double, over sizes around the block and vector widths. */
class GemmTest {
    @Test
    void matchesThePlainProductForEveryBlockAndTailSize() {
        SplittableRandom rng = new SplittableRandom(71);
        int[] sizes = {1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 23, 25, 31, 33, 47, 100};
        for (int m : sizes) {
            for (int n : sizes) {
                int kd = 1 + rng.nextInt(20);
                boolean transposed = rng.nextBoolean();
                float[] a = GradCheck.uniform(rng, m * kd);
                float[] b = GradCheck.uniform(rng, kd * n);
                // Garbage in C, which the product overwrites, and a guard on each side of it.
                float[] c = GradCheck.uniform(rng, m * n + 2);
                float before = c[0];
                float after = c[m * n + 1];
                // Stored as [m][kd], or as [kd][m] and read transposed.
                int ars = transposed ? 1 : kd;
                int acs = transposed ? m : 1;
                Gemm.multiply(a, 0, ars, acs, m, kd, b, 0, n, c, 1);
                for (int r = 0; r < m; r++) {
                    for (int i = 0; i < n; i++) {
                        double s = 0;
                        for (int j = 0; j < kd; j++) {
                            s += (double) a[r * ars + j * acs] * b[j * n + i];
                        }
                        assertEquals(s, c[1 + r * n + i], 1e-5, "m " + m + " n " + n + " k " + kd + " at " + r + "," + i);
                    }
                }
                assertEquals(before, c[0], "m " + m + " n " + n + ": wrote before C");
                assertEquals(after, c[m * n + 1], "m " + m + " n " + n + ": wrote after C");
            }
        }
    }

    @Test
    void rowsComputedApartEqualRowsComputedTogetherBitForBit() {
        SplittableRandom rng = new SplittableRandom(72);
        int m = 23;
        int kd = 37;
        int n = 29;
        float[] a = GradCheck.uniform(rng, m * kd);
        float[] b = GradCheck.uniform(rng, kd * n);
        float[] together = new float[m * n];
        Gemm.multiply(a, 0, kd, 1, m, kd, b, 0, n, together, 0);
        float[] apart = new float[m * n];
        for (int r = 0; r < m; r++) {
            Gemm.multiply(a, r * kd, kd, 1, 1, kd, b, 0, n, apart, r * n);
        }
        assertArrayEquals(together, apart);
    }
}
