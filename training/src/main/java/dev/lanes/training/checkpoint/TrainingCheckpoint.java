package dev.lanes.training.checkpoint;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.lanes.errors.ModelFormatException;
import dev.lanes.formats.FileBytes;
import dev.lanes.formats.checkpoint.LanesCheckpoint;
import dev.lanes.training.BatchNorm2d;
import dev.lanes.training.Layer;
import dev.lanes.training.LayerTree;
import dev.lanes.training.Parameter;
import dev.lanes.training.Sequential;
import dev.lanes.training.Trainer;
import dev.lanes.training.optim.OptimizerState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves and restores a training run (format: {@code checkpoint.proto} in formats): the model's
 * parameters and BatchNorm running statistics, the optimizer's state (its step count is the
 * schedule's position), the seed, the epochs done and their metrics. Shuffling and augmentation
 * derive from the seed and the epoch, so a run resumed from a checkpoint continues exactly as
 * the uninterrupted run would have.
 */
public final class TrainingCheckpoint {
    /** What {@code magic} holds. */
    public static final String MAGIC = "lanes-checkpoint";
    /** The format version this code writes and reads. */
    public static final int VERSION = 1;
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    /**
     * The run's state besides the model's arrays, which {@link #load} writes into the model.
     *
     * @param model      the model's catalogue name
     * @param seed       the run's seed
     * @param epochsDone epochs completed
     * @param optimizer  the optimizer's state, for {@code Optimizer.load}
     * @param metrics    the metrics of the epochs done
     * @param recipe     the run's settings by name (see {@code dev.lanes.training.run.Recipe}),
     *                   empty when the run has none
     */
    public record Run(String model, long seed, int epochsDone, OptimizerState optimizer,
            List<Trainer.EpochMetrics> metrics, Map<String, String> recipe) {
        /** Copies the metrics list and the recipe. */
        public Run {
            metrics = List.copyOf(metrics);
            recipe = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(recipe));
        }

