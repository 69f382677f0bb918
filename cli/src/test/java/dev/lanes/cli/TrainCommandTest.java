package dev.lanes.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.Lanes;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.Tensor;
import dev.lanes.training.CpuBackend;
import dev.lanes.training.MetricsCsv;
import dev.lanes.training.run.Recipe;
import dev.lanes.training.run.TrainingData;
import dev.lanes.training.run.TrainingRun;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lanes train} end to end on a small slice of the shared Fashion-MNIST test set (used as
 * both training and test data: the test is of the pipeline, not of accuracy): the four outputs,
 * resuming, {@code lanes convert} of the checkpoint, and the errors of misuse.
 */
class TrainCommandTest {
    @TempDir
    Path dir;
    Path data;

    /** A data folder whose training and test files are both the shared t10k files. */
    @BeforeEach
    void data() throws Exception {
        Path shared = TestModels.sharedDataset("fashion-mnist-t10k");
        data = Files.createDirectories(dir.resolve("data"));
        for (String kind : List.of("images-idx3-ubyte.gz", "labels-idx1-ubyte.gz")) {
            Files.createSymbolicLink(data.resolve("train-" + kind), shared.resolve("t10k-" + kind));
            Files.createSymbolicLink(data.resolve("t10k-" + kind), shared.resolve("t10k-" + kind));
        }
    }

