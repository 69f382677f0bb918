package dev.lanes.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The loss value and its gradient with respect to the logits. */
class SoftmaxCrossEntropyTest {
    private static final CpuBackend BACKEND = new CpuBackend(1);

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    @Test
    void lossAndGradientMatchTheReference() {
        SplittableRandom rng = new SplittableRandom(51);
        int[][] sizes = {{1, 2}, {4, 10}, {7, 3}};
        for (int[] s : sizes) {
            int n = s[0], k = s[1];
            float[] logits = GradCheck.uniform(rng, n * k);
            for (int i = 0; i < logits.length; i++) {
                logits[i] *= 4;
            }
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = rng.nextInt(k);
            }
            SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(BACKEND);
            double value = loss.forward(new Tensor(new int[] {n, k}, logits), labels);
            assertEquals(Ref.softmaxCrossEntropy(Ref.toDouble(logits), n, k, labels)[0], value, 1e-6);
            GradCheck.check("loss " + n + "x" + k, logits, p -> Ref.softmaxCrossEntropy(p, n, k, labels),
                    new float[] {1f}, loss.backward().data());
        }
    }

    @Test
    void largeLogitsDoNotOverflow() {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(BACKEND);
        double value = loss.forward(new Tensor(new int[] {1, 3}, new float[] {1000f, 0f, -1000f}), new int[] {1});
        assertEquals(1000.0, value, 1e-9);
        assertTrue(Float.isFinite(loss.backward().data()[0]));
    }

    @Test
    void uniformLogitsGiveLogK() {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(BACKEND);
        assertEquals(Math.log(10), loss.forward(Tensor.zeros(3, 10), new int[] {0, 5, 9}), 1e-9);
    }

    @Test
    void labelsOutOfRangeAreNamed() {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy(BACKEND);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> loss.forward(Tensor.zeros(2, 3), new int[] {0, 3}));
        assertTrue(e.getMessage().contains("label 3 of sample 1"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> new SoftmaxCrossEntropy(BACKEND).backward());
    }
}
