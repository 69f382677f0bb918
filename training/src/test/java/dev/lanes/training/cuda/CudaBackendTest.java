package dev.lanes.training.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.training.Backend;
import dev.lanes.training.ConvSpec;
import dev.lanes.training.CpuBackend;
import dev.lanes.training.Models;
import dev.lanes.training.Parameter;
import dev.lanes.training.PoolSpec;
import dev.lanes.training.Sequential;
import dev.lanes.training.SoftmaxCrossEntropy;
import dev.lanes.training.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CUDA backend against the CPU backend, operation by operation over random shapes and over a
 * few LeNet-BN training steps. Without a usable GPU (these machines have none) the comparisons
 * are skipped with the probe's reason, and only the probe itself is tested: it must say why,
 * not crash.
 */
class CudaBackendTest {
    /** float32 sums in other orders (cuBLAS, tree reductions): 1e-4 absolute plus 1e-3 relative. */
    private static final double ABS = 1e-4;
    private static final double REL = 1e-3;

    private static final CpuBackend CPU = new CpuBackend(2);
    private static CudaBackend cuda;

    @BeforeAll
    static void open() {
        if (CudaBackend.probe().available()) {
            cuda = CudaBackend.open();
        }
    }

    @AfterAll
    static void close() {
        CPU.close();
        if (cuda != null) {
            cuda.close();
        }
    }

    private static void needGpu() {
        CudaBackend.Availability a = CudaBackend.probe();
        Assumptions.assumeTrue(a.available(), "no usable CUDA GPU: " + a.description());
    }

    @Test
    void theProbeSaysWhatItFoundAndNeverThrows() {
        CudaBackend.Availability a = CudaBackend.probe();
        assertFalse(a.description().isBlank());
        assertEquals(a, CudaBackend.probe(), "probed once");
        if (a.available()) {
            assertTrue(a.description().startsWith("CUDA device 0: "), a.description());
        } else {
            assertThrows(Throwable.class, CudaBackend::open);
        }
    }

    private static Tensor random(SplittableRandom rng, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return t;
    }

