package dev.lanes.compiler.ops;

import static dev.lanes.compiler.ops.MathOpsTestSupport.infer;
import static dev.lanes.compiler.ops.MathOpsTestSupport.node;
import static dev.lanes.compiler.ops.MathOpsTestSupport.run;
import static dev.lanes.compiler.ops.MathOpsTestSupport.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lanes.compiler.ir.Node;
import dev.lanes.errors.ModelFormatException;
import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinalgOpsTest {
    @Test
    void gemmShapes() {
        Node n = node("Gemm", 13, List.of(value("a", DType.FLOAT, 5, "N"),
                value("b", DType.FLOAT, 10, 5), value("c", DType.FLOAT, 10)), "transA", 1L,
                "transB", 1L);
        assertEquals("FLOAT[N, 10]", infer(n).toString());
        Node bad = node("Gemm", 13, List.of(value("a", DType.FLOAT, 2, 3),
                value("b", DType.FLOAT, 4, 5)));
        assertThrows(ShapeException.class, () -> infer(bad));
        Node noC = node("Gemm", 9, List.of(value("a", DType.FLOAT, 1, 1),
                value("b", DType.FLOAT, 1, 1)));
        assertThrows(ModelFormatException.class, () -> OpRegistry.defaults().find(noC)
                .lower(noC));
        Node fc = node("Gemm", 11, List.of(value("a", DType.FLOAT, 1, 2),
                value("b", DType.FLOAT, 3, 2)), "transB", 1L, "alpha", 2f);
        Tensor y = run(fc, Tensor.of(new float[] {1, 2}, 1, 2),
                Tensor.of(new float[] {1, 0, 0, 1, 1, 1}, 3, 2));
        assertArrayEquals(new float[] {2, 4, 6}, y.floats());
    }

    @Test
    void matMulShapes() {
        assertEquals("FLOAT[B, 2, 3, 5]", infer(node("MatMul", 13, List.of(
                value("a", DType.FLOAT, "B", 1, 3, 4), value("b", DType.FLOAT, 2, 4, 5))))
                .toString());
        assertEquals("FLOAT[2, 3]", infer(node("MatMul", 13, List.of(
                value("a", DType.FLOAT, 2, 3, 4), value("b", DType.FLOAT, 4)))).toString());
        assertEquals("FLOAT[]", infer(node("MatMul", 13, List.of(
                value("a", DType.FLOAT, 4), value("b", DType.FLOAT, 4)))).toString());
        assertEquals("FLOAT[5]", infer(node("MatMul", 13, List.of(
                value("a", DType.FLOAT, 4), value("b", DType.FLOAT, 4, 5)))).toString());
        assertThrows(ShapeException.class, () -> infer(node("MatMul", 13, List.of(
                value("a", DType.FLOAT, 2, 3, 4), value("b", DType.FLOAT, 3, 4, 5)))));
    }
}
