package dev.lanes.compiler.ops;

import static dev.lanes.compiler.ops.MathOpsTestSupport.constant;
import static dev.lanes.compiler.ops.MathOpsTestSupport.infer;
import static dev.lanes.compiler.ops.MathOpsTestSupport.node;
import static dev.lanes.compiler.ops.MathOpsTestSupport.run;
import static dev.lanes.compiler.ops.MathOpsTestSupport.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.Value;
import dev.lanes.errors.ModelFormatException;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReduceOpsTest {
    private static final Tensor X = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);

    @Test
    void axesAttributeBeforeTheirInputOpset() {
        Value x = value("x", DType.FLOAT, "N", 3);
        Node mean13 = node("ReduceMean", 13, List.of(x), "axes", new long[] {-1}, "keepdims",
                0L);
        assertEquals("FLOAT[N]", infer(mean13).toString());
        assertArrayEquals(new float[] {2, 5}, run(mean13, X).floats());
        Node sum11 = node("ReduceSum", 11, List.of(x), "axes", new long[] {0});
        assertEquals("FLOAT[1, 3]", infer(sum11).toString());
        assertArrayEquals(new float[] {5, 7, 9}, run(sum11, X).floats());
    }

    @Test
    void axesInputFromTheirOpset() {
        Value x = value("x", DType.FLOAT, "N", 3);
        Node sum13 = node("ReduceSum", 13, List.of(x, constant("a", Tensor.vector(1))));
        assertEquals("FLOAT[N, 1]", infer(sum13).toString());
        assertArrayEquals(new float[] {6, 15}, run(sum13, X, Tensor.vector(1)).floats());
        Node max18 = node("ReduceMax", 18, List.of(x, value("a", DType.INT64, 1)), "keepdims",
                0L);
        assertFalse(infer(max18).hasRank());
        Node kept = node("ReduceMax", 18, List.of(x, value("a", DType.INT64, 1)));
        assertEquals("FLOAT[?, ?]", infer(kept).toString());
        assertArrayEquals(new float[] {3, 6}, run(max18, X, Tensor.vector(-1)).floats());
        Node noop = node("ReduceL2", 18, List.of(x), "noop_with_empty_axes", 1L);
        assertEquals("FLOAT[N, 3]", infer(noop).toString());
        Node all = node("ReduceLogSumExp", 18, List.of(x), "keepdims", 0L);
        assertEquals("FLOAT[]", infer(all).toString());
        assertEquals(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3) + Math.exp(4)
                + Math.exp(5) + Math.exp(6)), run(all, X).floats()[0], 1e-5);
        Node bad = node("ReduceProd", 13, List.of(x), "axes", new long[] {2});
        assertThrows(ModelFormatException.class, () -> infer(bad));
    }

    @Test
    void argMaxIsInt64() {
        Value x = value("x", DType.FLOAT, "N", 3);
        Node n = node("ArgMax", 13, List.of(x), "axis", 1L, "keepdims", 0L);
        assertEquals("INT64[N]", infer(n).toString());
        assertArrayEquals(new long[] {2, 2}, run(n, X).longs());
        Node m = node("ArgMin", 13, List.of(x));
        assertEquals("INT64[1, 3]", infer(m).toString());
    }

    @Test
    void softmaxOpsetForms() {
        Tensor x = Tensor.of(new float[] {0, 0, 0, 0}, 1, 2, 2);
        Node old = node("Softmax", 11, List.of(value("x", DType.FLOAT, 1, 2, 2)));
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, run(old, x).floats());
        Node now = node("Softmax", 13, List.of(value("x", DType.FLOAT, 1, 2, 2)));
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, run(now, x).floats());
        assertEquals("FLOAT[1, 2, 2]", infer(now).toString());
    }
}
