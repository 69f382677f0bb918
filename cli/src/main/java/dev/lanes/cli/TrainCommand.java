package dev.lanes.cli;

import dev.lanes.errors.LanesException;
import dev.lanes.training.MetricsCsv;
import dev.lanes.training.ModelSpec;
import dev.lanes.training.Trainer;
import dev.lanes.training.run.Recipe;
import dev.lanes.training.run.TrainingData;
import dev.lanes.training.run.TrainingRun;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * {@code lanes train}: trains a model of the reference trainer (a built-in one or a model spec
 * file) on MNIST-style data and leaves in its output folder the checkpoint, the model as ONNX,
 * the metrics per epoch and a chart of them. The checkpoint is written after every epoch and
 * holds the recipe, so {@code --resume} continues an interrupted run to the result the
 * uninterrupted run would have had.
 */
final class TrainCommand implements Command {
    static final String CHECKPOINT = "checkpoint";
    static final String ONNX = "model.onnx";
    static final String METRICS = "metrics.csv";
    static final String CURVES = "curves.png";
    /** The most threads a run may ask for. */
    static final int MAX_THREADS = 1024;
    /** The recipe settings that are options of this command, each as --NAME VALUE. */
    private static final Set<String> SETTINGS = Recipe.names();
    /** What --resume may change: more (or fewer) epochs; threads and backend do not touch the result. */
    private static final Set<String> RESUMABLE = Set.of("--epochs", "--threads", "--backend", "-o", "--output");

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "train a CNN with the reference trainer; writes a checkpoint, ONNX, metrics and curves";
    }

    @Override
    public String help() {
        return """
                usage: lanes train [-o OUT] [--model NAME|FILE] [--data fashion-mnist|DIR]
                                   [--epochs N] [--batch N] [--optimizer sgd|adam|adamw] [--lr X]
                                   [--momentum X] [--nesterov] [--weight-decay X]
                                   [--schedule cosine|constant|step] [--warmup EPOCHS]
                                   [--step-epochs N] [--gamma X] [--clip NORM]
                                   [--augment crop,flip|crop|flip|none] [--crop-padding N]
                                   [--seed N] [--train-limit N] [--test-limit N]
                                   [--threads N] [--backend cpu|cuda|auto] [--resume]

                Trains with the reference trainer (module training, independent of the runtime)
                and writes into OUT, after every epoch:
                  checkpoint     weights, BatchNorm statistics, optimizer state, epochs done,
                                 metrics and the recipe (formats/src/main/proto/checkpoint.proto)
                  metrics.csv    epoch,train_loss,test_accuracy,images_per_s,seconds
                  curves.png     training loss and test accuracy per epoch
                and at the end model.onnx, the evaluation graph for 'lanes run' (input "input"
                [N,C,H,W], output "logits"; 'lanes convert OUT/checkpoint' writes it too).
                A progress bar per epoch goes to stderr, a line per epoch to stdout.

                  -o, --output OUT    the output folder (default: train-out)
                  --model NAME|FILE   lenet-bn, small-resnet, or a model spec file (see
                                      ModelSpec: 'input 1 28 28' then a layer per line)
                                      (default: lenet-bn)
                  --data fashion-mnist|DIR
                                      Debian's dataset-fashion-mnist, or a folder of IDX files
                                      train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],
                                      t10k-... (default: fashion-mnist)
                  --epochs N          epochs to train (default 10)
                  --batch N           examples per step (default 64)
                  --optimizer NAME    sgd, adam or adamw (default adamw)
                  --lr X              learning rate: the peak of the cosine (default 0.002)
                  --momentum X        SGD momentum (default 0.9)
                  --nesterov          Nesterov momentum for SGD
                  --weight-decay X    AdamW's decoupled decay, L2 for SGD and Adam (default
                                      0.05)
                  --schedule NAME     cosine (after the warm-up, down to 0 at the last step),
                                      constant, or step (lr times gamma every step-epochs)
                                      (default cosine)
                  --warmup EPOCHS     linear warm-up before the cosine (default 1, or 0 for
                                      a 1-epoch run and for the other schedules)
                  --step-epochs N     epochs between decays of the step schedule (default 5)
                  --gamma X           the step schedule's factor (default 0.1)
                  --clip NORM         clip gradients to this global norm, 0 for none (default 1)
                  --augment LIST      crop (random crop after padding), flip (horizontal, half
                                      the time), both, or none (default crop,flip)
                  --crop-padding N    the crop's padding in pixels (default 2)
                  --seed N            weights, shuffling and augmentation (default 1): the same
                                      seed on the CPU backend gives the same run, bit for bit
                  --train-limit N     use the first N training examples only (default: all)
                  --test-limit N      measure accuracy on the first N test examples only
                  --threads N         CPU threads (default: all cores)
                  --backend NAME      cpu, cuda (JCuda and a CUDA GPU) or auto (cuda when it
                                      works, else cpu; says which) (default cpu)
                  --resume            continue the run in OUT from its checkpoint, with its
                                      recipe; only --epochs may change (not under the cosine
                                      schedule, which spans the run's epochs), and threads and
                                      backend
                """;
    }

    @Override
    public Set<String> valueOptions() {
        Set<String> s = new LinkedHashSet<>();
        for (String name : SETTINGS) {
            if (!name.equals("nesterov")) {
                s.add("--" + name);
            }
        }
        s.addAll(Set.of("-o", "--output", "--threads", "--backend"));
        return s;
    }

    @Override
    public Set<String> flags() {
        return Set.of("--nesterov", "--resume");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws UsageException {
        args.expectPositional(0, 0, "");
        if (args.has("-o") && args.has("--output")) {
            throw new UsageException("give -o or --output, not both");
        }
        Path dir = Path.of(args.value("-o", args.value("--output", "train-out")));
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UsageException("-o: " + dir + " is a file, not a folder");
        }
        int threads = args.intValue("--threads", Runtime.getRuntime().availableProcessors(), 1);
        if (threads > MAX_THREADS) {
            throw new UsageException("--threads: at most " + MAX_THREADS + ", got " + threads);
        }
        Path checkpoint = dir.resolve(CHECKPOINT);
        boolean resume = args.has("--resume");
        Recipe recipe;
        if (resume) {
            if (!Files.isRegularFile(checkpoint)) {
                throw new UsageException("--resume: " + checkpoint + " does not exist");
            }
            for (String option : valueOptions()) {
                if (args.has(option) && !RESUMABLE.contains(option)) {
                    throw new UsageException("--resume continues the run with the recipe in its checkpoint; "
                            + option + " cannot change it (only --epochs can)");
                }
            }
            if (args.has("--nesterov")) {
                throw new UsageException("--resume continues the run with the recipe in its checkpoint; --nesterov"
                        + " cannot change it");
            }
            try {
                recipe = TrainingRun.recipeOf(checkpoint);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--resume: " + e.getMessage());
            }
            if (args.has("--epochs")) {
                Recipe more = set(recipe, "epochs", args.value("--epochs", null));
                if (more.epochs() != recipe.epochs() && recipe.schedule().equals("cosine")) {
                    // The cosine spans the run's epochs: another count puts every later step on
                    // another curve, which no uninterrupted run follows.
                    throw new UsageException("--epochs: the run's cosine schedule spans its " + recipe.epochs()
                            + " epochs; a resumed run keeps them (the constant and step schedules may be extended)");
                }
                recipe = more;
            }
        } else {
            if (Files.exists(checkpoint)) {
                throw new UsageException(dir + " already holds a run (" + checkpoint + "); add --resume to continue it"
                        + " or choose another -o");
            }
            recipe = recipeFrom(args);
        }
        try (Backends.Chosen chosen = Backends.choose(args.value("--backend", "cpu"), threads)) {
            err.println(chosen.description());
            TrainingData data;
            try {
                data = TrainingData.load(recipe);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            TrainingRun run;
            try {
                run = resume ? TrainingRun.resume(checkpoint, recipe, chosen.backend(), data)
                        : TrainingRun.start(recipe, chosen.backend(), data);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            Files.createDirectories(dir);
            out.println(String.format(Locale.ROOT, "training %s (%d parameters) on %s: %d training and %d test images;"
                    + " %s lr %s, %s schedule, %d steps per epoch", run.spec().name(), parameters(run),
                    data.folder(), data.train().count(), data.test().count(), recipe.optimizer(), recipe.get("lr"),
                    recipe.schedule(), run.stepsPerEpoch()));
            if (resume) {
                out.println("resuming after epoch " + run.epochsDone() + " of " + recipe.epochs());
            }
            while (!run.finished()) {
                ProgressBar bar = new ProgressBar(err, run.epochsDone() + 1, recipe.epochs());
                Trainer.EpochMetrics m;
                try {
                    m = run.nextEpoch(bar);
                } catch (IllegalStateException e) {
                    // The loss diverged: the recipe's fault, said as it is.
                    bar.finish();
                    throw new LanesException(e.getMessage(), e);
                }
                bar.finish();
                out.println(String.format(Locale.ROOT,
                        "epoch %d/%d  train loss %.4f  test accuracy %.4f  %.0f images/s  %.1f s", m.epoch(),
                        recipe.epochs(), m.trainLoss(), m.testAccuracy(), m.imagesPerSecond(), m.seconds()));
                run.save(checkpoint);
                MetricsCsv.write(dir.resolve(METRICS), run.metrics());
                curves(dir, run, recipe, err);
            }
            // Again after the loop: a run stopped between its last checkpoint and these files gets
            // them on resume.
            MetricsCsv.write(dir.resolve(METRICS), run.metrics());
            curves(dir, run, recipe, err);
            Files.write(dir.resolve(ONNX), run.exportOnnx().toByteArray());
            out.println("wrote " + dir.resolve(CHECKPOINT) + ", " + dir.resolve(ONNX) + ", " + dir.resolve(METRICS)
                    + ", " + dir.resolve(CURVES));
            return Main.OK;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * curves.png; a Java without the desktop module or fonts cannot draw it, which costs the
     * picture but not the run (the checkpoint and metrics are written already).
     */
    private static void curves(Path dir, TrainingRun run, Recipe recipe, PrintStream err) {
        try {
            TrainingCurves.write(dir.resolve(CURVES), run.spec().name() + " on " + recipe.data(), run.metrics());
        } catch (LinkageError | java.awt.AWTError e) {
            err.println("lanes train: could not draw " + dir.resolve(CURVES) + " (" + e + "); metrics.csv has the"
                    + " figures");
        }
    }

    private static long parameters(TrainingRun run) {
        long n = 0;
        for (var p : run.model().parameters()) {
            n += p.value().size();
        }
        return n;
    }

    /** The recipe the options ask for: defaults, then each setting given. */
    private static Recipe recipeFrom(Args args) throws UsageException {
        Recipe r = Recipe.defaults();
        for (String name : SETTINGS) {
            if (name.equals("nesterov")) {
                if (args.has("--nesterov")) {
                    r = set(r, name, "true");
                }
                continue;
            }
            if (!args.has("--" + name)) {
                continue;
            }
            String v = args.value("--" + name, null);
            if (name.equals("model")) {
                v = modelText(v);
            }
            if (name.equals("data") && !v.equals("fashion-mnist")) {
                // Kept absolute in the checkpoint: a resume from another folder reads the same data.
                v = Path.of(v).toAbsolutePath().normalize().toString();
            }
            r = set(r, name, v);
        }
        // The warm-up belongs to the cosine: another schedule without an explicit warm-up has none.
        // So does a run too short for it: the default epoch of warm-up needs a second epoch.
        if (!args.has("--warmup") && (!r.schedule().equals("cosine") || r.epochs() <= r.warmup())) {
            r = set(r, "warmup", "0");
        }
        return r;
    }

    /** A built-in model's name as it is, or a spec file's text (checked). */
    private static String modelText(String model) throws UsageException {
        if (ModelSpec.builtInNames().contains(model)) {
            return model;
        }
        Path file = Path.of(model);
        if (!Files.isRegularFile(file)) {
            throw new UsageException("--model: '" + model + "' is neither a built-in model " + ModelSpec.builtInNames()
                    + " nor a file");
        }
        try {
            if (Files.size(file) > 1 << 20) {
                throw new UsageException("--model: " + file + " is over 1 MiB; a model spec is a few lines");
            }
            String text = Files.readString(file);
            ModelSpec.parse(text.endsWith("\n") ? text : text + "\n");
            return text.endsWith("\n") ? text : text + "\n";
        } catch (IOException e) {
            throw new UsageException("--model: cannot read " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UsageException("--model " + file + ": " + e.getMessage());
        }
    }

    private static Recipe set(Recipe r, String name, String value) throws UsageException {
        try {
            return r.with(name, value);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--" + e.getMessage());
        }
    }
}
