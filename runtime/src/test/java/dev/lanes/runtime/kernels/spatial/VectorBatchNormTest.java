package dev.lanes.runtime.kernels.spatial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** BatchNormKernel's vector scale-and-shift against its scalar loop. */
class VectorBatchNormTest {
    private static Tensor random(Random rnd, float lo, int... shape) {
        float[] v = new float[Tensor.checkedSize(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + rnd.nextFloat() * 2;
        }
        return Tensor.of(v, shape);
    }

    @Test
    void perChannelScaleAndShiftEqualsTheScalarLoopExactly() {
        Random rnd = new Random(21);
        int[][] shapes = {{1, 3, 7, 7}, {2, 16, 17}, {3, 5}, {1, 32, 56, 56}, {2, 4, 1, 1},
            {1, 6, 3, 4, 5}};
        BatchNormKernel k = new BatchNormKernel(1e-5f);
        for (int[] shape : shapes) {
            int c = shape[1];
            Tensor[] in = {random(rnd, -1, shape), random(rnd, -1, c), random(rnd, -1, c),
                random(rnd, -1, c), random(rnd, 0.1f, c)};
            float[] want = k.runReference(in)[0].floats();
            for (RunContext ctx : new RunContext[] {RunContext.serial(), new RunContext(2)}) {
                assertArrayEquals(want, k.run(in, ctx)[0].floats(), Arrays.toString(shape));
            }
        }
    }
}
