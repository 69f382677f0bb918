package dev.lanes.training.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Learning-rate schedules at chosen steps, and how they drive an optimizer. */
class ScheduleTest {
    private static final double EXACT = 1e-12;

    @Test
    void constantIsConstant() {
        LearningRateSchedule s = LearningRateSchedule.constant(0.05);
        assertEquals(0.05, s.at(0));
        assertEquals(0.05, s.at(1_000_000));
    }

    @Test
    void stepDecayMultipliesEveryPeriod() {
        StepDecay s = new StepDecay(0.1, 0.5, 10);
        assertEquals(0.1, s.at(0), EXACT);
        assertEquals(0.1, s.at(9), EXACT);
        assertEquals(0.05, s.at(10), EXACT);
        assertEquals(0.025, s.at(29), EXACT);
        assertEquals(0.0125, s.at(30), EXACT);
    }

    @Test
    void warmupThenCosineAtItsLandmarks() {
        // 10 warm-up steps to a peak of 2e-3, cosine over the next 90 to 0.
        WarmupCosine s = new WarmupCosine(2e-3, 0, 10, 100);
        assertEquals(2e-4, s.at(0), EXACT, "warm-up start: peak / W, not 0");
        assertEquals(1e-3, s.at(4), EXACT, "warm-up halfway");
        assertEquals(2e-3, s.at(9), EXACT, "warm-up end reaches the peak");
        assertEquals(2e-3, s.at(10), EXACT, "cosine starts at the peak");
        assertEquals(1e-3, s.at(55), EXACT, "cosine midpoint: (peak + last) / 2");
        // One step before the end: (1 + cos(pi * 89/90)) / 2 of the peak.
        assertEquals(2e-3 * 0.5 * (1 + Math.cos(Math.PI * 89 / 90)), s.at(99), EXACT);
        assertEquals(0, s.at(100), EXACT, "end");
        assertEquals(0, s.at(1000), EXACT, "after the end");
    }

    @Test
    void cosineToANonZeroFloor() {
        WarmupCosine s = new WarmupCosine(1.0, 0.1, 0, 4);
        assertEquals(1.0, s.at(0), EXACT, "no warm-up: the first step is at the peak");
        assertEquals(0.55, s.at(2), EXACT);
        assertEquals(0.1, s.at(4), EXACT);
    }

    @Test
    void perEpochHoldsTheRateForAWholeEpoch() {
        PerEpoch s = new PerEpoch(new StepDecay(1.0, 0.1, 2), 100);
        assertEquals(1.0, s.at(0), EXACT);
        assertEquals(1.0, s.at(199), EXACT);
        assertEquals(0.1, s.at(200), EXACT);
    }

    @Test
    void scheduledOptimizerSetsTheRateOfEachStep() {
        ArrayParam p = ArrayParam.of("w", false, 0f);
        p.grad()[0] = 1f;
        ScheduledOptimizer opt = new ScheduledOptimizer(
                new Sgd(List.of(p), 0, 0, false, 0), new StepDecay(1.0, 0.5, 1));
        assertEquals(1.0, opt.step());
        assertEquals(0.5, opt.step());
        assertEquals(0.25, opt.step());
        // Plain SGD with a unit gradient moves by the sum of the rates.
        assertEquals(-1.75f, p.value()[0], 1e-7f);
    }

    @Test
    void resumingFromStateContinuesTheSchedule() {
        ArrayParam a = ArrayParam.of("w", false, 0f);
        ArrayParam b = ArrayParam.of("w", false, 0f);
        a.grad()[0] = 1f;
        b.grad()[0] = 1f;
        Sgd first = new Sgd(List.of(a), 0, 0.9, false, 0);
        LearningRateSchedule schedule = new WarmupCosine(1.0, 0, 2, 6);
        ScheduledOptimizer run = new ScheduledOptimizer(first, schedule);
        run.step();
        run.step();
        run.step();
        Sgd second = new Sgd(List.of(b), 0, 0.9, false, 0);
        second.load(first.state());
        b.value()[0] = a.value()[0];
        ScheduledOptimizer resumed = new ScheduledOptimizer(second, schedule);
        assertEquals(run.step(), resumed.step(), EXACT);
        assertEquals(a.value()[0], b.value()[0]);
    }

    @Test
    void rejectsInconsistentSchedules() {
        assertThrows(IllegalArgumentException.class, () -> new WarmupCosine(1, 0, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> new WarmupCosine(1, 2, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new StepDecay(1, 0.5, 0));
        assertThrows(IllegalArgumentException.class, () -> new ConstantSchedule(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new StepDecay(1, 0.5, 1).at(-1));
    }
}