    private CliRunner train(Path out, String... more) {
        String[] base = {"train", "-o", out.toString(), "--data", data.toString(), "--train-limit", "640",
            "--test-limit", "256", "--threads", "2"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return CliRunner.run(all);
    }

    @Test
    void trainWritesTheCheckpointTheModelTheMetricsAndTheCurves() throws Exception {
        Path out = dir.resolve("run");
        CliRunner r = train(out, "--epochs", "2");
        assertEquals(Main.OK, r.code, r::toString);
        assertTrue(r.out.contains("training lenet-bn (62136 parameters)"), r.out);
        assertTrue(r.out.contains("epoch 1/2  train loss") && r.out.contains("epoch 2/2  train loss"), r.out);
        assertTrue(r.err.contains("backend: cpu, 2 threads"), r.err);
        assertTrue(r.err.contains("epoch 2/2 [" + "#".repeat(ProgressBar.WIDTH) + "] 10/10  loss"), r.err);

        List<String> csv = Files.readAllLines(out.resolve(TrainCommand.METRICS));
        assertEquals(MetricsCsv.HEADER, csv.get(0));
        assertEquals(3, csv.size(), csv::toString);
        assertTrue(csv.get(2).startsWith("2,"), csv::toString);
        double accuracy = Double.parseDouble(csv.get(2).split(",")[2]);
        assertTrue(accuracy > 0.3 && accuracy <= 1, "a fraction, and above chance after 2 epochs: " + accuracy);

        BufferedImage png = ImageIO.read(out.resolve(TrainCommand.CURVES).toFile());
        assertEquals(TrainingCurves.WIDTH, png.getWidth());
        assertEquals(TrainingCurves.HEIGHT, png.getHeight());

        // The ONNX runs in Lanes on a batch of 3 (the batch axis is free) and gives 10 logits each.
        try (Session s = Lanes.load(out.resolve(TrainCommand.ONNX))) {
            Tensor y = s.run(Map.of("input", Tensor.of(new float[3 * 784], 3, 1, 28, 28))).get("logits");
            assertArrayEquals(new int[] {3, 10}, y.shape());
        }

        // convert writes the same ONNX from the checkpoint alone, and a plan that runs.
        Path onnx = dir.resolve("again.onnx");
        CliRunner c = CliRunner.run("convert", out.resolve(TrainCommand.CHECKPOINT).toString(), "-o", onnx.toString());
        assertEquals(Main.OK, c.code, c::toString);
        assertArrayEquals(Files.readAllBytes(out.resolve(TrainCommand.ONNX)), Files.readAllBytes(onnx));
        Path plan = dir.resolve("model.lanes");
        CliRunner p = CliRunner.run("convert", out.resolve(TrainCommand.CHECKPOINT).toString(), "-o", plan.toString());
        assertEquals(Main.OK, p.code, p::toString);
        assertTrue(Lanes.isPlan(plan));
        CliRunner run = CliRunner.run("run", plan.toString());
        assertEquals(Main.OK, run.code, run::toString);
    }

    @Test
    void resumingAnInterruptedRunEndsWhereTheUninterruptedRunEnds() throws Exception {
        Path whole = dir.resolve("whole");
        assertEquals(Main.OK, train(whole, "--epochs", "2", "--seed", "5").code);

        // The same recipe as the command line makes it, stopped after its first epoch as a
        // crash would stop it (the checkpoint is written after every epoch).
        Path cut = Files.createDirectories(dir.resolve("cut"));
        Recipe recipe = Recipe.defaults().with("data", data.toString()).with("train-limit", "640")
                .with("test-limit", "256").with("epochs", "2").with("seed", "5");
        try (CpuBackend cpu = new CpuBackend(2)) {
            TrainingRun first = TrainingRun.start(recipe, cpu, TrainingData.load(recipe));
            first.nextEpoch(dev.lanes.training.Trainer.Progress.NONE);
            first.save(cut.resolve(TrainCommand.CHECKPOINT));
        }
        CliRunner resumed = CliRunner.run("train", "-o", cut.toString(), "--resume", "--threads", "1");
        assertEquals(Main.OK, resumed.code, resumed::toString);
        assertTrue(resumed.out.contains("resuming after epoch 1 of 2"), resumed.out);
        CliRunner longer = CliRunner.run("train", "-o", cut.toString(), "--resume", "--epochs", "3");
        assertEquals(Main.USAGE, longer.code);
        assertTrue(longer.err.contains("cosine schedule spans its 2 epochs"), longer.err);
        assertArrayEquals(Files.readAllBytes(whole.resolve(TrainCommand.ONNX)),
                Files.readAllBytes(cut.resolve(TrainCommand.ONNX)), "the trained weights differ");
        List<String> a = Files.readAllLines(whole.resolve(TrainCommand.METRICS));
        List<String> b = Files.readAllLines(cut.resolve(TrainCommand.METRICS));
        for (int i = 1; i < 3; i++) {
            // epoch, loss and accuracy; the speed columns differ from run to run.
            assertEquals(List.of(a.get(i).split(",")).subList(0, 3), List.of(b.get(i).split(",")).subList(0, 3));
        }
    }

    @Test
    void misuseIsAUsageErrorThatSaysWhatIsWrong() throws Exception {
        Path out = dir.resolve("run");
        assertEquals(Main.OK, train(out, "--epochs", "1", "--schedule", "constant").code);
        CliRunner again = train(out, "--epochs", "1");
        assertEquals(Main.USAGE, again.code);
        assertTrue(again.err.contains("already holds a run") && again.err.contains("--resume"), again.err);
        CliRunner change = CliRunner.run("train", "-o", out.toString(), "--resume", "--lr", "0.1");
        assertEquals(Main.USAGE, change.code);
        assertTrue(change.err.contains("--lr cannot change it"), change.err);
        CliRunner fewer = CliRunner.run("train", "-o", out.toString(), "--resume", "--epochs", "2");
        assertEquals(Main.OK, fewer.code, fewer::toString);
        assertTrue(fewer.out.contains("epoch 2/2"), fewer.out);

        CliRunner optimizer = train(dir.resolve("x"), "--optimizer", "rmsprop");
        assertEquals(Main.USAGE, optimizer.code);
        assertTrue(optimizer.err.contains("--optimizer: 'rmsprop' is not one of [sgd, adam, adamw]"), optimizer.err);
        CliRunner augment = train(dir.resolve("x"), "--augment", "crop,rotate");
        assertEquals(Main.USAGE, augment.code);
        assertTrue(augment.err.contains("'rotate'"), augment.err);
        CliRunner warm = train(dir.resolve("x"), "--schedule", "step", "--warmup", "1");
        assertEquals(Main.USAGE, warm.code);
        assertTrue(warm.err.contains("only the cosine schedule warms up"), warm.err);

        Path spec = Files.writeString(dir.resolve("bad.txt"), "input 1 28 28\nconv out=4 kernel=3\nlinear out=10\n");
        CliRunner model = train(dir.resolve("x"), "--model", spec.toString());
        assertEquals(Main.USAGE, model.code);
        assertTrue(model.err.contains("line 3") && model.err.contains("flatten"), model.err);
        Path wrongInput = Files.writeString(dir.resolve("rgb.txt"), "input 3 32 32\nflatten\nlinear out=10\n");
        CliRunner rgb = train(dir.resolve("x"), "--model", wrongInput.toString());
        assertEquals(Main.USAGE, rgb.code);
        assertTrue(rgb.err.contains("3x32x32") && rgb.err.contains("1x28x28"), rgb.err);
        Path notFlat = Files.writeString(dir.resolve("conv.txt"), "input 1 28 28\nconv out=10 kernel=28\n");
        CliRunner image = train(dir.resolve("x"), "--model", notFlat.toString());
        assertEquals(Main.USAGE, image.code);
        assertTrue(image.err.contains("must end in features"), image.err);
        CliRunner noData = CliRunner.run("train", "-o", dir.resolve("x").toString(), "--data",
                dir.resolve("nowhere").toString());
        assertEquals(Main.FAILED, noData.code);
        assertTrue(noData.err.contains("does not exist"), noData.err);
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        CliRunner notFolder = CliRunner.run("train", "-o", file.toString());
        assertEquals(Main.USAGE, notFolder.code);
        assertTrue(notFolder.err.contains("is a file, not a folder"), notFolder.err);
        CliRunner both = CliRunner.run("train", "-o", "a", "--output", "b");
        assertEquals(Main.USAGE, both.code);
        CliRunner single = train(dir.resolve("x"), "--train-limit", "129", "--epochs", "1");
        assertEquals(Main.USAGE, single.code);
        assertTrue(single.err.contains("last batch of one"), single.err);
        CliRunner quantum = train(dir.resolve("x"), "--backend", "quantum");
        assertEquals(Main.USAGE, quantum.code);
        assertTrue(quantum.err.contains("not one of cpu, cuda, auto"), quantum.err);
        assertTrue(!Files.exists(dir.resolve("x").resolve(TrainCommand.CHECKPOINT)));
    }

    @Test
    void autoSaysWhichBackendItPickedAndCudaSaysWhyItCannotRun() throws Exception {
        dev.lanes.training.cuda.CudaBackend.Availability cuda = dev.lanes.training.cuda.CudaBackend.probe();
        CliRunner auto = train(dir.resolve("auto"), "--backend", "auto", "--epochs", "1", "--train-limit", "128",
                "--test-limit", "64");
        assertEquals(Main.OK, auto.code, auto::toString);
        assertTrue(auto.err.contains(cuda.available() ? "backend: cuda" : "backend: cpu, 2 threads (picked by auto:"
                + " CUDA cannot be used here: " + cuda.description()), auto.err);
        if (!cuda.available()) {
            CliRunner forced = train(dir.resolve("forced"), "--backend", "cuda");
            assertEquals(Main.FAILED, forced.code);
            assertTrue(forced.err.contains("--backend cuda: CUDA cannot be used here: " + cuda.description()),
                    forced.err);
        }
    }

    @Test
    void aModelSpecFileTrainsAndItsCheckpointRebuildsIt() throws Exception {
        Path spec = Files.writeString(dir.resolve("tiny.txt"), """
                name tiny
                input 1 28 28
                conv out=4 kernel=3 stride=2 pad=1 bias=false
                bn
                relu
                gap
                flatten
                dropout p=0.1
                linear out=10
                """);
        Path out = dir.resolve("tiny");
        CliRunner r = train(out, "--model", spec.toString(), "--epochs", "1", "--optimizer", "sgd", "--nesterov",
                "--schedule", "step");
        assertEquals(Main.OK, r.code, r::toString);
        assertTrue(r.out.contains("training tiny (94 parameters)"), r.out);
        // The spec lives in the checkpoint: the spec file is not needed any more.
        Files.delete(spec);
        Path onnx = dir.resolve("tiny.onnx");
        assertEquals(Main.OK, CliRunner.run("convert", out.resolve(TrainCommand.CHECKPOINT).toString(), "-o",
                onnx.toString()).code);
        assertArrayEquals(Files.readAllBytes(out.resolve(TrainCommand.ONNX)), Files.readAllBytes(onnx));
    }
}
