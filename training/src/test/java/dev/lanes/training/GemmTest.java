package dev.lanes.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The vector matrix product and dot products against a plain triple loop in double, over sizes around the block and vector widths. */
class GemmTest {
    @Test
    void matchesThePlainProductForEveryBlockAndTailSize() {
        SplittableRandom rng = new SplittableRandom(71);
        int[] sizes = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33};
        for (int m : sizes) {
            for (int n : sizes) {
                int kd = 1 + rng.nextInt(20);
                boolean transposed = rng.nextBoolean();
                float[] a = GradCheck.uniform(rng, m * kd);
                float[] b = GradCheck.uniform(rng, kd * n);
                float[] c = GradCheck.uniform(rng, m * n);
                float[] expectedStart = c.clone();
                // Stored as [m][kd], or as [kd][m] and read transposed.
                int ars = transposed ? 1 : kd;
                int acs = transposed ? m : 1;
                Gemm.multiplyAdd(a, 0, ars, acs, m, kd, b, 0, n, c, 0);
                for (int r = 0; r < m; r++) {
                    for (int i = 0; i < n; i++) {
                        double s = expectedStart[r * n + i];
                        for (int j = 0; j < kd; j++) {
                            s += (double) a[r * ars + j * acs] * b[j * n + i];
                        }
                        assertEquals(s, c[r * n + i], 1e-5, "m " + m + " n " + n + " k " + kd + " at " + r + "," + i);
                    }
                }
            }
        }
    }

    @Test
    void dotMatchesThePlainSum() {
        SplittableRandom rng = new SplittableRandom(72);
        for (int n = 0; n < 70; n++) {
            float[] a = GradCheck.uniform(rng, n + 3);
            float[] b = GradCheck.uniform(rng, n + 5);
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += (double) a[3 + i] * b[5 + i];
            }
            assertEquals(s, Dot.dot(a, 3, b, 5, n), 1e-5, "n " + n);
        }
    }

    @Test
    void dot4MatchesFourPlainSums() {
        SplittableRandom rng = new SplittableRandom(73);
        for (int n = 0; n < 40; n++) {
            int stride = n + rng.nextInt(3);
            float[] a = GradCheck.uniform(rng, n + 1);
            float[] b = GradCheck.uniform(rng, 2 + 4 * stride + n);
            float[] out = new float[6];
            Dot.dot4(a, 1, b, 2, stride, n, out, 1);
            for (int r = 0; r < 4; r++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += (double) a[1 + i] * b[2 + r * stride + i];
                }
                assertEquals(s, out[1 + r], 1e-5, "n " + n + " row " + r);
            }
        }
    }
}
