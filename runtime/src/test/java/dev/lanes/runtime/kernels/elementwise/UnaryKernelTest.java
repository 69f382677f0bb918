package dev.lanes.runtime.kernels.elementwise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import org.junit.jupiter.api.Test;

class UnaryKernelTest {
    private static float one(UnaryKernel k, float x) {
        return k.run(new Tensor[] {Tensor.scalar(x)}, RunContext.serial())[0].floats()[0];
    }

    @Test
    void erfMatchesTabulatedValues() {
        double[][] table = {{0, 0}, {0.1, 0.1124629160}, {0.5, 0.5204998778}, {1, 0.8427007929},
            {2, 0.9953222650}, {3, 0.9999779095}, {3.9, 0.9999999652}, {5, 1}};
        for (double[] row : table) {
            assertEquals(row[1], Erf.erf(row[0]), 1e-9, "erf(" + row[0] + ")");
            assertEquals(-row[1], Erf.erf(-row[0]), 1e-9, "erf(-" + row[0] + ")");
        }
    }

    @Test
    void activations() {
        assertEquals(-0.1f, one(new UnaryKernel(UnaryKernel.Op.LEAKY_RELU, 0.1f, 0, 0), -1f),
                1e-7f);
        assertEquals(0.5f, one(new UnaryKernel(UnaryKernel.Op.SIGMOID), 0f), 0f);
        assertEquals(1f, one(new UnaryKernel(UnaryKernel.Op.SIGMOID), 200f), 0f);
        assertEquals(0f, one(new UnaryKernel(UnaryKernel.Op.SIGMOID), -200f), 0f);
        assertEquals(0.8413447f, one(new UnaryKernel(UnaryKernel.Op.GELU), 1f), 1e-6f);
        assertEquals(0.8411920f, one(new UnaryKernel(UnaryKernel.Op.GELU_TANH), 1f), 1e-6f);
        assertEquals(2f / 3, one(new UnaryKernel(UnaryKernel.Op.HARD_SWISH), 1f), 1e-6f);
        assertEquals(100f, one(new UnaryKernel(UnaryKernel.Op.SOFTPLUS), 100f), 1e-5f);
        assertEquals(0.7f, one(new UnaryKernel(UnaryKernel.Op.HARD_SIGMOID, 0.2f, 0.5f, 0), 1f),
                1e-6f);
        assertEquals(2f, one(new UnaryKernel(UnaryKernel.Op.ROUND), 2.5f), 0f);
        assertEquals(-2f, one(new UnaryKernel(UnaryKernel.Op.ROUND), -1.5f), 0f);
        assertEquals(-0.5f, one(new UnaryKernel(UnaryKernel.Op.SHRINK, 0.5f, 0.5f, 0), -1f), 0f);
        assertEquals(0f, one(new UnaryKernel(UnaryKernel.Op.SHRINK, 0.5f, 0.5f, 0), 0.4f), 0f);
    }

    @Test
    void integersKeepTheirTypeAndWrap() {
        Tensor t = Tensor.ofLongs(DType.INT8, new long[] {-128, -3, 0, 5}, 4);
        Tensor neg = new UnaryKernel(UnaryKernel.Op.NEG).run(new Tensor[] {t},
                RunContext.serial())[0];
        assertEquals(DType.INT8, neg.dtype());
        assertArrayEquals(new long[] {-128, 3, 0, -5}, neg.longs());
        Tensor abs = new UnaryKernel(UnaryKernel.Op.ABS).run(new Tensor[] {t},
                RunContext.serial())[0];
        assertArrayEquals(new long[] {-128, 3, 0, 5}, abs.longs());
        Tensor sign = new UnaryKernel(UnaryKernel.Op.SIGN).run(new Tensor[] {t},
                RunContext.serial())[0];
        assertArrayEquals(new long[] {-1, -1, 0, 1}, sign.longs());
        assertThrows(ShapeException.class, () -> new UnaryKernel(UnaryKernel.Op.EXP)
                .run(new Tensor[] {t}, RunContext.serial()));
    }

    @Test
    void doesNotWriteItsInput() {
        float[] x = {-1, 2};
        new UnaryKernel(UnaryKernel.Op.RELU).run(new Tensor[] {Tensor.of(x, 2)},
                RunContext.serial());
        assertArrayEquals(new float[] {-1, 2}, x);
    }
}