        /** A run without a recipe. */
        public Run(String model, long seed, int epochsDone, OptimizerState optimizer,
                List<Trainer.EpochMetrics> metrics) {
            this(model, seed, epochsDone, optimizer, metrics, Map.of());
        }
    }

    private TrainingCheckpoint() {
    }

    /** Writes {@code run} and the arrays of {@code model} to {@code file}. */
    public static void save(Path file, Sequential model, Run run) {
        LanesCheckpoint.Checkpoint.Builder c = LanesCheckpoint.Checkpoint.newBuilder()
                .setMagic(MAGIC).setFormatVersion(VERSION).setModel(run.model())
                .setSeed(run.seed()).setEpochsDone(run.epochsDone());
        for (Parameter p : model.parameters()) {
            c.addParameters(array(p.name(), p.value().shape(), p.value().data()));
        }
        for (Map.Entry<String, float[]> b : buffers(model).entrySet()) {
            c.addBuffers(array(b.getKey(), new int[] {b.getValue().length}, b.getValue()));
        }
        LanesCheckpoint.OptimizerState.Builder o = LanesCheckpoint.OptimizerState.newBuilder()
                .setKind(run.optimizer().kind()).setSteps(run.optimizer().steps());
        for (Map.Entry<String, float[]> b : run.optimizer().buffers().entrySet()) {
            o.addBuffers(array(b.getKey(), new int[] {b.getValue().length}, b.getValue()));
        }
        c.setOptimizer(o);
        c.putAllRecipe(run.recipe());
        for (Trainer.EpochMetrics m : run.metrics()) {
            c.addMetrics(LanesCheckpoint.EpochMetrics.newBuilder().setEpoch(m.epoch())
                    .setTrainLoss(m.trainLoss()).setTestAccuracy(m.testAccuracy())
                    .setImagesPerSecond(m.imagesPerSecond()).setSeconds(m.seconds()));
        }
        try {
            Files.write(file, c.build().toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Reads {@code file}, writes its parameters and BatchNorm statistics into {@code model}
     * (which must have the same names and shapes: build it from {@link Run#model()} first;
     * {@link #peek} reads the name) and returns the rest.
     */
    public static Run load(Path file, Sequential model) {
        LanesCheckpoint.Checkpoint c = read(file);
        Map<String, LanesCheckpoint.NamedArray> saved = new LinkedHashMap<>();
        for (LanesCheckpoint.NamedArray a : c.getParametersList()) {
            saved.put(a.getName(), a);
        }
        List<Parameter> params = model.parameters();
        if (saved.size() != params.size()) {
            throw new ModelFormatException(file + ": " + saved.size() + " parameters, the model "
                    + c.getModel() + " has " + params.size());
        }
        // Checked first, written after: a checkpoint of another model changes nothing.
        for (Parameter p : params) {
            check(file, saved.get(p.name()), p.name(), p.value().data().length);
        }
        Map<String, float[]> buffers = buffers(model);
        java.util.Set<String> savedBuffers = new java.util.HashSet<>();
        for (LanesCheckpoint.NamedArray b : c.getBuffersList()) {
            float[] dst = buffers.get(b.getName());
            check(file, dst == null ? null : b, b.getName(), dst == null ? 0 : dst.length);
            savedBuffers.add(b.getName());
        }
        for (String name : buffers.keySet()) {
            if (!savedBuffers.contains(name)) {
                throw new ModelFormatException(file + ": no array for '" + name
                        + "' (BatchNorm statistics the model has; a checkpoint of another model?)");
            }
        }
        for (Parameter p : params) {
            copy(saved.get(p.name()), p.value().data());
        }
        for (LanesCheckpoint.NamedArray b : c.getBuffersList()) {
            copy(b, buffers.get(b.getName()));
        }
        Map<String, float[]> opt = new LinkedHashMap<>();
        for (LanesCheckpoint.NamedArray b : c.getOptimizer().getBuffersList()) {
            float[] v = new float[b.getValuesCount()];
            copy(b, v);
            opt.put(b.getName(), v);
        }
        List<Trainer.EpochMetrics> metrics = new ArrayList<>();
        for (LanesCheckpoint.EpochMetrics m : c.getMetricsList()) {
            metrics.add(new Trainer.EpochMetrics(m.getEpoch(), m.getTrainLoss(),
                    m.getTestAccuracy(), m.getImagesPerSecond(), m.getSeconds()));
        }
        return new Run(c.getModel(), c.getSeed(), c.getEpochsDone(),
                new OptimizerState(c.getOptimizer().getKind(), c.getOptimizer().getSteps(), opt),
                metrics, new java.util.TreeMap<>(c.getRecipeMap()));
    }

    /**
     * True when {@code file} starts as a checkpoint does (its magic string as the first field);
     * false for other files and for files that cannot be read.
     */
    public static boolean isCheckpoint(Path file) {
        byte[] mark = MAGIC.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] head = new byte[mark.length + 2];
        try (var in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, head.length) != head.length) {
                return false;
            }
        } catch (IOException e) {
            return false;
        }
        // Field 1, length-delimited (tag 0x0A), then the length and the string.
        return head[0] == 0x0A && head[1] == mark.length
                && java.util.Arrays.equals(mark, java.util.Arrays.copyOfRange(head, 2, head.length));
    }

    /** The model name of a checkpoint, to build the model before {@link #load}. */
    public static String peek(Path file) {
        return read(file).getModel();
    }

    /** The recipe a checkpoint was written with (empty if none), to rebuild its model and data before {@link #load}. */
    public static Map<String, String> peekRecipe(Path file) {
        return new java.util.TreeMap<>(read(file).getRecipeMap());
    }

    private static LanesCheckpoint.Checkpoint read(Path file) {
        byte[] bytes = FileBytes.read(file, MAX_BYTES, "a checkpoint may have");
        LanesCheckpoint.Checkpoint c;
        try {
            c = LanesCheckpoint.Checkpoint.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelFormatException(file + ": not a Lanes checkpoint (" + e.getMessage()
                    + ")", e);
        }
        if (!MAGIC.equals(c.getMagic())) {
            throw new ModelFormatException(file + ": not a Lanes checkpoint (no '" + MAGIC
                    + "' mark)");
        }
        if (c.getFormatVersion() != VERSION) {
            throw new ModelFormatException(file + ": checkpoint format version "
                    + c.getFormatVersion() + "; this Lanes reads version " + VERSION);
        }
        return c;
    }

    private static void check(Path file, LanesCheckpoint.NamedArray a, String name, int length) {
        if (a == null) {
            throw new ModelFormatException(file + ": no array for '" + name
                    + "' (a checkpoint of another model?)");
        }
        if (a.getValuesCount() != length) {
            throw new ModelFormatException(file + ": '" + name + "' has " + a.getValuesCount()
                    + " values, the model needs " + length);
        }
    }

    private static void copy(LanesCheckpoint.NamedArray a, float[] dst) {
        for (int i = 0; i < dst.length; i++) {
            dst[i] = a.getValues(i);
        }
    }

    private static LanesCheckpoint.NamedArray array(String name, int[] shape, float[] values) {
        LanesCheckpoint.NamedArray.Builder b = LanesCheckpoint.NamedArray.newBuilder()
                .setName(name);
        for (int d : shape) {
            b.addDims(d);
        }
        for (float v : values) {
            b.addValues(v);
        }
        return b.build();
    }

    /** The BatchNorm running statistics of a model (live arrays), by name. */
    private static Map<String, float[]> buffers(Layer layer) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Layer l : LayerTree.leaves(layer)) {
            if (l instanceof BatchNorm2d bn) {
                out.put(bn.name() + ".running_mean", bn.runningMean());
                out.put(bn.name() + ".running_var", bn.runningVar());
            }
        }
        return out;
    }
}
