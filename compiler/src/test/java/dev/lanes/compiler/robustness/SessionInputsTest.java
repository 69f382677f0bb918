package dev.lanes.compiler.robustness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.Lanes;
import dev.lanes.compiler.CompileOptions;
import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.SessionOptions;
import dev.lanes.runtime.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Wrong inputs to a session of a compiled model (two inputs a[N,4], b[N,4] sharing the symbol N):
 * each a {@link ShapeException} whose message says what to change.
 */
class SessionInputsTest {
    private Session session;

    @BeforeEach
    void load() {
        session = Lanes.load(TinyModels.twoInputs().toByteArray(), "two_inputs",
                SessionOptions.defaults(), CompileOptions.defaults());
    }

    @AfterEach
    void close() {
        session.close();
    }

    private static Tensor rows(int n, int width) {
        float[] v = new float[n * width];
        for (int i = 0; i < v.length; i++) {
            v[i] = i - 3;
        }
        return Tensor.of(v, n, width);
    }

    private static void shapeError(Executable e, String... fragments) {
        ShapeException x = assertThrows(ShapeException.class, e);
        for (String f : fragments) {
            assertTrue(x.getMessage().contains(f), "message lacks '" + f + "': " + x.getMessage());
        }
    }

    @Test
    void validInputsRun() {
        Map<String, Tensor> out = session.run(rows(2, 4), rows(2, 4));
        // y = relu(a + b + [1,2,3,4]); s = a + b
        assertArrayEquals(new float[] {0, 0, 1, 4, 3, 6, 9, 12}, out.get("y").floats());
        assertArrayEquals(new float[] {-6, -4, -2, 0, 2, 4, 6, 8}, out.get("s").floats());
        assertEquals(2, out.size());
    }

    @Test
    void unknownName() {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("a", rows(1, 4));
        in.put("b", rows(1, 4));
        in.put("c", rows(1, 4));
        shapeError(() -> session.run(in), "unknown input 'c'");
    }

    @Test
    void missingInput() {
        shapeError(() -> session.run(Map.of("b", rows(1, 4))), "missing input 'a'",
                "FLOAT[N,4]");
        shapeError(() -> session.run(rows(1, 4)), "takes 2 inputs", "1 were given");
    }

    @Test
    void wrongRank() {
        shapeError(() -> session.run(Tensor.of(new float[4], 4), rows(1, 4)), "input 'a'",
                "expected rank 2", "got rank 1");
    }

    @Test
    void wrongDimension() {
        shapeError(() -> session.run(rows(1, 4), rows(1, 5)), "input 'b' axis 1",
                "expected 4", "got 5");
    }

    @Test
    void wrongElementType() {
        shapeError(() -> session.run(rows(1, 4), Tensor.zeros(DType.INT32, 1, 4)), "input 'b'",
                "FLOAT", "INT32");
    }

    @Test
    void symbolBoundInconsistently() {
        shapeError(() -> session.run(rows(2, 4), rows(3, 4)), "'N'", "input 'b' axis 0",
                "is 3", "input 'a' axis 0", "set it to 2");
    }

    @Test
    void absurdSizes() {
        shapeError(() -> Tensor.of(new float[4], 1 << 20, 1 << 20, 4), "more elements");
        shapeError(() -> Tensor.of(new float[4], Integer.MAX_VALUE, Integer.MAX_VALUE),
                "more elements");
        shapeError(() -> Tensor.zeros(DType.FLOAT, 65536, 65536), "more elements");
    }

    @Test
    void sessionStillWorksAfterErrors() {
        assertThrows(ShapeException.class, () -> session.run(rows(2, 4), rows(3, 4)));
        assertEquals(3, session.run(rows(3, 4), rows(3, 4)).get("y").dim(0));
    }
}
