package dev.lanes.cli;

import dev.lanes.compiler.CompileOptions;
import dev.lanes.errors.LanesException;
import dev.lanes.formats.TensorProtos;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.ValueInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** {@code lanes run}: runs a model once on given or random inputs and prints its outputs. */
final class RunCommand implements Command {
    /** The seed of the random inputs made when none are given. */
    static final long RANDOM_SEED = 42;

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "run a model on tensor files (or random inputs) and print its outputs";
    }

    @Override
    public String help() {
        return """
                usage: lanes run MODEL.onnx [--input FILE.pb]... [--input NAME=FILE.pb]...
                                 [--save DIR] [--threads N]

                Loads and compiles MODEL.onnx, runs it once and prints each output's name, type,
                shape and first values, with the load and run times. MODEL may also be a plan
                saved by 'lanes compile' (told by its content), which loads without compiling.

                  --input FILE.pb       a serialized ONNX TensorProto; inputs given without a
                                        name bind to the model's inputs in graph order
                  --input NAME=FILE.pb  binds the tensor to the input called NAME
                  --save DIR            writes DIR/output_K.pb (TensorProto) per output, in graph
                                        output order
                  --threads N           threads the kernels may use (default: all cores, or
                                        the count a plan was compiled for)

                Without --input, every input gets seeded random values (FLOAT uniform in [0,1),
                integers in [0,10), BOOL 0/1) of its declared shape, free dimensions set to 1.
                """;
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("--input", "--save", "--threads");
    }

    @Override
    public Set<String> flags() {
        return Set.of();
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws UsageException {
        args.expectPositional(1, 1, "MODEL.onnx");
        Path model = Path.of(args.positional().get(0));
        Integer given = args.has("--threads") ? args.intValue("--threads", 1, 1) : null;
        Path save = args.has("--save") ? Path.of(args.value("--save", "")) : null;

        LoadedModel loaded = LoadedModel.load(model, given, CompileOptions.defaults());
        Session session = loaded.session();
        int threads = loaded.threads();
        out.println("model: " + model + " (" + loaded.verb() + " in "
                + Tensors.millis(loaded.loadNanos()) + ", " + threads + " thread"
                + (threads == 1 ? "" : "s") + ")");

        Map<String, Tensor> inputs = args.has("--input")
                ? readInputs(args.all("--input"), session.inputs())
                : randomInputs(session.inputs(), out);
        for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
            out.println("input  " + e.getKey() + ": " + Tensors.typeAndShape(e.getValue()));
        }

        long t1 = System.nanoTime();
        Map<String, Tensor> outputs = session.run(inputs);
        long ran = System.nanoTime() - t1;
        for (Map.Entry<String, Tensor> e : outputs.entrySet()) {
            Tensor t = e.getValue();
            out.println("output " + e.getKey() + ": " + Tensors.typeAndShape(t) + " "
                    + Tensors.firstValues(t, 8));
        }
        out.println("run: " + Tensors.millis(ran));
        if (save != null) {
            saveOutputs(outputs, session.outputs(), save);
            out.println("saved " + outputs.size() + " output" + (outputs.size() == 1 ? "" : "s")
                    + " to " + save);
        }
        return Main.OK;
    }

    /** Binds the {@code --input} values: NAME=FILE by name, the rest in graph order. */
    static Map<String, Tensor> readInputs(List<String> specs, List<ValueInfo> declared)
            throws UsageException {
        List<String> names = declared.stream().map(ValueInfo::name).toList();
        Map<String, Path> byName = new LinkedHashMap<>();
        List<Path> positional = new ArrayList<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            String name = eq > 0 ? spec.substring(0, eq) : null;
            if (name != null && names.contains(name)) {
                if (byName.put(name, Path.of(spec.substring(eq + 1))) != null) {
                    throw new UsageException("input '" + name + "' is given twice");
                }
            } else if (name != null && !Files.exists(Path.of(spec))) {
                throw new UsageException("the model has no input '" + name + "'; its inputs are "
                        + String.join(", ", names));
            } else {
                positional.add(Path.of(spec));
            }
        }
        List<String> free = names.stream().filter(n -> !byName.containsKey(n)).toList();
        if (positional.size() > free.size()) {
            throw new UsageException("the model takes " + names.size() + " input"
                    + (names.size() == 1 ? "" : "s") + " (" + String.join(", ", names) + ") but "
                    + specs.size() + " were given");
        }
        Map<String, Path> files = new LinkedHashMap<>();
        for (int i = 0; i < positional.size(); i++) {
            files.put(free.get(i), positional.get(i));
        }
        files.putAll(byName);
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (String n : names) {
            if (files.containsKey(n)) {
                inputs.put(n, Tensor.from(TensorProtos.read(files.get(n))));
            }
        }
        return inputs;
    }

    /** Seeded random values for every input, free dimensions set to 1. */
    static Map<String, Tensor> randomInputs(List<ValueInfo> declared, PrintStream out) {
        Map<String, Tensor> inputs = BenchCommand.randomInputs(declared, 1);
        out.println("no --input given: using random inputs (seed " + RANDOM_SEED
                + "; FLOAT uniform in [0,1), integers in [0,10), BOOL 0/1; free dimensions = 1)");
        return inputs;
    }

    private static void saveOutputs(Map<String, Tensor> outputs, List<ValueInfo> order, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot create " + dir + " (" + e
                    + ")", e));
        }
        for (int k = 0; k < order.size(); k++) {
            String name = order.get(k).name();
            TensorProtos.write(outputs.get(name).toData(name), dir.resolve("output_" + k + ".pb"));
        }
    }
}
