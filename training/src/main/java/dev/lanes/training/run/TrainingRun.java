package dev.lanes.training.run;

import dev.lanes.formats.onnx.Onnx.ModelProto;
import dev.lanes.training.Backend;
import dev.lanes.training.ModelSpec;
import dev.lanes.training.Sequential;
import dev.lanes.training.Trainer;
import dev.lanes.training.checkpoint.TrainingCheckpoint;
import dev.lanes.training.data.Augmentation;
import dev.lanes.training.data.HorizontalFlip;
import dev.lanes.training.data.RandomCrop;
import dev.lanes.training.export.OnnxExport;
import dev.lanes.training.optim.Adam;
import dev.lanes.training.optim.AdamW;
import dev.lanes.training.optim.ConstantSchedule;
import dev.lanes.training.optim.LearningRateSchedule;
import dev.lanes.training.optim.Optimizer;
import dev.lanes.training.optim.Params;
import dev.lanes.training.optim.PerEpoch;
import dev.lanes.training.optim.ScheduledOptimizer;
import dev.lanes.training.optim.Sgd;
import dev.lanes.training.optim.StepDecay;
import dev.lanes.training.optim.WarmupCosine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A training run made from a {@link Recipe}: the model built from its spec and seed, the
 * optimizer and schedule, the trainer over the data; epoch by epoch, with checkpoints that hold
 * the recipe so {@link #resume} continues the run from the file alone and ends where the
 * uninterrupted run ends.
 */
public final class TrainingRun {
    private final Recipe recipe;
    private final ModelSpec spec;
    private final Sequential model;
    private final ScheduledOptimizer optimizer;
    private final Trainer trainer;
    private final TrainingData data;
    private final List<Trainer.EpochMetrics> metrics = new ArrayList<>();

    private TrainingRun(Recipe recipe, Backend backend, TrainingData data) {
        this.recipe = recipe;
        this.spec = spec(recipe);
        int[] in = spec.input();
        if (in[0] != 1 || in[1] != data.train().rows() || in[2] != data.train().cols()) {
            throw new IllegalArgumentException("model " + spec.name() + " takes " + in[0] + "x" + in[1] + "x" + in[2]
                    + " inputs, the data in " + data.folder() + " is 1x" + data.train().rows() + "x"
                    + data.train().cols());
        }
        if (!spec.flatOutput()) {
            throw new IllegalArgumentException("model " + spec.name() + " must end in features [N, classes]: add"
                    + " flatten (and linear) at its end");
        }
        if (spec.outputs() < data.train().classCount()) {
            throw new IllegalArgumentException("model " + spec.name() + " has " + spec.outputs() + " outputs, the data "
                    + data.train().classCount() + " classes");
        }
        this.data = data;
        this.model = spec.build(backend, recipe.seed());
        if (data.train().count() % recipe.batch() == 1 && dev.lanes.training.LayerTree.leaves(model).stream()
                .anyMatch(l -> l instanceof dev.lanes.training.BatchNorm2d)) {
            throw new IllegalArgumentException("batch: " + data.train().count() + " training examples in batches of "
                    + recipe.batch() + " leave a last batch of one, where batch normalization has no variance; choose"
                    + " another batch size or train-limit");
        }
        int steps = (data.train().count() + recipe.batch() - 1) / recipe.batch();
        Optimizer updates = optimizer(recipe, model);
        if (backend instanceof dev.lanes.training.optim.ParameterUpdates device) {
            // A device backend updates the parameters where it computed their gradients.
            updates.runUpdatesOn(device);
        }
        this.optimizer = new ScheduledOptimizer(updates, schedule(recipe, steps));
        this.trainer = new Trainer(model, backend, optimizer, recipe.clip(), data.train(), recipe.batch(),
                recipe.seed(), augmentation(recipe));
    }

    /** A new run. */
    public static TrainingRun start(Recipe recipe, Backend backend, TrainingData data) {
        return new TrainingRun(recipe, backend, data);
    }

    /**
     * The run saved in {@code checkpoint}, continued under {@code recipe} (the checkpoint's own,
     * from {@link #recipeOf}, perhaps with more epochs) on {@code data} (read with that recipe).
     */
    public static TrainingRun resume(Path checkpoint, Recipe recipe, Backend backend, TrainingData data) {
        TrainingRun run = new TrainingRun(recipe, backend, data);
        TrainingCheckpoint.Run saved = TrainingCheckpoint.load(checkpoint, run.model);
        if (saved.epochsDone() > recipe.epochs()) {
            throw new IllegalArgumentException(checkpoint + " has " + saved.epochsDone() + " epochs done, more than the "
                    + recipe.epochs() + " asked for");
        }
        if (saved.metrics().size() != saved.epochsDone()) {
            throw new IllegalArgumentException(checkpoint + ": " + saved.epochsDone() + " epochs done but the metrics of "
                    + saved.metrics().size());
        }
        long steps = (long) saved.epochsDone() * run.stepsPerEpoch();
        if (saved.optimizer().steps() != steps) {
            throw new IllegalArgumentException(checkpoint + ": the optimizer took " + saved.optimizer().steps()
                    + " steps, but " + saved.epochsDone() + " epochs of " + run.stepsPerEpoch() + " steps are " + steps
                    + " (other data than the run's?)");
        }
        run.optimizer.optimizer().load(saved.optimizer());
        run.metrics.addAll(saved.metrics());
        return run;
    }

    /** The recipe a checkpoint of {@code lanes train} was written with. */
    public static Recipe recipeOf(Path checkpoint) {
        java.util.Map<String, String> saved = TrainingCheckpoint.peekRecipe(checkpoint);
        if (saved.isEmpty()) {
            throw new IllegalArgumentException(checkpoint + ": the checkpoint holds no recipe (it was not written by"
                    + " lanes train), so its run cannot be rebuilt from it");
        }
        return Recipe.of(saved);
    }

    /** The model spec a recipe's {@code model} setting names: a built-in name, or a spec's text. */
    public static ModelSpec spec(Recipe recipe) {
        String m = recipe.model();
        return m.contains("\n") ? ModelSpec.parse(m) : ModelSpec.builtIn(m);
    }

    private static Optimizer optimizer(Recipe r, Sequential model) {
        var params = Params.of(model.parameters());
        return switch (r.optimizer()) {
            case "sgd" -> new Sgd(params, r.lr(), r.momentum(), r.nesterov(), r.weightDecay());
            case "adam" -> new Adam(params, r.lr(), 0.9, 0.999, 1e-8, r.weightDecay());
            case "adamw" -> new AdamW(params, r.lr(), 0.9, 0.999, 1e-8, r.weightDecay());
            default -> throw new IllegalArgumentException("optimizer: '" + r.optimizer() + "'");
        };
    }

    private static LearningRateSchedule schedule(Recipe r, int stepsPerEpoch) {
        long warmup = Math.round(r.warmup() * stepsPerEpoch);
        if (!r.schedule().equals("cosine") && warmup > 0) {
            throw new IllegalArgumentException("warmup: only the cosine schedule warms up; set warmup to 0 for the "
                    + r.schedule() + " schedule");
        }
        long total = (long) r.epochs() * stepsPerEpoch;
        return switch (r.schedule()) {
            case "constant" -> new ConstantSchedule(r.lr());
            case "cosine" -> {
                if (warmup >= total) {
                    throw new IllegalArgumentException("warmup: " + r.warmup() + " epochs of warm-up leave nothing of "
                            + r.epochs() + " epochs for the cosine");
                }
                yield new WarmupCosine(r.lr(), 0, warmup, total);
            }
            case "step" -> new PerEpoch(new StepDecay(r.lr(), r.gamma(), r.stepEpochs()), stepsPerEpoch);
            default -> throw new IllegalArgumentException("schedule: '" + r.schedule() + "'");
        };
    }

    private static Augmentation augmentation(Recipe r) {
        Augmentation a = Augmentation.NONE;
        if (r.augment().contains("crop")) {
            a = a.then(new RandomCrop(r.cropPadding()));
        }
        if (r.augment().contains("flip")) {
            a = a.then(new HorizontalFlip());
        }
        return a;
    }

    /** Epochs done so far. */
    public int epochsDone() {
        return metrics.size();
    }

    /** True when the recipe's epochs are done. */
    public boolean finished() {
        return epochsDone() >= recipe.epochs();
    }

    /** Trains the next epoch, telling {@code progress} after each step. */
    public Trainer.EpochMetrics nextEpoch(Trainer.Progress progress) {
        if (finished()) {
            throw new IllegalStateException("all " + recipe.epochs() + " epochs are done");
        }
        Trainer.EpochMetrics m = trainer.epoch(epochsDone() + 1, data.test(), progress);
        metrics.add(m);
        return m;
    }

    /** The steps of one epoch. */
    public int stepsPerEpoch() {
        return trainer.stepsPerEpoch();
    }

    /** Writes the checkpoint, through a temporary file beside it so that a crash leaves the old one whole. */
    public void save(Path checkpoint) {
        Path dir = checkpoint.toAbsolutePath().getParent();
        try {
            Path tmp = dir.resolve(checkpoint.getFileName() + ".tmp");
            try {
                TrainingCheckpoint.save(tmp, model, new TrainingCheckpoint.Run(spec.name(), recipe.seed(),
                        epochsDone(), optimizer.optimizer().state(), metrics, recipe.asMap()));
                Files.move(tmp, checkpoint, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + checkpoint + ": " + e.getMessage(), e);
        }
    }

    /** The model in evaluation form as ONNX: input "input" [N, C, H, W], output "logits". */
    public ModelProto exportOnnx() {
        int[] in = spec.input();
        return OnnxExport.export(model, in[0], in[1], in[2], spec.outputs());
    }

    /** The recipe. */
    public Recipe recipe() {
        return recipe;
    }

    /** The model spec. */
    public ModelSpec spec() {
        return spec;
    }

    /** The model, trained in place. */
    public Sequential model() {
        return model;
    }

    /** The metrics of the epochs done, resumed ones included. */
    public List<Trainer.EpochMetrics> metrics() {
        return List.copyOf(metrics);
    }

    /** The data. */
    public TrainingData data() {
        return data;
    }
}
