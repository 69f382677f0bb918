package dev.lanes.training.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.training.CpuBackend;
import dev.lanes.training.Models;
import dev.lanes.training.Parameter;
import dev.lanes.training.Sequential;
import dev.lanes.training.SoftmaxCrossEntropy;
import dev.lanes.training.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The optimizers drive a real model through its parameters' own arrays. */
class ParamsTest {
    @Test
    void adamWOnLeNetLowersTheLossOfAFixedBatch() {
        try (CpuBackend backend = new CpuBackend(2)) {
            Sequential model = Models.lenetBn(backend, 7);
            List<Parameter> ps = model.parameters();
            List<Param> view = Params.of(ps);
            assertEquals(ps.size(), view.size());
            for (int i = 0; i < ps.size(); i++) {
                assertSame(ps.get(i).value().data(), view.get(i).value());
                assertSame(ps.get(i).grad().data(), view.get(i).grad());
                assertEquals(ps.get(i).value().rank() >= 2, view.get(i).decays());
            }
            Tensor x = Tensor.zeros(8, 1, 28, 28);
            SplittableRandom r = new SplittableRandom(3);
            for (int i = 0; i < x.data().length; i++) {
                x.data()[i] = (float) r.nextDouble();
            }
            int[] labels = {0, 1, 2, 3, 4, 5, 6, 7};
            AdamW opt = new AdamW(view, 2e-3, 0.05);
            SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(backend);
            double first = 0;
            double last = 0;
            for (int step = 0; step <= 10; step++) {
                for (Parameter p : ps) {
                    p.zeroGrad();
                }
                last = loss.forward(model.forward(x), labels);
                if (step == 0) {
                    first = last;
                }
                model.backward(loss.backward());
                GradientClipping.clipByGlobalNorm(view, 1.0);
                opt.step();
            }
            // Ten steps on one batch of eight: the loss falls well below its start.
            assertTrue(last < 0.5 * first, "loss " + first + " -> " + last);
        }
    }
}
