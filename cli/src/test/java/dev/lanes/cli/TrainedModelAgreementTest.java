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

    @Test
    void leNetBnTrainedOnFashionMnistAgreesWithLanesAndOnnxRuntime() throws Exception {
        Path data = TestModels.sharedDataset("fashion-mnist-t10k");
        Dataset all = Dataset.read(DatasetFiles.find(data, Split.TEST));
        Dataset train = all.slice(0, 3000);
        Dataset test = all.slice(9000, 9512);
        try (CpuBackend backend = new CpuBackend(2)) {
            Sequential model = Models.lenetBn(backend, 3);
            ScheduledOptimizer opt = new ScheduledOptimizer(
                    new Adam(Params.of(model.parameters()), 1e-3), new ConstantSchedule(1e-3));
            // An epoch of training gives the BatchNorms running statistics far from their start.
            new Trainer(model, backend, opt, 1.0, train, 64, 1, Augmentation.NONE).epoch(1, test);
            Path onnx = dir.resolve("lenet.onnx");
            Files.write(onnx, OnnxExport.export(model, 1, 28, 28, 10).toByteArray());
            model.setTraining(false);
            Batch b = Batches.inOrder(test, test.count()).epoch(0).iterator().next();
            dev.lanes.training.Tensor want = model.forward(new dev.lanes.training.Tensor(
                    new int[] {b.size(), 1, 28, 28}, b.images()));
            dev.lanes.runtime.Tensor x = dev.lanes.runtime.Tensor.of(b.images().clone(),
                    b.size(), 1, 28, 28);
            dev.lanes.runtime.Tensor ref = dev.lanes.runtime.Tensor.of(want.data().clone(),
                    b.size(), 10);
            try (Session s = Lanes.load(onnx, new SessionOptions(2), CompileOptions.defaults())) {
                dev.lanes.runtime.Tensor got = s.run(x).get("logits");
                // float32 sums in other orders (im2col GEMM vs Winograd, folded BatchNorm):
                // the usual 1e-4 absolute plus 1e-3 relative.
                assertClose(ref.floats(), got.floats(), "Lanes");
                assertArrayEquals(classes(ref.floats()), classes(got.floats()));
            }
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession ort = env.createSession(onnx.toString(), new OrtSession.SessionOptions());
                    OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(b.images()),
                            new long[] {b.size(), 1, 28, 28});
                    OrtSession.Result r = ort.run(Map.of("input", in))) {
                float[][] logits = (float[][]) r.get(0).getValue();
                float[] flat = new float[b.size() * 10];
                for (int i = 0; i < logits.length; i++) {
                    System.arraycopy(logits[i], 0, flat, i * 10, 10);
                }
                assertClose(ref.floats(), flat, "ONNX Runtime");
            }
            // Trained, not random: most held-out images are classified right.
            int right = 0;
            int[] predicted = classes(want.data());
            for (int i = 0; i < b.size(); i++) {
                right += predicted[i] == b.labels()[i] ? 1 : 0;
            }
            assertTrue(right > b.size() / 2, right + " of " + b.size());
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
