package dev.lanes.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A session plans the memory of each input signature from its first run and takes later runs'
 * arrays from the plan; a run that leaves the plan still computes the right values.
 */
class MemoryPlanTest {
    /** y = x * factor, written into an array of the run. */
    private static Kernel scale(float factor) {
        return (in, ctx) -> {
            Tensor x = in[0];
            Tensor y = ctx.output(x.shapeView());
            for (int i = 0; i < x.size(); i++) {
                y.floats()[i] = x.floats()[i] * factor;
            }
            return new Tensor[] {y};
        };
    }

    /** y = a + b. */
    private static final Kernel ADD = (in, ctx) -> {
        Tensor y = ctx.output(in[0].shapeView());
        for (int i = 0; i < y.size(); i++) {
            y.floats()[i] = in[0].floats()[i] + in[1].floats()[i];
        }
        return new Tensor[] {y};
    };

    /** y = x repeated {@code times} along a new leading axis: tensors of several sizes. */
    private static Kernel repeat(int times) {
        return (in, ctx) -> {
            Tensor x = in[0];
            int n = x.size();
            Tensor y = ctx.output(times, n);
            for (int t = 0; t < times; t++) {
                System.arraycopy(x.floats(), 0, y.floats(), t * n, n);
            }
            return new Tensor[] {y};
        };
    }

    /** y = the first {@code n} values of x. */
    private static Kernel head(int n) {
        return (in, ctx) -> {
            Tensor y = ctx.output(n);
            System.arraycopy(in[0].floats(), 0, y.floats(), 0, n);
            return new Tensor[] {y};
        };
    }

    /** A plan of single-input, single-output steps (slot k+1 = step k's output) plus a final Add. */
    private static Session chain(List<Kernel> kernels, int addA, int addB) {
        List<Plan.Step> steps = new ArrayList<>();
        for (int k = 0; k < kernels.size(); k++) {
            steps.add(new Plan.Step("s" + k, "Test", kernels.get(k), new int[] {k},
                    new int[] {k + 1}));
        }
        int out = kernels.size() + 1;
        steps.add(new Plan.Step("add", "Add", ADD, new int[] {addA, addB}, new int[] {out}));
        ValueInfo x = new ValueInfo("x", DType.FLOAT, new int[] {-1}, new String[] {"n"});
        ValueInfo y = new ValueInfo("y", DType.FLOAT, null, null);
        Plan p = new Plan(out + 1, steps, new Tensor[out + 1], List.of(x), new int[] {0},
                List.of(y), new int[] {out});
        return new Session(p, SessionOptions.defaults());
    }

