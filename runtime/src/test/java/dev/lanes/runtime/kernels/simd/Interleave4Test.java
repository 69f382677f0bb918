package dev.lanes.runtime.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** {@link Interleave4} against its index definitions, at offsets that are not vector-aligned. */
class Interleave4Test {
    private static final int L = Interleave4.L;

    @Test
    void mergePutsPhaseRunsBackInColumnOrder() {
        Random r = new Random(7);
        for (int o = 0; o < 5; o++) {
            float[] v = random(r, 4 * L);
            float[] out = random(r, 4 * L + o + 3);
            float[] want = out.clone();
            for (int l = 0; l < L; l++) {
                for (int p = 0; p < 4; p++) {
                    want[o + 4 * l + p] = v[p * L + l];
                }
            }
            Interleave4.merge(vector(v, 0), vector(v, L), vector(v, 2 * L), vector(v, 3 * L), out,
                    o);
            assertArrayEquals(want, out, "offset " + o);
        }
    }

    @Test
    void splitTakesEveryFourthColumnPerPhase() {
        Random r = new Random(8);
        for (int xo = 0; xo < 5; xo++) {
            int step = L + 3 + xo;
            float[] x = random(r, 4 * L + xo);
            float[] out = random(r, 3 * step + L + 2);
            float[] want = out.clone();
            for (int p = 0; p < 4; p++) {
                for (int l = 0; l < L; l++) {
                    want[1 + p * step + l] = x[xo + 4 * l + p];
                }
            }
            Interleave4.split(x, xo, out, 1, step);
            assertArrayEquals(want, out, "offset " + xo);
        }
    }

    @Test
    void splitThenMergeIsTheIdentity() {
        float[] x = random(new Random(9), 4 * L);
        float[] phases = new float[4 * L];
        Interleave4.split(x, 0, phases, 0, L);
        float[] back = new float[4 * L];
        Interleave4.merge(vector(phases, 0), vector(phases, L), vector(phases, 2 * L),
                vector(phases, 3 * L), back, 0);
        assertArrayEquals(x, back);
    }

    private static FloatVector vector(float[] a, int o) {
        return FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, a, o);
    }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextFloat() - 0.5f;
        }
        return a;
    }
}
