package dev.lanes.runtime.kernels.reduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReduceKernelTest {
    private static final RunContext CTX = RunContext.serial();

    private static Tensor reduce(ReduceKernel.Op op, Tensor x, int[] axes, boolean keep) {
        return new ReduceKernel(op, axes, keep, false).run(new Tensor[] {x}, CTX)[0];
    }

    /** Reduction of a rank-3 tensor by the definition: loops over every index. */
    private static double naive(ReduceKernel.Op op, float[] x, int[] s, boolean[] red, int i0,
            int i1, int i2) {
        double acc = switch (op) {
            case PROD -> 1;
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
            default -> 0;
        };
        int count = 0;
        double lseMax = Double.NEGATIVE_INFINITY;
        for (int pass = 0; pass < (op == ReduceKernel.Op.LOG_SUM_EXP ? 2 : 1); pass++) {
            for (int a = 0; a < s[0]; a++) {
                for (int b = 0; b < s[1]; b++) {
                    for (int c = 0; c < s[2]; c++) {
                        if ((!red[0] && a != i0) || (!red[1] && b != i1)
                                || (!red[2] && c != i2)) {
                            continue;
                        }
                        double v = x[(a * s[1] + b) * s[2] + c];
                        if (op == ReduceKernel.Op.LOG_SUM_EXP) {
                            if (pass == 0) {
                                lseMax = Math.max(lseMax, v);
                            } else {
                                acc += Math.exp(v - lseMax);
                            }
                            continue;
                        }
                        count++;
                        acc = switch (op) {
                            case SUM, MEAN, LOG_SUM -> acc + v;
                            case L1 -> acc + Math.abs(v);
                            case L2, SUM_SQUARE -> acc + v * v;
                            case PROD -> acc * v;
                            case MAX -> Math.max(acc, v);
                            case MIN -> Math.min(acc, v);
                            case LOG_SUM_EXP -> acc;
                        };
                    }
                }
            }
        }
        return switch (op) {
            case MEAN -> acc / count;
            case L2 -> Math.sqrt(acc);
            case LOG_SUM -> Math.log(acc);
            case LOG_SUM_EXP -> Math.log(acc) + lseMax;
            default -> acc;
        };
    }

    @Test
    void everyAxisSubsetMatchesTheDefinition() {
        Random r = new Random(11);
        int[] s = {3, 4, 5};
        float[] x = new float[60];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat() + 0.5f;
        }
        Tensor t = Tensor.of(x, s);
        for (ReduceKernel.Op op : ReduceKernel.Op.values()) {
            for (int mask = 1; mask < 8; mask++) {
                boolean[] red = {(mask & 1) != 0, (mask & 2) != 0, (mask & 4) != 0};
                int[] axes = java.util.stream.IntStream.range(0, 3).filter(i -> red[i])
                        .map(i -> i == 2 ? -1 : i).toArray();
                Tensor y = reduce(op, t, axes, true);
                int[] os = {red[0] ? 1 : 3, red[1] ? 1 : 4, red[2] ? 1 : 5};
                assertArrayEquals(os, y.shapeView());
                for (int a = 0; a < os[0]; a++) {
                    for (int b = 0; b < os[1]; b++) {
                        for (int c = 0; c < os[2]; c++) {
                            double want = naive(op, x, s, red, a, b, c);
                            assertEquals(want, y.floats()[(a * os[1] + b) * os[2] + c],
                                    1e-5 * Math.max(1, Math.abs(want)), op + " mask " + mask);
                        }
                    }
                }
                Tensor dropped = reduce(op, t, axes, false);
                assertEquals(3 - Integer.bitCount(mask), dropped.rank());
            }
        }
    }

    @Test
    void axesFromInputAndEmptyAxes() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor y = new ReduceKernel(ReduceKernel.Op.SUM, null, false, false)
                .run(new Tensor[] {x, Tensor.vector(0)}, CTX)[0];
        assertArrayEquals(new float[] {4, 6}, y.floats());
        Tensor all = new ReduceKernel(ReduceKernel.Op.SUM, null, true, false)
                .run(new Tensor[] {x, Tensor.vector()}, CTX)[0];
        assertArrayEquals(new int[] {1, 1}, all.shapeView());
        assertEquals(10f, all.floats()[0]);
        Tensor noop = new ReduceKernel(ReduceKernel.Op.SUM_SQUARE, null, true, true)
                .run(new Tensor[] {x, null}, CTX)[0];
        assertArrayEquals(new float[] {1, 4, 9, 16}, noop.floats());
        assertThrows(ShapeException.class, () -> reduce(ReduceKernel.Op.SUM, x, new int[] {2},
                true));
    }

    @Test
    void emptyReductionGivesTheIdentity() {
        Tensor x = Tensor.of(new float[0], 2, 0);
        assertArrayEquals(new float[] {0, 0}, reduce(ReduceKernel.Op.SUM, x, new int[] {1},
                false).floats());
        assertArrayEquals(new float[] {1, 1}, reduce(ReduceKernel.Op.PROD, x, new int[] {1},
                false).floats());
        assertEquals(Float.NEGATIVE_INFINITY, reduce(ReduceKernel.Op.LOG_SUM_EXP, x,
                new int[] {1}, false).floats()[0]);
    }

    @Test
    void integerReductionsWrap() {
        Tensor x = Tensor.ofLongs(DType.INT8, new long[] {100, 100, -7, 2}, 2, 2);
        Tensor s = reduce(ReduceKernel.Op.SUM, x, new int[] {1}, false);
        assertEquals(DType.INT8, s.dtype());
        assertArrayEquals(new long[] {-56, -5}, s.longs());
        assertArrayEquals(new long[] {100, 2},
                reduce(ReduceKernel.Op.MAX, x, new int[] {1}, false).longs());
    }

    @Test
    void argMaxAndArgMin() {
        Tensor x = Tensor.of(new float[] {1, 3, 3, 0, 5, 5}, 2, 3);
        Tensor first = new ArgReduceKernel(true, 1, true, false).run(new Tensor[] {x}, CTX)[0];
        assertEquals(DType.INT64, first.dtype());
        assertArrayEquals(new int[] {2, 1}, first.shapeView());
        assertArrayEquals(new long[] {1, 1}, first.longs());
        Tensor last = new ArgReduceKernel(true, -1, false, true).run(new Tensor[] {x}, CTX)[0];
        assertArrayEquals(new long[] {2, 2}, last.longs());
        Tensor min = new ArgReduceKernel(false, 0, false, false).run(new Tensor[] {x}, CTX)[0];
        assertArrayEquals(new long[] {1, 0, 0}, min.longs());
    }

    @Test
    void softmaxFormsAndStability() {
        Tensor x = Tensor.of(new float[] {1000, 1001, 1002, 0, 0, 0}, 2, 3);
        Tensor y = new SoftmaxKernel(SoftmaxKernel.Mode.SOFTMAX, -1, false)
                .run(new Tensor[] {x}, CTX)[0];
        assertArrayEquals(new float[] {0.09003057f, 0.24472848f, 0.66524094f, 1f / 3, 1f / 3,
            1f / 3}, y.floats(), 1e-6f);
        Tensor log = new SoftmaxKernel(SoftmaxKernel.Mode.LOG_SOFTMAX, 1, false)
                .run(new Tensor[] {x}, CTX)[0];
        assertEquals(Math.log(0.09003057), log.floats()[0], 1e-5);
        Tensor hard = new SoftmaxKernel(SoftmaxKernel.Mode.HARDMAX, 0, false)
                .run(new Tensor[] {x}, CTX)[0];
        assertArrayEquals(new float[] {1, 1, 1, 0, 0, 0}, hard.floats());
        // Opset < 13: [2, 1, 3] at axis 1 is coerced to [2, 3], so each row sums to 1.
        Tensor legacy = new SoftmaxKernel(SoftmaxKernel.Mode.SOFTMAX, 1, true)
                .run(new Tensor[] {x.reshape(2, 1, 3)}, CTX)[0];
        assertArrayEquals(y.floats(), legacy.floats(), 1e-6f);
        Tensor newForm = new SoftmaxKernel(SoftmaxKernel.Mode.SOFTMAX, 1, false)
                .run(new Tensor[] {x.reshape(2, 1, 3)}, CTX)[0];
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, newForm.floats());
        assertThrows(ShapeException.class, () -> new SoftmaxKernel(SoftmaxKernel.Mode.SOFTMAX,
                2, false).run(new Tensor[] {x}, CTX));
    }
}
