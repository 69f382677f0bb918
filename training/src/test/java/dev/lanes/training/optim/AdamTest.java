package dev.lanes.training.optim;

import static dev.lanes.training.optim.Steps.assertValues;
import static dev.lanes.training.optim.Steps.list;
import static dev.lanes.training.optim.Steps.param;
import static dev.lanes.training.optim.Steps.step;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Adam and AdamW against steps computed by hand from Kingma and Ba's Algorithm 1 (lr 0.01,
 * betas 0.9 and 0.999, eps 1e-8) and Loshchilov and Hutter's decoupled decay.
 */
class AdamTest {
    @Test
    void adamMatchesHandComputedSteps() {
        ArrayParam p = param(true);
        Adam opt = new Adam(list(p), 0.01);
        // Step 1: m = 0.1 g, v = 0.001 g^2, so m^ = g, v^ = g^2 and the step is
        // lr * g / (|g| + eps) = 0.01 * sign(g) less a hair: 0.01 * 0.1 / (0.1 + 1e-8).
        step(opt, p, 0);
        assertValues(new double[] {0.990000001, -1.9900000005, 0.4900000003}, p.value(), "step 1");
        // Step 2, element 0: m = 0.9 * 0.01 + 0.1 * (-0.5) = -0.041,
        // v = 0.999*1e-5 + 0.001*0.25 = 2.5999e-4; m^ = -0.041/0.19, v^ = 2.5999e-4/0.001999.
        step(opt, p, 1);
        assertValues(new double[] {0.9959835427, -1.9936610357, 0.4832994181}, p.value(), "step 2");
        step(opt, p, 2);
        assertValues(new double[] {0.9979554919, -1.9988534436, 0.4804080646}, p.value(), "step 3");
        assertValues(new double[] {-0.0169, 0.0398, 0.0143}, opt.state().buffer("m/w"), "m");
        assertValues(new double[] {2.9973001e-4, 2.3976004e-4, 9.982009e-5}, opt.state().buffer("v/w"), "v");
        assertEquals(3, opt.state().steps());
    }

    @Test
    void adamWithL2AddsTheDecayToTheGradient() {
        ArrayParam p = param(true);
        Adam opt = new Adam(list(p), 0.01, 0.9, 0.999, 1e-8, 0.1);
        // Step 1: g = g + 0.1 p = [0.2, -0.4, 0.35]; the first step is still 0.01 * sign(g).
        step(opt, p, 0);
        assertValues(new double[] {0.9900000005, -1.99000000025, 0.4900000003}, p.value(), "step 1");
        step(opt, p, 1);
        assertValues(new double[] {0.9936703328, -1.9873559275, 0.4823319618}, p.value(), "step 2");
        step(opt, p, 2);
        assertValues(new double[] {0.992478917, -1.985330119, 0.4773939823}, p.value(), "step 3");
    }

    @Test
    void adamWMatchesHandComputedSteps() {
        ArrayParam p = param(true);
        AdamW opt = new AdamW(list(p), 0.01, 0.1);
        // Step 1: p = p * (1 - 0.01 * 0.1) first, then the plain Adam step of 0.01 * sign(g):
        // 1 * 0.999 - 0.01 = 0.989.
        step(opt, p, 0);
        assertValues(new double[] {0.989000001, -1.9880000005, 0.4895000003}, p.value(), "step 1");
        step(opt, p, 1);
        assertValues(new double[] {0.9939945427, -1.9896730357, 0.4823099181}, p.value(), "step 2");
        step(opt, p, 2);
        assertValues(new double[] {0.9949724973, -1.9928757706, 0.4789362547}, p.value(), "step 3");
        // The moments are those of plain Adam: the decay never reaches the gradient.
        assertValues(new double[] {-0.0169, 0.0398, 0.0143}, opt.state().buffer("m/w"), "m");
    }

    @Test
    void adamWDecayIsDecoupledFromTheGradientScaling() {
        // With a zero gradient, AdamW only decays: p * (1 - lr wd), proportional to p.
        // Adam with L2 feeds g = wd p through the adaptive scaling, and its first step is
        // lr * sign(p) whatever the size of p: 0.01 for every element.
        ArrayParam w = ArrayParam.of("w", true, 1.0f, -2.0f, 0.5f);
        ArrayParam l2 = ArrayParam.of("w", true, 1.0f, -2.0f, 0.5f);
        new AdamW(list(w), 0.01, 0.1).step();
        new Adam(list(l2), 0.01, 0.9, 0.999, 1e-8, 0.1).step();
        assertValues(new double[] {0.999, -1.998, 0.4995}, w.value(), "AdamW");
        // 0.01 * (wd p) / (|wd p| + 1e-8): the eps costs 1e-7 of the step at most.
        assertValues(new double[] {0.99, -1.99, 0.49}, l2.value(), "Adam + L2");
    }

    @Test
    void noDecayForParametersThatDoNotDecay() {
        ArrayParam p = param(false);
        AdamW opt = new AdamW(list(p), 0.01, 0.1);
        step(opt, p, 0);
        assertValues(new double[] {0.990000001, -1.9900000005, 0.4900000003}, p.value(), "as plain Adam");
    }
}
