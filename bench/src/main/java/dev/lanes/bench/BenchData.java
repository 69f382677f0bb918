package dev.lanes.bench;

import dev.lanes.runtime.Tensor;
import java.util.SplittableRandom;

/** Seeded random operands for the benchmarks. */
final class BenchData {
    private BenchData() {
    }

    /** {@code n} values uniform in [-1, 1) from a fixed seed. */
    static float[] floats(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (2 * r.nextDouble() - 1);
        }
        return f;
    }

    /** A FLOAT tensor of the shape with seeded random values. */
    static Tensor tensor(long seed, int... shape) {
        return Tensor.of(floats(Tensor.checkedSize(shape), seed), shape);
    }
}
