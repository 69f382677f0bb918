package dev.lanes.training.optim;

import static dev.lanes.training.optim.Steps.assertValues;
import static dev.lanes.training.optim.Steps.list;
import static dev.lanes.training.optim.Steps.param;
import static dev.lanes.training.optim.Steps.step;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** SGD against steps computed by hand from the update rule in {@link Sgd}'s Javadoc. */
class SgdTest {
    @Test
    void plainSgdIsValueMinusRateTimesGradient() {
        ArrayParam p = param(true);
        Sgd opt = new Sgd(list(p), 0.1, 0, false, 0);
        // p = p - 0.1 g: [1 - 0.01, -2 + 0.02, 0.5 - 0.03]
        step(opt, p, 0);
        assertValues(new double[] {0.99, -1.98, 0.47}, p.value(), "step 1");
        // [0.99 + 0.05, -1.98 - 0.04, 0.47 - 0]
        step(opt, p, 1);
        assertValues(new double[] {1.04, -2.02, 0.47}, p.value(), "step 2");
        step(opt, p, 2);
        assertValues(new double[] {1.02, -2.04, 0.48}, p.value(), "step 3");
        assertEquals(0, opt.state().buffers().size(), "plain SGD keeps no buffer");
    }

    @Test
    void momentumWithL2DecayMatchesHandComputedSteps() {
        ArrayParam p = param(true);
        Sgd opt = new Sgd(list(p), 0.1, 0.9, false, 0.01);
        // Step 1, element 0: g = 0.1 + 0.01 * 1 = 0.11; b = 0.11; p = 1 - 0.011 = 0.989.
        step(opt, p, 0);
        assertValues(new double[] {0.989, -1.978, 0.4695}, p.value(), "step 1");
        // Step 2, element 0: g = -0.5 + 0.00989 = -0.49011; b = 0.9 * 0.11 - 0.49011 = -0.39111;
        // p = 0.989 + 0.039111 = 1.028111.
        step(opt, p, 1);
        assertValues(new double[] {1.028111, -1.996222, 0.4415805}, p.value(), "step 2");
        step(opt, p, 2);
        assertValues(new double[] {1.042282789, -2.030625578, 0.4260113695}, p.value(), "step 3");
        assertValues(new double[] {-0.14171789, 0.34403578, 0.155691305}, // b after step 3 = (p2 - p3) / lr
                opt.state().buffer("momentum/w"), "velocity");
    }

    @Test
    void nesterovLooksAheadAlongTheVelocity() {
        ArrayParam p = param(true);
        Sgd opt = new Sgd(list(p), 0.1, 0.9, true, 0.01);
        // Step 1, element 0: g = 0.11; b = 0.11; g' = g + 0.9 b = 0.209; p = 1 - 0.0209 = 0.9791.
        step(opt, p, 0);
        assertValues(new double[] {0.9791, -1.9582, 0.44205}, p.value(), "step 1");
        step(opt, p, 1);
        assertValues(new double[] {1.06332971, -2.01265942, 0.416505105}, p.value(), "step 2");
        step(opt, p, 2);
        assertValues(new double[] {1.0549973126, -2.0616112251, 0.4121211848}, p.value(), "step 3");
    }

    @Test
    void nesterovAndPlainMomentumDifferByMomentumTimesVelocity() {
        // The same first step: both velocities are g; Nesterov's update adds mu * b = mu * g
        // more, so its step is (1 + mu) times plain momentum's.
        ArrayParam plain = param(false);
        ArrayParam nest = param(false);
        Sgd a = new Sgd(list(plain), 0.1, 0.9, false, 0);
        Sgd b = new Sgd(list(nest), 0.1, 0.9, true, 0);
        step(a, plain, 0);
        step(b, nest, 0);
        for (int j = 0; j < 3; j++) {
            double plainMove = Steps.START[j] - plain.value()[j];
            double nestMove = Steps.START[j] - nest.value()[j];
            assertEquals(1.9 * plainMove, nestMove, 1e-7, "element " + j);
        }
        assertNotEquals(plain.value()[0], nest.value()[0]);
    }

    @Test
    void decayOnlyTouchesParametersThatDecay() {
        ArrayParam bias = param(false);
        Sgd opt = new Sgd(list(bias), 0.1, 0, false, 0.5);
        step(opt, bias, 0);
        assertValues(new double[] {0.99, -1.98, 0.47}, bias.value(), "bias without decay");
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new Sgd(list(param(true)), 0.1, 0, true, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(list(param(true)), 0.1, 1.0, false, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(list(param(true)), -1, 0, false, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new Sgd(java.util.List.of(param(true), param(true)), 0.1, 0, false, 0));
    }
}