    private static Tensor ramp(int n, float from) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = from + i;
        }
        return Tensor.of(v, n);
    }

    private static float[] run(Session s, Tensor x) {
        return s.run(x).get("y").floats();
    }

    /** x[8] -> 2x -> 3 copies [24] -> half [24] -> first 4 -> times 3; then x[0..3] + 3x[0..3]. */
    private static Session fiveSteps() {
        return chain(List.of(scale(2), repeat(3), scale(0.5f), head(4), scale(3)), 4, 5);
    }

    @Test
    void laterRunsOfASignatureTakeTheirArraysFromThePlan() {
        Session s = fiveSteps();
        Tensor x = ramp(8, 1);
        float[] want = {4, 8, 12, 16};
        assertArrayEquals(want, run(s, x));
        MemoryPlans.Entry plan = s.memoryPlans().lookup(new Tensor[] {x});
        assertNotNull(plan, "the first run of a signature makes its plan");
        for (int rep = 0; rep < 3; rep++) {
            assertArrayEquals(want, run(s, x));
            assertTrue(plan.usable(), "a run of the same signature follows the plan");
        }
        // Another signature gets its own plan and leaves the first one alone.
        Tensor x2 = ramp(16, -3);
        float[] want2 = new float[4];
        for (int i = 0; i < 4; i++) {
            want2[i] = 4 * (-3 + i);
        }
        assertArrayEquals(want2, run(s, x2));
        assertArrayEquals(want2, run(s, x2));
        assertArrayEquals(want, run(s, x));
        assertTrue(s.memoryPlans().lookup(new Tensor[] {x2}).usable());
    }

    @Test
    void theProfileReportsThePlannedArenaAgainstItsLowerBound() {
        Session s = fiveSteps();
        Session.MemoryProfile m = s.memoryProfile(java.util.Map.of("x", ramp(8, 1)));
        long b = Float.BYTES;
        // Intermediates: 8 + 24 + 24 + 4 + 4 + 4. Most live at one step: 24 + 24 (step 2).
        // Planned: the 24s in two buffers, the 8 and the 4s in them too, except the output,
        // which lives to the end and meets both 4s that make it: 24 + 24 + 4.
        assertEquals((8 + 24 + 24 + 4 + 4 + 4) * b, m.intermediatesBytes());
        assertEquals(48 * b, m.lowerBoundBytes());
        assertEquals(52 * b, m.arenaBytes());
        assertEquals(0, m.unplannedBytes());
    }

    @Test
    void aRunWhoseSizesDependOnTheDataLeavesThePlanAndStaysRight() {
        // The second step keeps as many values as the first one says: the same input shape
        // takes arrays of other lengths when the values change.
        Kernel dataSized = (in, ctx) -> {
            int n = 1 + (int) Math.abs(in[0].floats()[0]) % in[0].size();
            Tensor y = ctx.output(n);
            System.arraycopy(in[0].floats(), 0, y.floats(), 0, n);
            return new Tensor[] {y};
        };
        Session s = chain(List.of(scale(1), dataSized, scale(2)), 2, 3);
        Tensor a = ramp(6, 1);
        assertArrayEquals(new float[] {3, 6}, run(s, a));
        Tensor b = ramp(6, 3);
        assertArrayEquals(new float[] {9, 12, 15, 18}, run(s, b));
        assertFalse(s.memoryPlans().lookup(new Tensor[] {b}).usable(),
                "a run that took other lengths than planned retires the plan");
        assertArrayEquals(new float[] {3, 6}, run(s, a));
    }

    @Test
    void aStepWhoseOutputComesFromElsewhereThanPlannedStopsTheSharing() {
        // Step 1 computes 3y into its own array but hands back y itself when y[0] > 10. Planned
        // on a small input, y dies at step 1 and step 2 may reuse its buffer; on a large input
        // that buffer still holds step 1's output. Same lengths, same takes: only where the
        // output came from tells the runs apart.
        Kernel pick = (in, ctx) -> {
            Tensor y = in[0];
            Tensor t = ctx.output(y.shapeView());
            for (int i = 0; i < y.size(); i++) {
                t.floats()[i] = 3 * y.floats()[i];
            }
            return new Tensor[] {y.floats()[0] > 10 ? y.reshape(y.shapeView()) : t};
        };
        Kernel inc = (in, ctx) -> {
            Tensor y = ctx.output(in[0].shapeView());
            for (int i = 0; i < y.size(); i++) {
                y.floats()[i] = in[0].floats()[i] + 1;
            }
            return new Tensor[] {y};
        };
        Session s = chain(List.of(scale(2), pick, inc), 2, 3);
        Tensor small = ramp(4, 0);
        // y = 2x, z = 6x, w = 6x + 1, out = 12x + 1.
        assertArrayEquals(new float[] {1, 13, 25, 37}, run(s, small));
        Tensor large = ramp(4, 10);
        // y = 2x (y[0] = 20 > 10), z = y, w = 2x + 1, out = 4x + 1.
        assertArrayEquals(new float[] {41, 45, 49, 53}, run(s, large));
        assertFalse(s.memoryPlans().lookup(new Tensor[] {large}).usable());
    }

    @Test
    void signaturesBeyondTheLimitRunWithoutAPlan() {
        Session s = chain(List.of(scale(2), scale(3)), 1, 2);
        for (int n = 1; n <= MemoryPlans.MAX_SIGNATURES + 3; n++) {
            float[] y = run(s, ramp(n, 1));
            assertEquals(8, y[0]);
            assertEquals(8 * n, y[n - 1]);
        }
        assertTrue(s.memoryPlans().lookup(new Tensor[] {ramp(1, 0)}) != null);
        assertEquals(null, s.memoryPlans().lookup(new Tensor[] {
                ramp(MemoryPlans.MAX_SIGNATURES + 2, 0)}));
    }

    /** y = a + b, written over b's array when the session allows it. */
    private static final Kernel ADD_OVER_B = (in, ctx) -> {
        Tensor y = ctx.outputOver(in[1], in[0].shapeView());
        for (int i = 0; i < y.size(); i++) {
            y.floats()[i] = in[0].floats()[i] + in[1].floats()[i];
        }
        return new Tensor[] {y};
    };

    /** Records, per run, whether ADD_OVER_B's output went over its second input. */
    private static final class Spy implements Kernel {
        final List<Boolean> over = new ArrayList<>();

        @Override
        public Tensor[] run(Tensor[] in, RunContext ctx) {
            Tensor y = ADD_OVER_B.run(in, ctx)[0];
            over.add(y.floats() == in[1].floats());
            return new Tensor[] {y};
        }
    }

    /** x -> a = 2x, b = 3x; then spy(a, b), plus a later reader of b when {@code bLater}. */
    private static Session overPlan(Spy spy, boolean bLater, boolean sameInput) {
        List<Plan.Step> steps = new ArrayList<>();
        steps.add(new Plan.Step("a", "Test", scale(2), new int[] {0}, new int[] {1}));
        steps.add(new Plan.Step("b", "Test", scale(3), new int[] {0}, new int[] {2}));
        steps.add(new Plan.Step("spy", "Test", spy, new int[] {sameInput ? 2 : 1, 2},
                new int[] {3}));
        int out = 3;
        if (bLater) {
            steps.add(new Plan.Step("add", "Add", ADD, new int[] {3, 2}, new int[] {4}));
            out = 4;
        }
        ValueInfo x = new ValueInfo("x", DType.FLOAT, new int[] {4}, null);
        ValueInfo y = new ValueInfo("y", DType.FLOAT, null, null);
        Plan p = new Plan(out + 1, steps, new Tensor[out + 1], List.of(x), new int[] {0},
                List.of(y), new int[] {out});
        return new Session(p, SessionOptions.defaults());
    }

    @Test
    void anOutputGoesOverAnInputThatDiesAtItsStep() {
        Spy spy = new Spy();
        Session s = overPlan(spy, false, false);
        for (int rep = 0; rep < 3; rep++) {
            assertArrayEquals(new float[] {5, 10, 15, 20}, run(s, ramp(4, 1)));
        }
        assertEquals(List.of(true, true, true), spy.over, "recorded run and planned runs");
        assertTrue(s.memoryPlans().lookup(new Tensor[] {ramp(4, 1)}).usable());
    }

    @Test
    void notOverAnInputThatIsReadLaterOrTwice() {
        Spy later = new Spy();
        Session s = overPlan(later, true, false);
        for (int rep = 0; rep < 2; rep++) {
            // 2x + 3x, then + 3x.
            assertArrayEquals(new float[] {8, 16, 24, 32}, run(s, ramp(4, 1)));
        }
        assertEquals(List.of(false, false), later.over);
        Spy twice = new Spy();
        Session t = overPlan(twice, false, true);
        for (int rep = 0; rep < 2; rep++) {
            assertArrayEquals(new float[] {6, 12, 18, 24}, run(t, ramp(4, 1)));
        }
        assertEquals(List.of(false, false), twice.over);
    }
}
