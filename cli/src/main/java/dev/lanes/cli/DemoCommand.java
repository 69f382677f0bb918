package dev.lanes.cli;

import dev.lanes.Lanes;
import dev.lanes.cli.demo.FashionImages;
import dev.lanes.compiler.CompileOptions;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.SessionOptions;
import dev.lanes.runtime.Tensor;
import dev.lanes.training.data.Dataset;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * {@code lanes demo}: classifies Fashion-MNIST images with the bundled LeNet-BN, which
 * {@code lanes train} trained: loads and compiles it with Lanes, measures its accuracy over the
 * images it finds (Debian's test set, the shared one, or the bundled samples) and shows some
 * predictions with their labels.
 */
final class DemoCommand implements Command {
    static final String MODEL = "demo/fashion-lenet-bn.onnx";
    static final int DEFAULT_RUNS = 20;
    static final int DEFAULT_SHOW = 8;
    static final int BATCH = 250;

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "classify Fashion-MNIST images with a bundled trained CNN (no downloads needed)";
    }

    @Override
    public String help() {
        return """
                usage: lanes demo [--data DIR] [--limit N] [--show N] [--runs N] [--threads N]
                                  [--out FILE]

                Loads the bundled LeNet-BN (252 KB of ONNX), trained on Fashion-MNIST with
                'lanes train -o OUT --epochs 15' (the defaults: AdamW 2e-3, weight decay 0.05,
                one epoch of warm-up then cosine, clipping at 1.0, random crop and flip; seed 1),
                compiles it with Lanes and classifies the Fashion-MNIST test images it finds:
                Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist), else the
                shared test material (../shared/datasets/fashion-mnist-t10k), else 20 sample
                images bundled with it (from the end of the training set, so not a test of
                accuracy). Prints the accuracy over them, per class, some predictions with
                labels and an image, and the latency of one image.

                  --data DIR     a folder with t10k-images-idx3-ubyte[.gz] and t10k-labels...
                  --limit N      classify only the first N images
                  --show N       predictions to list (default 8)
                  --runs N       timed single-image runs after one warm-up (default 20)
                  --threads N    threads the kernels may use (default: all cores)
                  --out FILE     also write the bundled model to FILE
                """;
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("--data", "--limit", "--show", "--runs", "--threads", "--out");
    }

    @Override
    public Set<String> flags() {
        return Set.of();
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws UsageException {
        args.expectPositional(0, 0, "");
        int runs = args.intValue("--runs", DEFAULT_RUNS, 1);
        int show = args.intValue("--show", DEFAULT_SHOW, 0);
        int limit = args.intValue("--limit", 0, 1);
        int threads = args.intValue("--threads", SessionOptions.defaults().threads(), 1);
        Path data = args.has("--data") ? Path.of(args.value("--data", "")) : null;
        byte[] model = bundledModel();
        if (args.has("--out")) {
            Path file = Path.of(args.value("--out", ""));
            try {
                Files.write(file, model);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.println("wrote the bundled model to " + file);
        }
        FashionImages images = data != null ? FashionImages.fromFolder(data) : FashionImages.find();
        Dataset set = limit > 0 && limit < images.data().count() ? images.data().slice(0, limit) : images.data();

        out.println("Lanes demo: Fashion-MNIST with a trained LeNet-BN");
        out.println();
        long t0 = System.nanoTime();
        try (Session session = Lanes.load(model, MODEL, new SessionOptions(threads), CompileOptions.defaults())) {
            long loaded = System.nanoTime() - t0;
            out.printf(Locale.ROOT, "model: %s (%.0f KB of ONNX), loaded and compiled in %s: %d steps, %d thread%s%n",
                    MODEL, model.length / 1e3, Tensors.millis(loaded), session.plan().steps().size(), threads,
                    threads == 1 ? "" : "s");
            out.println("images: " + set.count() + " from " + images.source());
            out.println();
            classify(session, set, show, out);
            latency(session, set, runs, out);
        }
        return Main.OK;
    }

    private static byte[] bundledModel() {
        try (InputStream in = DemoCommand.class.getResourceAsStream(MODEL)) {
            if (in == null) {
                throw new IllegalStateException(MODEL + " is missing from the lanes jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void classify(Session session, Dataset set, int show, PrintStream out) {
        int n = set.count();
        int[] predicted = new int[n];
        float[] confidence = new float[n];
        int side = set.rows() * set.cols();
        long t0 = System.nanoTime();
        for (int from = 0; from < n; from += BATCH) {
            int count = Math.min(BATCH, n - from);
            float[] x = new float[count * side];
            for (int i = 0; i < count; i++) {
                set.copyImage(from + i, x, i * side);
            }
            float[] logits = session.run(Tensor.of(x, count, 1, set.rows(), set.cols())).get("logits").floats();
            for (int i = 0; i < count; i++) {
                int best = 0;
                for (int c = 1; c < 10; c++) {
                    if (logits[i * 10 + c] > logits[i * 10 + best]) {
                        best = c;
                    }
                }
                predicted[from + i] = best;
                confidence[from + i] = softmaxAt(logits, i * 10, best);
            }
        }
        long nanos = System.nanoTime() - t0;
        int[] right = new int[10];
        int[] seen = new int[10];
        int total = 0;
        for (int i = 0; i < n; i++) {
            int label = set.label(i);
            seen[label]++;
            if (predicted[i] == label) {
                right[label]++;
                total++;
            }
        }
        out.printf(Locale.ROOT, "accuracy: %.2f%% (%d of %d right), in %s (%.0f images/s, batches of %d)%n",
                100.0 * total / n, total, n, Tensors.millis(nanos), n / (nanos / 1e9), BATCH);
        out.println("per class:");
        for (int c = 0; c < 10; c++) {
            if (seen[c] > 0) {
                out.printf(Locale.ROOT, "  %-12s %6.2f%% of %d%n", FashionImages.CLASSES.get(c),
                        100.0 * right[c] / seen[c], seen[c]);
            }
        }
        if (show > 0) {
            out.println();
            out.println("predictions:");
            for (int i = 0; i < Math.min(show, n); i++) {
                String label = FashionImages.CLASSES.get(set.label(i));
                String guess = FashionImages.CLASSES.get(predicted[i]);
                out.printf(Locale.ROOT, "  image %-5d %-12s -> %-12s (p = %.3f)%s%n", i, label, guess, confidence[i],
                        predicted[i] == set.label(i) ? "" : "   wrong");
            }
            out.println();
            out.println("image 0 (" + FashionImages.CLASSES.get(set.label(0)) + "):");
            out.print(FashionImages.ascii(set, 0));
        }
    }

    /** The softmax probability of logit {@code at + k}. */
    private static float softmaxAt(float[] logits, int at, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < 10; c++) {
            max = Math.max(max, logits[at + c]);
        }
        double sum = 0;
        for (int c = 0; c < 10; c++) {
            sum += Math.exp(logits[at + c] - max);
        }
        return (float) (Math.exp(logits[at + k] - max) / sum);
    }

    private static void latency(Session session, Dataset set, int runs, PrintStream out) {
        float[] x = new float[set.rows() * set.cols()];
        set.copyImage(0, x, 0);
        Tensor image = Tensor.of(x, 1, 1, set.rows(), set.cols());
        long t1 = System.nanoTime();
        session.run(image);
        long first = System.nanoTime() - t1;
        long[] times = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            session.run(image);
            times[i] = System.nanoTime() - t;
        }
        Arrays.sort(times);
        out.println();
        out.println("latency of one image: first run " + Tensors.millis(first) + "; over " + runs
                + " more: median " + Tensors.millis(times[runs / 2]) + ", min " + Tensors.millis(times[0])
                + ", max " + Tensors.millis(times[runs - 1]));
    }
}
