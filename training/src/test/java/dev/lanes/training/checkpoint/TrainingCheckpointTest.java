package dev.lanes.training.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.errors.ModelFormatException;
import dev.lanes.training.BatchNorm2d;
import dev.lanes.training.CpuBackend;
import dev.lanes.training.Models;
import dev.lanes.training.Parameter;
import dev.lanes.training.Sequential;
import dev.lanes.training.Trainer;
import dev.lanes.training.data.Augmentation;
import dev.lanes.training.data.Dataset;
import dev.lanes.training.data.HorizontalFlip;
import dev.lanes.training.data.RandomCrop;
import dev.lanes.training.data.SharedData;
import dev.lanes.training.data.Split;
import dev.lanes.training.optim.AdamW;
import dev.lanes.training.optim.Params;
import dev.lanes.training.optim.ScheduledOptimizer;
import dev.lanes.training.optim.WarmupCosine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run resumed from a checkpoint ends bit for bit where the uninterrupted run ends. */
class TrainingCheckpointTest {
    private static final long SEED = 9;
    private static final int BATCH = 64;

    @TempDir
    Path dir;

    /** A model, its AdamW with warm-up and cosine over 2 epochs, and a trainer with augmentation. */
    private record Setup(Sequential model, ScheduledOptimizer opt, Trainer trainer) {
    }

    private static Setup setup(CpuBackend b, Dataset train) {
        Sequential model = Models.lenetBn(b, SEED);
        int perEpoch = (train.count() + BATCH - 1) / BATCH;
        ScheduledOptimizer opt = new ScheduledOptimizer(
                new AdamW(Params.of(model.parameters()), 2e-3, 0.05),
                new WarmupCosine(2e-3, 0, perEpoch, 2L * perEpoch));
        Augmentation aug = new RandomCrop(2).then(new HorizontalFlip(0.5));
        return new Setup(model, opt, new Trainer(model, b, opt, 1.0, train, BATCH, SEED, aug));
    }

    @Test
    void resumedRunEndsWhereTheUninterruptedRunEnds() throws Exception {
        Dataset all = Dataset.read(SharedData.dataset("fashion-mnist-t10k"), Split.TEST);
        Dataset train = all.slice(0, 640);
        Dataset test = all.slice(9000, 9256);
        try (CpuBackend b = new CpuBackend(2)) {
            Setup straight = setup(b, train);
            straight.trainer().epoch(1, test);
            Trainer.EpochMetrics last = straight.trainer().epoch(2, test);

            Setup first = setup(b, train);
            Trainer.EpochMetrics m1 = first.trainer().epoch(1, test);
            Path file = dir.resolve("checkpoint");
            TrainingCheckpoint.save(file, first.model(), new TrainingCheckpoint.Run("lenet-bn",
                    SEED, 1, first.opt().optimizer().state(), List.of(m1)));
            assertEquals("lenet-bn", TrainingCheckpoint.peek(file));

            // A fresh model with other initial weights, and a fresh optimizer.
            Setup resumed = setup(b, train);
            for (Parameter p : resumed.model().parameters()) {
                java.util.Arrays.fill(p.value().data(), 0.5f);
            }
            TrainingCheckpoint.Run run = TrainingCheckpoint.load(file, resumed.model());
            resumed.opt().optimizer().load(run.optimizer());
            assertEquals(1, run.epochsDone());
            assertEquals(SEED, run.seed());
            assertEquals(List.of(m1), run.metrics());
            Trainer.EpochMetrics again = resumed.trainer().epoch(run.epochsDone() + 1, test);

            assertEquals(last.trainLoss(), again.trainLoss());
            assertEquals(last.testAccuracy(), again.testAccuracy());
            List<Parameter> a = straight.model().parameters();
            List<Parameter> c = resumed.model().parameters();
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i).value().data(), c.get(i).value().data(),
                        a.get(i).name());
            }
            assertArrayEquals(runningMeans(straight.model()), runningMeans(resumed.model()));
        }
    }

    private static float[] runningMeans(Sequential m) {
        List<Float> out = new ArrayList<>();
        for (var l : m.layers()) {
            if (l instanceof BatchNorm2d bn) {
                for (float v : bn.runningMean()) {
                    out.add(v);
                }
            }
        }
        float[] f = new float[out.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = out.get(i);
        }
        assertTrue(f.length > 0);
        return f;
    }

    @Test
    void badFilesAndOtherModelsAreClearErrors() throws Exception {
        try (CpuBackend b = new CpuBackend(1)) {
            Path junk = dir.resolve("junk");
            Files.write(junk, new byte[] {1, 2, 3, 4, 5});
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> TrainingCheckpoint.peek(junk));
            assertTrue(e.getMessage().contains("not a Lanes checkpoint"), e.getMessage());
            Path resnet = dir.resolve("resnet");
            Sequential r = Models.smallResNet(b, 1);
            TrainingCheckpoint.save(resnet, r, new TrainingCheckpoint.Run("small-resnet", 1, 0,
                    new dev.lanes.training.optim.OptimizerState("adamw", 0, java.util.Map.of()),
                    List.of()));
            Sequential lenet = Models.lenetBn(b, 1);
            float[] before = lenet.parameters().get(0).value().data().clone();
            e = assertThrows(ModelFormatException.class,
                    () -> TrainingCheckpoint.load(resnet, lenet));
            assertTrue(e.getMessage().contains("parameters"), e.getMessage());
            assertArrayEquals(before, lenet.parameters().get(0).value().data(),
                    "a failed load changes nothing");
        }
    }
}
