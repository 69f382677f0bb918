package dev.lanes.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.errors.LanesException;
import dev.lanes.errors.ModelFormatException;
import dev.lanes.errors.ShapeException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** A session checks its inputs against the model's signature and reports every problem. */
class SessionTest {
    /** y[N,3] = a[N,3] + b[N,3] + c (c a constant [3]). */
    private static final Kernel ADD3 = (in, ctx) -> {
        float[] a = in[0].floats();
        float[] b = in[1].floats();
        float[] c = in[2].floats();
        float[] y = new float[a.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = a[i] + b[i] + c[i % 3];
        }
        return new Tensor[] {Tensor.of(y, in[0].shape())};
    };

    private static Session session(Kernel k) {
        ValueInfo a = new ValueInfo("a", DType.FLOAT, new int[] {-1, 3}, new String[] {"N", null});
        ValueInfo b = new ValueInfo("b", DType.FLOAT, new int[] {-1, 3}, new String[] {"N", null});
        ValueInfo y = new ValueInfo("y", DType.FLOAT, new int[] {-1, 3}, new String[] {"N", null});
        Tensor[] constants = new Tensor[4];
        constants[2] = Tensor.of(new float[] {10, 20, 30}, 3);
        Plan p = new Plan(4, List.of(new Plan.Step("adder", "Add3", k, new int[] {0, 1, 2},
                new int[] {3})), constants, List.of(a, b), new int[] {0, 1}, List.of(y),
                new int[] {3});
        return new Session(p, SessionOptions.defaults());
    }

    private static Tensor rows(int n) {
        float[] v = new float[n * 3];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        return Tensor.of(v, n, 3);
    }

    private static ShapeException shapeError(Executable run, String... fragments) {
        ShapeException e = assertThrows(ShapeException.class, run);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message lacks '" + f + "': " + e.getMessage());
        }
        return e;
    }

    @Test
    void runsWithNamedAndPositionalInputs() {
        Session s = session(ADD3);
        Tensor y = s.run(Map.of("a", rows(2), "b", rows(2))).get("y");
        assertArrayEquals(new float[] {10, 22, 34, 16, 28, 40}, y.floats());
        assertArrayEquals(new int[] {2, 3}, y.shape());
        assertEquals(y.shape()[0], s.run(rows(2), rows(2)).get("y").dim(0));
        assertEquals(5, s.run(rows(5), rows(5)).get("y").dim(0));
    }

    @Test
    void unknownInputName() {
        Session s = session(ADD3);
        shapeError(() -> s.run(Map.of("a", rows(1), "b", rows(1), "bb", rows(1))),
                "unknown input 'bb'");
    }

    @Test
    void missingInput() {
        Session s = session(ADD3);
        shapeError(() -> s.run(Map.of("a", rows(1))), "missing input 'b'", "FLOAT[N,3]");
        Map<String, Tensor> withNull = new HashMap<>();
        withNull.put("a", rows(1));
        withNull.put("b", null);
        shapeError(() -> s.run(withNull), "missing input 'b'");
    }

    @Test
    void wrongNumberOfPositionalInputs() {
        Session s = session(ADD3);
        shapeError(() -> s.run(rows(1)), "takes 2 inputs", "a: FLOAT[N,3]", "b: FLOAT[N,3]",
                "1 were given");
        shapeError(() -> s.run(rows(1), rows(1), rows(1)), "takes 2 inputs", "3 were given");
    }

    @Test
    void wrongRank() {
        Session s = session(ADD3);
        shapeError(() -> s.run(Tensor.of(new float[3], 3), rows(1)), "input 'a'",
                "expected rank 2", "[N,3]", "got rank 1", "[3]");
        shapeError(() -> s.run(rows(1), Tensor.of(new float[3], 1, 1, 3)), "input 'b'",
                "expected rank 2", "got rank 3", "[1, 1, 3]");
    }

    @Test
    void wrongDimension() {
        Session s = session(ADD3);
        shapeError(() -> s.run(rows(2), Tensor.of(new float[8], 2, 4)), "input 'b' axis 1",
                "expected 3", "got 4", "[2, 4]", "[N,3]");
    }

    @Test
    void wrongElementType() {
        Session s = session(ADD3);
        shapeError(() -> s.run(rows(1), Tensor.ofLongs(new long[3], 1, 3)), "input 'b'",
                "expected element type FLOAT", "got INT64");
    }

    @Test
    void symbolicDimensionBoundInconsistently() {
        Session s = session(ADD3);
        shapeError(() -> s.run(rows(2), rows(3)), "input 'b' axis 0", "'N'", "is 3",
                "input 'a' axis 0", "set it to 2");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Session s = session(ADD3);
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("a", Tensor.ofLongs(new long[4], 4));
        in.put("zzz", rows(1));
        ShapeException e = shapeError(() -> s.run(in), "unknown input 'zzz'",
                "missing input 'b'", "input 'a': expected element type FLOAT",
                "input 'a': expected rank 2");
        assertEquals(4, e.getMessage().split("; ").length, e.getMessage());
    }

    @Test
    void kernelErrorsNameTheStep() {
        Session shape = session((in, ctx) -> {
            throw new ShapeException("inner sizes 3 and 4 differ");
        });
        shapeError(() -> shape.run(rows(1), rows(1)), "node 'adder' (Add3)", "3 and 4");
        Session crash = session((in, ctx) -> {
            int[] none = new int[0];
            return new Tensor[] {Tensor.scalar(none[1])};
        });
        LanesException e = assertThrows(LanesException.class, () -> crash.run(rows(1), rows(1)));
        assertTrue(e.getMessage().contains("node 'adder' (Add3)"), e.getMessage());
        assertInstanceOf(ArrayIndexOutOfBoundsException.class, e.getCause());
    }

    @Test
    void outputThatNoStepComputed() {
        Session s = session((in, ctx) -> new Tensor[0]);
        var e = assertThrows(ModelFormatException.class, () -> s.run(rows(1), rows(1)));
        assertTrue(e.getMessage().contains("'y'"), e.getMessage());
    }

    @Test
    void outputsBelongToTheCaller() {
        // A kernel that returns its input as is: the caller's output must not alias it.
        Session s = session((in, ctx) -> new Tensor[] {in[0]});
        Tensor a = rows(1);
        Tensor y = s.run(a, rows(1)).get("y");
        y.floats()[0] = 99;
        assertEquals(0, a.floats()[0]);
    }

    @Test
    void signatureIsExposed() {
        Session s = session(ADD3);
        assertEquals("a: FLOAT[N,3]", s.inputs().get(0).toString());
        assertEquals("y", s.outputs().get(0).name());
    }

    @Test
    void aStepThatRunsOutOfMemoryFailsTheRunNotTheJvm() {
        Session s = session((in, ctx) -> {
            float[][] hoard = new float[64][];
            for (int i = 0; i < hoard.length; i++) {
                hoard[i] = new float[Integer.MAX_VALUE - 8];
            }
            return new Tensor[] {Tensor.of(hoard[0], hoard[0].length)};
        });
        LanesException e = assertThrows(LanesException.class, () -> s.run(rows(1), rows(1)));
        assertTrue(e.getMessage().contains("node 'adder'") && e.getMessage().contains("memory"),
                e.getMessage());
        assertEquals(1, session(ADD3).run(rows(1), rows(1)).size(), "still runs afterwards");
    }

    @Test
    void zerosLargerThanTheHeapIsAShapeError() {
        shapeError(() -> Tensor.zeros(DType.INT64, 46340, 46340), "[46340, 46340]", "heap");
    }
}
