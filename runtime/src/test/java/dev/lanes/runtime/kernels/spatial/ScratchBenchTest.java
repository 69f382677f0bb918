package dev.lanes.runtime.kernels.spatial;

import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ScratchBenchTest {
    @Test
    void bench() {
        Random rnd = new Random(1);
        int[][] shapes = {{3, 224, 64, 7, 2, 3}, {64, 56, 64, 3, 1, 1}, {128, 28, 128, 3, 1, 1},
            {256, 14, 256, 3, 1, 1}, {512, 7, 512, 3, 1, 1}, {64, 56, 128, 1, 2, 0}};
        for (int[] s : shapes) {
            Tensor x = ConvKernelTest.random(rnd, 1, s[0], s[1], s[1]);
            Tensor w = ConvKernelTest.random(rnd, s[2], s[0], s[3], s[3]);
            ConvKernel k = new ConvKernel(ConvAttributes.conv(null, new int[] {s[4], s[4]}, null,
                    new int[] {s[5], s[5], s[5], s[5]}, AutoPad.NOTSET, 1));
            Tensor y = null;
            for (int i = 0; i < 3; i++) {
                y = k.run(new Tensor[] {x, w}, RunContext.serial())[0];
            }
            long t0 = System.nanoTime();
            int reps = 5;
            for (int i = 0; i < reps; i++) {
                y = k.run(new Tensor[] {x, w}, RunContext.serial())[0];
            }
            double sec = (System.nanoTime() - t0) / 1e9 / reps;
            double flops = 2.0 * y.size() * s[0] * s[3] * s[3];
            System.out.printf("conv %s: %.2f ms, %.2f GFLOP/s%n", java.util.Arrays.toString(s),
                    sec * 1e3, flops / sec / 1e9);
        }
    }
}