    private static void close(String what, float[] want, float[] got) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            assertTrue(Math.abs(want[i] - got[i]) <= ABS + REL * Math.abs(want[i]),
                    what + " at " + i + ": cuda " + got[i] + ", cpu " + want[i]);
        }
    }

    @Test
    void convolutionsAndTheirGradientsMatchTheCpu() {
        needGpu();
        SplittableRandom rng = new SplittableRandom(1);
        for (int t = 0; t < 12; t++) {
            int groups = 1 + rng.nextInt(3);
            int c = groups * (1 + rng.nextInt(3));
            int oc = groups * (1 + rng.nextInt(4));
            int k = new int[] {1, 3, 5}[rng.nextInt(3)];
            ConvSpec spec = new ConvSpec(1 + rng.nextInt(2), rng.nextInt(3), groups);
            int h = k + rng.nextInt(8);
            int w = k + rng.nextInt(8);
            Tensor x = random(rng, 1 + rng.nextInt(4), c, h, w);
            Tensor wt = random(rng, oc, c / groups, k, k);
            Tensor bias = random(rng, oc);
            String what = "case " + t + " " + x.shapeString() + " " + wt.shapeString() + " " + spec;
            Tensor y = CPU.conv2d(x, wt, bias, spec);
            close(what + " forward", y.data(), cuda.conv2d(x, wt, bias, spec).data());
            Tensor dy = random(rng, y.shape());
            close(what + " d/dx", CPU.conv2dBackwardInput(dy, wt, x.shape(), spec).data(),
                    cuda.conv2dBackwardInput(dy, wt, x.shape(), spec).data());
            close(what + " d/dw", CPU.conv2dBackwardWeight(dy, x, wt.shape(), spec).data(),
                    cuda.conv2dBackwardWeight(dy, x, wt.shape(), spec).data());
        }
    }

    @Test
    void matricesElementWiseChannelsPoolingAndLossMatchTheCpu() {
        needGpu();
        SplittableRandom rng = new SplittableRandom(2);
        Tensor a = random(rng, 7, 13);
        Tensor b = random(rng, 13, 5);
        Tensor bt = random(rng, 5, 13);
        close("matmul", CPU.matmul(a, false, b, false).data(), cuda.matmul(a, false, b, false).data());
        close("matmul B^T", CPU.matmul(a, false, bt, true).data(), cuda.matmul(a, false, bt, true).data());
        Tensor at = random(rng, 13, 7);
        close("matmul A^T", CPU.matmul(at, true, b, false).data(), cuda.matmul(at, true, b, false).data());
        close("add", CPU.add(a, a).data(), cuda.add(a, a).data());
        close("mul", CPU.mul(a, a).data(), cuda.mul(a, a).data());
        close("relu", CPU.relu(a).data(), cuda.relu(a).data());
        close("relu backward", CPU.reluBackward(a, a).data(), cuda.reluBackward(a, a).data());
        Tensor v = random(rng, 13);
        close("addRowVector", CPU.addRowVector(a, v).data(), cuda.addRowVector(a, v).data());
        close("sumRows", CPU.sumRows(a).data(), cuda.sumRows(a).data());

        for (Tensor x : List.of(random(rng, 3, 5, 7, 6), random(rng, 9, 4))) {
            int c = x.dim(1);
            float[] s1 = random(rng, c).data();
            float[] s2 = random(rng, c).data();
            float[] s3 = random(rng, c).data();
            float[] s4 = random(rng, c).data();
            Tensor y = random(rng, x.shape());
            close("channelSum", CPU.channelSum(x).data(), cuda.channelSum(x).data());
            Backend.ChannelMoments m = CPU.channelMoments(x);
            Backend.ChannelMoments g = cuda.channelMoments(x);
            close("mean", m.mean(), g.mean());
            close("variance", m.variance(), g.variance());
            close("centredDot", CPU.channelCentredDot(y, x, s1).data(), cuda.channelCentredDot(y, x, s1).data());
            close("affine", CPU.channelAffine(x, s1, s2).data(), cuda.channelAffine(x, s1, s2).data());
            close("combine", CPU.channelCombine(x, s1, y, s2, s3, s4).data(),
                    cuda.channelCombine(x, s1, y, s2, s3, s4).data());
        }

        for (PoolSpec p : List.of(new PoolSpec(2, 2, 0), new PoolSpec(3, 2, 1), new PoolSpec(3, 1, 1))) {
            Tensor x = random(rng, 2, 3, 9, 8);
            Backend.MaxPoolResult want = CPU.maxPool(x, p);
            Backend.MaxPoolResult got = cuda.maxPool(x, p);
            close("max " + p, want.output().data(), got.output().data());
            assertArrayEquals(want.argmax(), got.argmax(), "argmax " + p);
            Tensor dy = random(rng, want.output().shape());
            close("max backward " + p, CPU.maxPoolBackward(dy, want.argmax(), x.shape()).data(),
                    cuda.maxPoolBackward(dy, got.argmax(), x.shape()).data());
            close("avg " + p, CPU.avgPool(x, p).data(), cuda.avgPool(x, p).data());
            close("avg backward " + p, CPU.avgPoolBackward(dy, x.shape(), p).data(),
                    cuda.avgPoolBackward(dy, x.shape(), p).data());
        }

        Tensor logits = random(rng, 6, 10);
        int[] labels = {0, 3, 9, 1, 1, 7};
        Backend.LossResult want = CPU.softmaxCrossEntropy(logits, labels);
        Backend.LossResult got = cuda.softmaxCrossEntropy(logits, labels);
        assertEquals(want.loss(), got.loss(), 1e-6);
        close("loss gradient", want.gradient().data(), got.gradient().data());
    }

    @Test
    void leNetTrainingStepsGiveTheCpusLossesAndGradients() {
        needGpu();
        SplittableRandom rng = new SplittableRandom(3);
        Tensor x = Tensor.zeros(16, 1, 28, 28);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = (float) rng.nextDouble();
        }
        int[] labels = new int[16];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rng.nextInt(10);
        }
        Sequential onCpu = Models.lenetBn(CPU, 5);
        Sequential onGpu = Models.lenetBn(cuda, 5);
        SoftmaxCrossEntropy cpuLoss = new SoftmaxCrossEntropy(CPU);
        SoftmaxCrossEntropy gpuLoss = new SoftmaxCrossEntropy(cuda);
        for (int step = 0; step < 3; step++) {
            List<Parameter> pc = onCpu.parameters();
            List<Parameter> pg = onGpu.parameters();
            for (int i = 0; i < pc.size(); i++) {
                pc.get(i).zeroGrad();
                pg.get(i).zeroGrad();
            }
            double lc = cpuLoss.forward(onCpu.forward(x), labels);
            double lg = gpuLoss.forward(onGpu.forward(x), labels);
            assertEquals(lc, lg, 1e-4 * Math.abs(lc), "loss at step " + step);
            onCpu.backwardParametersOnly(cpuLoss.backward());
            onGpu.backwardParametersOnly(gpuLoss.backward());
            for (int i = 0; i < pc.size(); i++) {
                close(pc.get(i).name() + " gradient at step " + step, pc.get(i).grad().data(),
                        pg.get(i).grad().data());
                // The same plain SGD step on both, so the next step starts from the same weights.
                float[] wc = pc.get(i).value().data();
                float[] wg = pg.get(i).value().data();
                float[] gc = pc.get(i).grad().data();
                for (int j = 0; j < wc.length; j++) {
                    wc[j] -= 0.05f * gc[j];
                    wg[j] = wc[j];
                }
            }
        }
    }

    @Test
    void optimizerUpdatesMatchTheHostLoops() {
        needGpu();
        SplittableRandom rng = new SplittableRandom(4);
        int n = 1000;
        float[][] host = {random(rng, n).data(), random(rng, n).data(), random(rng, n).data(), new float[n]};
        for (int i = 0; i < n; i++) {
            host[3][i] = (float) rng.nextDouble();
        }
        float[][] gpu = {host[0].clone(), host[1].clone(), host[2].clone(), host[3].clone()};
        dev.lanes.training.optim.ParameterUpdates.HOST.adam(host[0], host[1], host[2], host[3], 0.9f, 0.999f, 0.01f,
                0.002f, 0.3f, 1e-8f);
        cuda.adam(gpu[0], gpu[1], gpu[2], gpu[3], 0.9f, 0.999f, 0.01f, 0.002f, 0.3f, 1e-8f);
        close("adam weights", host[0], gpu[0]);
        close("adam m", host[2], gpu[2]);
        close("adam v", host[3], gpu[3]);
        dev.lanes.training.optim.ParameterUpdates.HOST.sgd(host[0], host[1], host[2], 0.05f, 0.1f, 0.9f, true);
        cuda.sgd(gpu[0], gpu[1], gpu[2], 0.05f, 0.1f, 0.9f, true);
        close("sgd weights", host[0], gpu[0]);
        close("sgd velocity", host[2], gpu[2]);
        dev.lanes.training.optim.ParameterUpdates.HOST.sgd(host[0], host[1], null, 0f, 0.1f, 0f, false);
        cuda.sgd(gpu[0], gpu[1], null, 0f, 0.1f, 0f, false);
        close("plain sgd weights", host[0], gpu[0]);
    }
}
