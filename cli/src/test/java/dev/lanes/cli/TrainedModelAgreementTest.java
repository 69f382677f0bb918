package dev.lanes.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.lanes.Lanes;
import dev.lanes.compiler.CompileOptions;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.SessionOptions;
import dev.lanes.training.CpuBackend;
import dev.lanes.training.Models;
import dev.lanes.training.Sequential;
import dev.lanes.training.Trainer;
import dev.lanes.training.data.Augmentation;
import dev.lanes.training.data.Batch;
import dev.lanes.training.data.Batches;
import dev.lanes.training.data.Dataset;
import dev.lanes.training.data.DatasetFiles;
import dev.lanes.training.data.Split;
import dev.lanes.training.export.OnnxExport;
import dev.lanes.training.optim.Adam;
import dev.lanes.training.optim.ConstantSchedule;
import dev.lanes.training.optim.Params;
import dev.lanes.training.optim.ScheduledOptimizer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model the reference trainer trained, exported as ONNX, gives the trainer's own
 * evaluation-mode outputs in Lanes and in ONNX Runtime, and the same classes: the trainer and
 * the runtime are independent implementations, so agreement checks both.
 */
class TrainedModelAgreementTest {
    @TempDir
    Path dir;

    /** Test images per run: the whole test set is evaluated in slices of this many. */
    private static final int SLICE = 1000;

    @Test
    void leNetBnTrainedOnFashionMnistAgreesWithLanesAndOnnxRuntimeOnTheWholeTestSet() throws Exception {
        Dataset train = Dataset.read(DatasetFiles.find(TestModels.debianFashionMnist(), Split.TRAIN)).slice(0, 3000);
        Dataset test = Dataset.read(DatasetFiles.find(TestModels.sharedDataset("fashion-mnist-t10k"), Split.TEST));
        assertEquals(10_000, test.count());
        try (CpuBackend backend = new CpuBackend(2)) {
            Sequential model = Models.lenetBn(backend, 3);
            ScheduledOptimizer opt = new ScheduledOptimizer(
                    new Adam(Params.of(model.parameters()), 1e-3), new ConstantSchedule(1e-3));
            // An epoch of training gives the BatchNorms running statistics far from their start.
            new Trainer(model, backend, opt, 1.0, train, 64, 1, Augmentation.NONE).epoch(1, test.slice(0, 100));
            Path onnx = dir.resolve("lenet.onnx");
            Files.write(onnx, OnnxExport.export(model, 1, 28, 28, 10).toByteArray());
            model.setTraining(false);
            int right = 0;
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (Session s = Lanes.load(onnx, new SessionOptions(2), CompileOptions.defaults());
                    OrtSession ort = env.createSession(onnx.toString(), new OrtSession.SessionOptions())) {
                for (Batch b : Batches.inOrder(test, SLICE).epoch(0)) {
                    float[] want = model.forward(new dev.lanes.training.Tensor(
                            new int[] {b.size(), 1, 28, 28}, b.images())).data();
                    float[] got = s.run(dev.lanes.runtime.Tensor.of(b.images().clone(), b.size(), 1, 28, 28))
                            .get("logits").floats();
                    // float32 sums in other orders (im2col GEMM vs Winograd, folded BatchNorm):
                    // the usual 1e-4 absolute plus 1e-3 relative.
                    assertClose(want, got, "Lanes");
                    assertArrayEquals(classes(want), classes(got), "Lanes's classes");
                    float[] ortLogits = ortRun(env, ort, b);
                    assertClose(want, ortLogits, "ONNX Runtime");
                    assertArrayEquals(classes(want), classes(ortLogits), "ONNX Runtime's classes");
                    int[] predicted = classes(want);
                    for (int i = 0; i < b.size(); i++) {
                        right += predicted[i] == b.labels()[i] ? 1 : 0;
                    }
                }
            }
            // Trained, not random: most test images are classified right.
            assertTrue(right > test.count() / 2, right + " of " + test.count());
        }
    }

    private static float[] ortRun(OrtEnvironment env, OrtSession ort, Batch b) throws Exception {
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(b.images()),
                new long[] {b.size(), 1, 28, 28});
                OrtSession.Result r = ort.run(Map.of("input", in))) {
            float[][] logits = (float[][]) r.get(0).getValue();
            float[] flat = new float[b.size() * 10];
            for (int i = 0; i < logits.length; i++) {
                System.arraycopy(logits[i], 0, flat, i * 10, 10);
            }
            return flat;
        }
    }

    /** |got - want| <= 1e-4 + 1e-3 |want| everywhere. */
    private static void assertClose(float[] want, float[] got, String who) {
        assertEquals(want.length, got.length, who);
        for (int i = 0; i < want.length; i++) {
            assertTrue(Math.abs(got[i] - want[i]) <= 1e-4 + 1e-3 * Math.abs(want[i]),
                    who + " at " + i + ": " + got[i] + " vs the trainer's " + want[i]);
        }
    }

    private static int[] classes(float[] logits) {
        int[] c = new int[logits.length / 10];
        for (int i = 0; i < c.length; i++) {
            int best = 0;
            for (int k = 1; k < 10; k++) {
                if (logits[i * 10 + k] > logits[i * 10 + best]) {
                    best = k;
                }
            }
            c[i] = best;
        }
        return c;
    }
}
