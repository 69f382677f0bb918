package dev.lanes.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.errors.LanesException;
import dev.lanes.errors.ShapeException;
import dev.lanes.formats.ElementType;
import dev.lanes.formats.TensorData;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Tensor construction rejects sizes that do not add up, with a message naming the shape. */
class TensorTest {
    private static void shapeError(Executable e, String... fragments) {
        ShapeException x = assertThrows(ShapeException.class, e);
        for (String f : fragments) {
            assertTrue(x.getMessage().contains(f), "message lacks '" + f + "': " + x.getMessage());
        }
    }

    @Test
    void productThatOverflowsIsRejectedBeforeAllocating() {
        int big = 1 << 16;
        shapeError(() -> Tensor.of(new float[4], big, big, 4), "[65536, 65536, 4]",
                "more elements");
        shapeError(() -> Tensor.zeros(DType.FLOAT, big, big, big), "more elements");
        shapeError(() -> Tensor.zeros(DType.INT64, Integer.MAX_VALUE, 2), "more elements");
        // A product that wraps to a small positive int must not sneak through.
        shapeError(() -> Tensor.of(new float[0], 1 << 16, 1 << 16, 0, 1 << 30));
        shapeError(() -> Tensor.of(FloatBuffer.allocate(4), big, big), "more elements");
        shapeError(() -> Tensor.ofLongs(new long[1], big, big, big), "more elements");
    }

    @Test
    void negativeDimension() {
        shapeError(() -> Tensor.of(new float[6], 2, -3), "dimension 1", "negative");
        shapeError(() -> Tensor.zeros(DType.FLOAT, -1), "negative");
    }

    @Test
    void lengthThatDoesNotMatchTheShape() {
        shapeError(() -> Tensor.of(new float[5], 2, 3), "[2, 3]", "needs 6", "5 were given");
        shapeError(() -> Tensor.ofLongs(new long[7], 2, 3), "needs 6");
        shapeError(() -> Tensor.of(FloatBuffer.allocate(5), 2, 3), "5 floats", "needs 6");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(20);
            shapeError(() -> Tensor.of(seg, 2, 3), "20 bytes", "needs 24");
        }
        shapeError(() -> Tensor.of(new float[6], 2, 3).reshape(4, 2), "needs 8");
    }

    @Test
    void copiesFromBuffersAndSegments() {
        FloatBuffer fb = FloatBuffer.wrap(new float[] {9, 1, 2, 3});
        fb.position(1);
        Tensor t = Tensor.of(fb, 3);
        assertArrayEquals(new float[] {1, 2, 3}, t.floats());
        assertEquals(1, fb.position(), "the caller's buffer position is left alone");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(ValueLayout.JAVA_FLOAT, 2);
            seg.setAtIndex(ValueLayout.JAVA_FLOAT, 1, 5f);
            assertArrayEquals(new float[] {0, 5}, Tensor.of(seg, 2).floats());
        }
    }

    @Test
    void wrongValueKind() {
        shapeError(() -> Tensor.ofLongs(new long[1], 1).floats(), "INT64", "FLOAT");
        shapeError(() -> Tensor.scalar(1).longs(), "FLOAT");
        assertThrows(IllegalArgumentException.class, () -> Tensor.ofLongs(DType.FLOAT,
                new long[1], 1));
    }

    @Test
    void fromFileDataConvertsOrExplains() {
        TensorData d = new TensorData("w", ElementType.DOUBLE, new long[] {2},
                new double[] {1.5, -2});
        Tensor t = Tensor.from(d);
        assertEquals(DType.FLOAT, t.dtype());
        assertArrayEquals(new float[] {1.5f, -2f}, t.floats());
        TensorData h = new TensorData("h", ElementType.FLOAT16, new long[] {1}, new float[] {2});
        assertEquals(DType.FLOAT, Tensor.from(h).dtype());
        TensorData u = new TensorData("u", ElementType.UINT8, new long[] {2}, new long[] {0, 255});
        assertEquals(DType.UINT8, Tensor.from(u).dtype());
        TensorData s = new TensorData("s", ElementType.STRING, new long[] {1},
                new byte[][] {{1}});
        LanesException e = assertThrows(LanesException.class, () -> Tensor.from(s));
        assertTrue(e.getMessage().contains("'s'") && e.getMessage().contains("STRING"),
                e.getMessage());
    }

    @Test
    void roundTripThroughFileData() {
        Tensor t = Tensor.ofLongs(DType.INT32, new long[] {1, -2, 3, 4}, 2, 2);
        Tensor back = Tensor.from(t.toData("t"));
        assertEquals(DType.INT32, back.dtype());
        assertArrayEquals(t.longs(), back.longs());
        assertArrayEquals(t.shape(), back.shape());
    }

    @Test
    void shapeAccessors() {
        Tensor t = Tensor.zeros(DType.FLOAT, 2, 3, 4);
        assertEquals(4, t.dim(-1));
        assertEquals(2, t.dim(0));
        assertEquals(24, t.size());
        int[] s = t.shape();
        s[0] = 99;
        assertEquals(2, t.dim(0), "shape() is a copy");
        Tensor c = t.copy();
        assertNotSame(t.floats(), c.floats());
        assertEquals(0, Tensor.zeros(DType.FLOAT, 3, 0).size());
        assertEquals(1, Tensor.scalar(2).size());
    }
}
