package dev.lanes.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.errors.ShapeException;
import org.junit.jupiter.api.Test;

/** The training tensor: shape checks, shared reshapes, copies, and the backend's shape errors. */
class TensorTest {
    @Test
    void shapeAndDataMustAgree() {
        ShapeException e = assertThrows(ShapeException.class, () -> new Tensor(new int[] {2, 3}, new float[5]));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("6") && e.getMessage().contains("5"),
                e.getMessage());
        assertThrows(ShapeException.class, () -> Tensor.zeros(2, -1));
        assertThrows(ShapeException.class, () -> Tensor.zeros(1 << 16, 1 << 16));
    }

    @Test
    void reshapeSharesAndCopyDoesNot() {
        Tensor t = Tensor.zeros(2, 3);
        Tensor r = t.reshape(3, 2);
        r.data()[5] = 7f;
        assertEquals(7f, t.data()[5]);
        Tensor c = t.copy();
        c.data()[5] = 1f;
        assertEquals(7f, t.data()[5]);
        assertArrayEquals(new int[] {2, 3}, c.shape());
        assertThrows(ShapeException.class, () -> t.reshape(4, 2));
    }

    @Test
    void backendShapeErrorsNameTheOperationAndShapes() {
        try (CpuBackend b = new CpuBackend(1)) {
            ShapeException mm = assertThrows(ShapeException.class,
                    () -> b.matmul(Tensor.zeros(2, 3), false, Tensor.zeros(4, 5), false));
            assertTrue(mm.getMessage().contains("matmul") && mm.getMessage().contains("[2, 3]")
                    && mm.getMessage().contains("[4, 5]"), mm.getMessage());
            ShapeException add = assertThrows(ShapeException.class, () -> b.add(Tensor.zeros(2), Tensor.zeros(3)));
            assertTrue(add.getMessage().contains("add") && add.getMessage().contains("[3]"), add.getMessage());
            ShapeException groups = assertThrows(ShapeException.class,
                    () -> b.conv2d(Tensor.zeros(1, 4, 5, 5), Tensor.zeros(3, 2, 3, 3), null, new ConvSpec(1, 0, 2)));
            assertTrue(groups.getMessage().contains("2 groups"), groups.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new CpuBackend(0));
        assertThrows(IllegalArgumentException.class, () -> new ConvSpec(0, 0, 1));
    }
}
