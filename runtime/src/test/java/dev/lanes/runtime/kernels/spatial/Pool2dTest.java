package dev.lanes.runtime.kernels.spatial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The vectorized 2-D pooling against the general reference over random shapes. */
class Pool2dTest {
    @Test
    void matchesTheReferenceOverRandomShapes() {
        Random r = new Random(42);
        for (int trial = 0; trial < 300; trial++) {
            boolean max = r.nextBoolean();
            int n = 1 + r.nextInt(2);
            int c = 1 + r.nextInt(5);
            int kh = 1 + r.nextInt(4);
            int kw = 1 + r.nextInt(4);
            int h = kh + r.nextInt(30);
            int w = kw + r.nextInt(45);
            int[] strides = {1 + r.nextInt(3), 1 + r.nextInt(3)};
            int[] pads = {r.nextInt(kh), r.nextInt(kw), r.nextInt(kh), r.nextInt(kw)};
            boolean ceil = r.nextBoolean();
            boolean includePad = r.nextBoolean();
            AutoPad auto = switch (r.nextInt(5)) {
                case 0 -> AutoPad.SAME_UPPER;
                case 1 -> AutoPad.SAME_LOWER;
                case 2 -> AutoPad.VALID;
                default -> AutoPad.NOTSET;
            };
            if (auto != AutoPad.NOTSET) {
                ceil = false;
            }
            float[] x = new float[n * c * h * w];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextFloat() * 4 - 2;
            }
            Tensor in = Tensor.of(x, n, c, h, w);
            int[] k = {kh, kw};
            Tensor want = new PoolKernel(max ? PoolKernel.Type.MAX : PoolKernel.Type.AVERAGE, k,
                    strides, null, pads, auto, ceil, includePad, 2f, false, false)
                    .run(new Tensor[] {in}, RunContext.serial())[0];
            Tensor got = new Pool2d(max, k, strides, pads, auto, ceil, includePad, null)
                    .run(new Tensor[] {in}, new RunContext(1 + trial % 2))[0];
            String what = "trial " + trial + (max ? " max" : " avg") + " k" + kh + "x" + kw
                    + " s" + strides[0] + "x" + strides[1] + " pads "
                    + java.util.Arrays.toString(pads) + " " + auto + " ceil " + ceil;
            assertArrayEquals(want.shapeView(), got.shapeView(), what);
            for (int i = 0; i < want.size(); i++) {
                // Max is exact; an average sums at most 16 floats in another order.
                assertEquals(want.floats()[i], got.floats()[i], max ? 0 : 1e-6, what + " @" + i);
            }
        }
    }
}
