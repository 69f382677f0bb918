package dev.lanes.cli;

import dev.lanes.Lanes;
import dev.lanes.cli.demo.DemoModel;
import dev.lanes.cli.demo.DigitImage;
import dev.lanes.compiler.CompileOptions;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.SessionOptions;
import dev.lanes.runtime.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * {@code lanes demo}: writes the bundled CNN to an ONNX file, loads it with the Lanes facade,
 * runs it on one digit image and reports each step.
 */
final class DemoCommand implements Command {
    static final int DEFAULT_RUNS = 20;

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "build a small CNN, compile it and classify a digit (no downloads needed)";
    }

    @Override
    public String help() {
        return """
                usage: lanes demo [--out FILE] [--runs N] [--threads N]

                Builds the bundled demo CNN (Conv, BatchNormalization, Relu, MaxPool, Conv, Relu,
                GlobalAveragePool, Flatten, Gemm, Softmax; seeded random He-initialised weights),
                writes it as ONNX, loads and compiles it with Lanes, runs it on a 28x28 digit (the
                first MNIST test image if ../shared is present, else one drawn in code) and prints
                the layers, load time, latency, the class probabilities and the top class. The
                weights are untrained, so the class shows the pipeline works, not a prediction.

                  --out FILE    keep the model at FILE (default: a temporary file, deleted after)
                  --runs N      timed runs after one warm-up (default 20)
                  --threads N   threads the kernels may use (default: all cores)
                """;
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("--out", "--runs", "--threads");
    }

    @Override
    public Set<String> flags() {
        return Set.of();
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws UsageException {
        args.expectPositional(0, 0, "");
        int runs = args.intValue("--runs", DEFAULT_RUNS, 1);
        int threads = args.intValue("--threads", SessionOptions.defaults().threads(), 1);
        Path file = args.has("--out") ? Path.of(args.value("--out", "")) : null;
        boolean temporary = file == null;
        try {
            if (temporary) {
                file = Files.createTempFile("lanes-demo-", ".onnx");
            }
            return demo(file, temporary, runs, threads, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (temporary && file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    err.println("lanes demo: could not delete " + file + " (" + e + ")");
                }
            }
        }
    }

    private static int demo(Path file, boolean temporary, int runs, int threads, PrintStream out) {
        out.println("Lanes demo: a small CNN, untrained (seeded He-initialised weights)");
        out.println();
        DemoModel model = DemoModel.create();
        out.println("layers:");
        long params = 0;
        for (DemoModel.Layer l : model.layers()) {
            out.println(String.format(Locale.ROOT, "  %-8s %-18s %-22s %-14s %s", l.name(),
                    l.op(), l.detail(), l.outputShape(),
                    l.parameters() == 0 ? "" : l.parameters() + " params").stripTrailing());
            params += l.parameters();
        }
        out.println("  input " + DemoModel.INPUT + " [N,1,28,28], output " + DemoModel.OUTPUT
                + " [N,10]; " + params + " parameters");
        model.builder().write(file);
        out.println();
        out.println("wrote " + (temporary ? "(temporary) " : "") + file + " ("
                + fileSize(file) + " bytes)");

        long t0 = System.nanoTime();
        Session session = Lanes.load(file, new SessionOptions(threads), CompileOptions.defaults());
        long loaded = System.nanoTime() - t0;
        out.println("loaded and compiled in " + Tensors.millis(loaded) + " ("
                + session.plan().steps().size() + " steps after optimization, " + threads
                + " thread" + (threads == 1 ? "" : "s") + ")");

        DigitImage digit = DigitImage.load();
        out.println();
        out.println("input: " + digit.source()
                + (digit.label() >= 0 ? ", showing a " + digit.label() : ""));
        out.print(digit.ascii());
        Tensor image = Tensor.of(digit.pixels(), 1, 1, DigitImage.SIDE, DigitImage.SIDE);

        long t1 = System.nanoTime();
        Tensor probabilities = session.run(image).get(DemoModel.OUTPUT);
        long first = System.nanoTime() - t1;
        long[] times = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            session.run(image);
            times[i] = System.nanoTime() - t;
        }
        Arrays.sort(times);
        out.println();
        out.println("latency: first run " + Tensors.millis(first) + "; over " + runs
                + " more runs: median " + Tensors.millis(times[runs / 2]) + ", min "
                + Tensors.millis(times[0]) + ", max " + Tensors.millis(times[runs - 1]));

        float[] p = probabilities.floats();
        int top = 0;
        out.println();
        out.println("class probabilities:");
        for (int c = 0; c < p.length; c++) {
            if (p[c] > p[top]) {
                top = c;
            }
            out.printf(Locale.ROOT, "  %d  %.4f  %s%n", c, p[c], "#".repeat(Math.round(p[c] * 50)));
        }
        out.printf(Locale.ROOT, "top class: %d (p = %.4f)%n", top, p[top]);
        out.println("(the weights are random, so the class is arbitrary: this shows the pipeline,"
                + " not a trained classifier)");
        return Main.OK;
    }

    private static long fileSize(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
