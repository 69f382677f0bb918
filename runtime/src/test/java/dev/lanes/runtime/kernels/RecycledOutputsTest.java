package dev.lanes.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.runtime.BufferPool;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.conv.GemmConvTranspose;
import dev.lanes.runtime.kernels.elementwise.BinaryKernel;
import dev.lanes.runtime.kernels.elementwise.VariadicKernel;
import dev.lanes.runtime.kernels.reduce.ReduceKernel;
import dev.lanes.runtime.kernels.reduce.SoftmaxKernel;
import dev.lanes.runtime.kernels.spatial.AutoPad;
import dev.lanes.runtime.kernels.spatial.ConvAttributes;
import dev.lanes.runtime.kernels.spatial.ConvTransposeKernel;
import dev.lanes.runtime.kernels.spatial.PadKernel;
import dev.lanes.runtime.kernels.spatial.ResizeKernel;
import dev.lanes.runtime.kernels.tensor.EyeLikeKernel;
import dev.lanes.runtime.kernels.tensor.SplitKernel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Kernels whose output comes from the run's buffers ({@link RunContext#output}) get arrays with
 * any contents: run on a pool whose arrays hold garbage, they must give what they give on
 * {@link RunContext#serial()}, whose arrays are fresh and zeroed. Catches a kernel that adds into
 * its output or leaves part of it unwritten.
 */
class RecycledOutputsTest {
    private static final Random RND = new Random(7);

    private static Tensor random(int... shape) {
        float[] v = new float[Tensor.checkedSize(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = RND.nextFloat() * 2 - 1;
        }
        return Tensor.of(v, shape);
    }

    /**
     * Runs {@code k} serially, then on one and two threads with a pool whose free arrays, of
     * each output's length, hold garbage; outputs must be equal and come from the pool.
     */
    private static void assertSameOnGarbage(Kernel k, Tensor... in) {
        Tensor[] want = k.run(in, RunContext.serial());
        for (int threads = 1; threads <= 2; threads++) {
            BufferPool pool = new BufferPool();
            Set<float[]> garbage = garbage(pool, want);
            Tensor[] got = k.run(in, new RunContext(threads, pool));
            assertEquals(want.length, got.length, "outputs");
            for (int i = 0; i < want.length; i++) {
                String what = "output " + i + " on " + threads + " thread(s)";
                assertArrayEquals(want[i].shapeView(), got[i].shapeView(), what);
                assertTrue(garbage.contains(got[i].floats()), what + " comes from the pool");
                assertArrayEquals(want[i].floats(), Arrays.copyOf(got[i].floats(),
                        got[i].size()), what);
            }
        }
    }

    /** Puts a few garbage-filled arrays of each output's length on the pool's free lists. */
    private static Set<float[]> garbage(BufferPool pool, Tensor[] outputs) {
        Set<float[]> made = Collections.newSetFromMap(new IdentityHashMap<>());
        List<float[]> held = new ArrayList<>();
        for (Tensor t : outputs) {
            for (int c = 0; c < 3; c++) {
                float[] a = pool.take(t.size());
                for (int i = 0; i < a.length; i++) {
                    a[i] = (i % 2 == 0 ? 1 : -1) * (12345.5f + i);
                }
                pool.retain(a);
                held.add(a);
                made.add(a);
            }
        }
        for (float[] a : held) {
            pool.release(a);
        }
        return made;
    }

    @Test
    void padWritesItsBorder() {
        Tensor x = random(2, 3, 4);
        long[] pads = {0, 1, 2, 1, 2, 1};
        assertSameOnGarbage(new PadKernel(PadKernel.Mode.CONSTANT, pads, 1.5), x);
        assertSameOnGarbage(new PadKernel(PadKernel.Mode.CONSTANT, pads, 0), x);
        assertSameOnGarbage(new PadKernel(PadKernel.Mode.REFLECT, pads, 0), x);
        assertSameOnGarbage(new PadKernel(PadKernel.Mode.EDGE, new long[] {0, -1, 0, 0, 0, 3},
                0), x);
    }

    @Test
    void convTransposeZeroesWhatCol2imAddsInto() {
        // Strides 2 with a 3x3 kernel: neighbouring columns overlap, and some output cells
        // (output padding) get no column at all.
        ConvAttributes a = new ConvAttributes(null, new int[] {2, 2}, null,
                new int[] {1, 0, 0, 1}, AutoPad.NOTSET, 2, new int[] {1, 1}, null);
        Tensor x = random(2, 4, 5, 5);
        Tensor w = random(4, 3, 3, 3);
        Tensor b = random(6);
        assertSameOnGarbage(new GemmConvTranspose(a, w), x, w, b);
        assertSameOnGarbage(new GemmConvTranspose(a, null), x, w);
        assertSameOnGarbage(new ConvTransposeKernel(a), x, w, b);
    }

    @Test
    void softmaxFamilyWritesWholeLines() {
        Tensor x = random(2, 5, 3);
        for (SoftmaxKernel.Mode m : SoftmaxKernel.Mode.values()) {
            assertSameOnGarbage(new SoftmaxKernel(m, 1, false), x);
            assertSameOnGarbage(new SoftmaxKernel(m, -1, false), x);
            assertSameOnGarbage(new SoftmaxKernel(m, 1, true), x);
        }
    }

    @Test
    void reductionsDoNotStartFromTheirOutput() {
        Tensor x = random(3, 4, 5);
        for (ReduceKernel.Op op : ReduceKernel.Op.values()) {
            Tensor in = op == ReduceKernel.Op.LOG_SUM ? absolute(x) : x;
            assertSameOnGarbage(new ReduceKernel(op, new int[] {1}, true, false), in);
            assertSameOnGarbage(new ReduceKernel(op, new int[] {0, 2}, false, false), in);
            assertSameOnGarbage(new ReduceKernel(op, null, false, false), in);
        }
    }

    @Test
    void splitTakesOneOutputPerPart() {
        Tensor x = random(2, 6, 2);
        assertSameOnGarbage(new SplitKernel(1, new long[] {1, 2, 3}, 3, false), x);
        assertSameOnGarbage(new SplitKernel(-1, null, 2, false), x);
    }

    @Test
    void otherKernelsThatFillOrAddIntoTheirOutput() {
        // Two resized axes: the first pass goes to a scratch array, the second to the output.
        ResizeKernel.Settings s = new ResizeKernel.Settings(ResizeKernel.Mode.LINEAR,
                ResizeKernel.CoordinateMode.HALF_PIXEL, ResizeKernel.NearestMode.FLOOR, -0.75f,
                false, 0f, false, ResizeKernel.AspectPolicy.STRETCH, null, null, -1, 1, -1);
        assertSameOnGarbage(new ResizeKernel(s), random(1, 2, 3, 4),
                Tensor.of(new float[] {1, 1, 2, 1.5f}, 4));
        assertSameOnGarbage(new EyeLikeKernel(DType.FLOAT, 1), random(3, 4));
        assertSameOnGarbage(new VariadicKernel(BinaryKernel.Op.ADD, true), random(2, 3),
                random(3), random(2, 3), random(1, 1));
    }

    private static Tensor absolute(Tensor t) {
        float[] v = Arrays.copyOf(t.floats(), t.size());
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.abs(v[i]);
        }
        return Tensor.of(v, t.shape());
    }
}
