package dev.lanes.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.errors.ShapeException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** BatchNorm2d in both modes: outputs, gradients (through the batch statistics in training), running statistics. */
class BatchNorm2dTest {
    private static final CpuBackend BACKEND = new CpuBackend(2);
    private static final double EPS = 1e-5;

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    private static BatchNorm2d randomised(int c, SplittableRandom rng) {
        BatchNorm2d bn = new BatchNorm2d(BACKEND, "bn", c, 0.1, EPS);
        // Gamma and beta away from 1 and 0, so a gradient that forgets either is caught.
        float[] g = bn.gamma().value().data();
        float[] b = bn.beta().value().data();
        for (int i = 0; i < c; i++) {
            g[i] = (float) (0.5 + rng.nextDouble());
            b[i] = (float) (rng.nextDouble() - 0.5);
        }
        return bn;
    }

    @Test
    void trainingModeGradientsGoThroughTheBatchStatistics() {
        SplittableRandom rng = new SplittableRandom(21);
        int[][] shapes = {{2, 3, 5, 3}, {3, 2, 1, 1}, {1, 4, 3, 7}, {5, 3}, {2, 1, 4, 4}};
        for (int[] xs : shapes) {
            String what = "training " + Tensor.shapeString(xs);
            int c = xs[1];
            BatchNorm2d bn = randomised(c, rng);
            int size = Tensor.zeros(xs).size();
            float[] x = GradCheck.uniform(rng, size);
            for (int i = 0; i < size; i++) {
                x[i] = 3 * x[i] + 2; // a mean and spread far from 0 and 1
            }
            double[] gamma = Ref.toDouble(bn.gamma().value().data());
            double[] beta = Ref.toDouble(bn.beta().value().data());
            Tensor y = bn.forward(new Tensor(xs, x));
            GradCheck.checkForward(what + " forward", Ref.batchNormTrain(Ref.toDouble(x), xs, gamma, beta, EPS), y.data());
            float[] r = GradCheck.uniform(rng, size);
            Tensor dx = bn.backward(new Tensor(xs, r));
            GradCheck.check(what + " d/dx", x, p -> Ref.batchNormTrain(p, xs, gamma, beta, EPS), r, dx.data());
            GradCheck.check(what + " d/dgamma", bn.gamma().value().data(),
                    p -> Ref.batchNormTrain(Ref.toDouble(x), xs, p, beta, EPS), r, bn.gamma().grad().data());
            GradCheck.check(what + " d/dbeta", bn.beta().value().data(),
                    p -> Ref.batchNormTrain(Ref.toDouble(x), xs, gamma, p, EPS), r, bn.beta().grad().data());
        }
    }

    @Test
    void evaluationModeUsesRunningStatistics() {
        SplittableRandom rng = new SplittableRandom(22);
        int[] xs = {3, 4, 3, 5};
        BatchNorm2d bn = randomised(4, rng);
        for (int i = 0; i < 4; i++) {
            bn.runningMean()[i] = (float) (rng.nextDouble() - 0.5);
            bn.runningVar()[i] = (float) (0.5 + rng.nextDouble());
        }
        double[] mean = Ref.toDouble(bn.runningMean());
        double[] var = Ref.toDouble(bn.runningVar());
        double[] gamma = Ref.toDouble(bn.gamma().value().data());
        double[] beta = Ref.toDouble(bn.beta().value().data());
        bn.setTraining(false);
        float[] x = GradCheck.uniform(rng, 3 * 4 * 3 * 5);
        Tensor y = bn.forward(new Tensor(xs, x));
        GradCheck.checkForward("eval forward", Ref.batchNormEval(Ref.toDouble(x), xs, mean, var, gamma, beta, EPS),
                y.data());
        float[] r = GradCheck.uniform(rng, x.length);
        Tensor dx = bn.backward(new Tensor(xs, r));
        GradCheck.check("eval d/dx", x, p -> Ref.batchNormEval(p, xs, mean, var, gamma, beta, EPS), r, dx.data());
        GradCheck.check("eval d/dgamma", bn.gamma().value().data(),
                p -> Ref.batchNormEval(Ref.toDouble(x), xs, mean, var, p, beta, EPS), r, bn.gamma().grad().data());
        GradCheck.check("eval d/dbeta", bn.beta().value().data(),
                p -> Ref.batchNormEval(Ref.toDouble(x), xs, mean, var, gamma, p, EPS), r, bn.beta().grad().data());
        // Evaluation leaves the running statistics alone.
        assertEquals(mean[0], bn.runningMean()[0]);
        assertEquals(var[0], bn.runningVar()[0]);
    }

    @Test
    void runningStatisticsMoveByMomentumWithTheUnbiasedVariance() {
        BatchNorm2d bn = new BatchNorm2d(BACKEND, "bn", 1, 0.25, EPS);
        // One channel, values 1, 2, 3, 6: mean 3, unbiased variance (4 + 1 + 0 + 9) / 3 = 14 / 3.
        bn.forward(new Tensor(new int[] {2, 1, 1, 2}, new float[] {1, 2, 3, 6}));
        assertEquals(0.75 * 0 + 0.25 * 3, bn.runningMean()[0], 1e-6);
        assertEquals(0.75 * 1 + 0.25 * 14.0 / 3, bn.runningVar()[0], 1e-6);
        bn.forward(new Tensor(new int[] {2, 1, 1, 2}, new float[] {1, 2, 3, 6}));
        assertEquals(0.75 * 0.75 + 0.25 * 3, bn.runningMean()[0], 1e-6);
    }

    @Test
    void errorsNameTheLayer() {
        BatchNorm2d bn = new BatchNorm2d(BACKEND, "bn9", 3);
        ShapeException wrong = assertThrows(ShapeException.class, () -> bn.forward(Tensor.zeros(2, 4, 3, 3)));
        assertTrue(wrong.getMessage().contains("bn9") && wrong.getMessage().contains("[2, 4, 3, 3]"), wrong.getMessage());
        ShapeException single = assertThrows(ShapeException.class, () -> bn.forward(Tensor.zeros(1, 3, 1, 1)));
        assertTrue(single.getMessage().contains("more than one value"), single.getMessage());
        assertThrows(IllegalStateException.class, () -> new BatchNorm2d(BACKEND, "bn", 2).backward(Tensor.zeros(1, 2)));
    }
}
