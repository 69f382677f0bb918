package dev.lanes.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The model builders: output shapes, parameter names, and that plain SGD steps lower the loss. */
class ModelsTest {
    private static final CpuBackend ONE = new CpuBackend(1);
    private static final CpuBackend TWO = new CpuBackend(2);

    @AfterAll
    static void close() {
        ONE.close();
        TWO.close();
    }

    private static Tensor images(SplittableRandom rng, int n) {
        Tensor x = Tensor.zeros(n, 1, 28, 28);
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) rng.nextDouble(); // pixel-like values in [0, 1)
        }
        return x;
    }

    @Test
    void lenetBnMapsABatchOfDigitsToTenLogits() {
        Sequential lenet = Models.lenetBn(TWO, 1);
        Tensor y = lenet.forward(images(new SplittableRandom(2), 2));
        assertArrayEquals(new int[] {2, 10}, y.shape());
        for (float v : y.data()) {
            assertTrue(Float.isFinite(v));
        }
        // conv1 6x1x5x5, bn1 6+6, conv2 16x6x5x5, bn2 16+16, fc 400x120+120, bn3 120+120,
        // fc 120x84+84, bn4 84+84, fc 84x10+10.
        int count = 0;
        for (Parameter p : lenet.parameters()) {
            count += p.value().size();
        }
        assertEquals(150 + 12 + 2400 + 32 + 48120 + 240 + 10164 + 168 + 850, count);
        lenet.setTraining(false);
        assertArrayEquals(new int[] {2, 10}, lenet.forward(images(new SplittableRandom(3), 2)).shape());
    }

    @Test
    void smallResNetMapsABatchOfDigitsToTenLogits() {
        Sequential resnet = Models.smallResNet(TWO, 1);
        assertArrayEquals(new int[] {2, 10}, resnet.forward(images(new SplittableRandom(2), 2)).shape());
    }

    @Test
    void parameterNamesAreUnique() {
        for (Sequential model : List.of(Models.lenetBn(ONE, 1), Models.smallResNet(ONE, 1))) {
            Set<String> names = new HashSet<>();
            for (Parameter p : model.parameters()) {
                assertTrue(names.add(p.name()), model.name() + ": parameter name " + p.name() + " repeats");
            }
        }
    }

    @Test
    void sameSeedSameWeightsAndTheSameGradientsOnOneOrTwoThreads() {
        float[][] grads = new float[2][];
        double[] losses = new double[2];
        CpuBackend[] backends = {ONE, TWO};
        for (int i = 0; i < 2; i++) {
            Sequential model = Models.lenetBn(backends[i], 42);
            SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(backends[i]);
            losses[i] = loss.forward(model.forward(images(new SplittableRandom(5), 4)), new int[] {1, 2, 3, 4});
            model.backward(loss.backward());
            grads[i] = model.parameters().get(0).grad().data().clone();
        }
        assertEquals(losses[0], losses[1]);
        assertArrayEquals(grads[0], grads[1]);
    }

    @Test
    void parameterOnlyBackwardGivesTheSameParameterGradients() {
        Tensor x = images(new SplittableRandom(6), 3);
        int[] labels = {1, 0, 9};
        float[][][] grads = new float[2][][];
        for (int run = 0; run < 2; run++) {
            Sequential model = Models.lenetBn(TWO, 11);
            SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(TWO);
            loss.forward(model.forward(x), labels);
            if (run == 0) {
                model.backward(loss.backward());
            } else {
                model.backwardParametersOnly(loss.backward());
            }
            List<Parameter> ps = model.parameters();
            grads[run] = new float[ps.size()][];
            for (int i = 0; i < ps.size(); i++) {
                grads[run][i] = ps.get(i).grad().data().clone();
            }
        }
        for (int i = 0; i < grads[0].length; i++) {
            assertArrayEquals(grads[0][i], grads[1][i], "parameter " + i);
        }
    }

    /** Runs {@code steps} steps of p -= lr * g on one fixed batch and returns the loss before each step and after the last. */
    private static double[] sgd(Sequential model, Backend backend, Tensor x, int[] labels, int steps, float lr) {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(backend);
        double[] losses = new double[steps + 1];
        for (int s = 0; s <= steps; s++) {
            for (Parameter p : model.parameters()) {
                p.zeroGrad();
            }
            losses[s] = loss.forward(model.forward(x), labels);
            if (s == steps) {
                break;
            }
            model.backward(loss.backward());
            for (Parameter p : model.parameters()) {
                float[] v = p.value().data();
                float[] g = p.grad().data();
                for (int i = 0; i < v.length; i++) {
                    v[i] -= lr * g[i];
                }
            }
        }
        return losses;
    }

    @Test
    void sgdStepsLowerTheLossOfLenetBn() {
        SplittableRandom rng = new SplittableRandom(7);
        Tensor x = images(rng, 8);
        int[] labels = {0, 1, 2, 3, 4, 5, 6, 7};
        double[] losses = sgd(Models.lenetBn(TWO, 3), TWO, x, labels, 15, 0.05f);
        // Eight samples and sixty thousand weights: plain gradient descent must fit them, so the
        // loss falls well below its start (about log 10 = 2.3 at initialization).
        assertTrue(losses[15] < 0.5 * losses[0], java.util.Arrays.toString(losses));
        assertTrue(losses[1] < losses[0], "the first step lowers the loss: " + java.util.Arrays.toString(losses));
    }

    @Test
    void sgdStepsLowerTheLossOfTheSmallResNet() {
        SplittableRandom rng = new SplittableRandom(8);
        Tensor x = images(rng, 4);
        int[] labels = {3, 1, 4, 1};
        double[] losses = sgd(Models.smallResNet(TWO, 4), TWO, x, labels, 6, 0.05f);
        assertTrue(losses[6] < 0.8 * losses[0], java.util.Arrays.toString(losses));
    }
}
