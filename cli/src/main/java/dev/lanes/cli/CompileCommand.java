package dev.lanes.cli;

import dev.lanes.Lanes;
import dev.lanes.compiler.CompileOptions;
import dev.lanes.runtime.Plan;
import dev.lanes.formats.onnx.Onnx.ModelProto;
import dev.lanes.runtime.plan.PlanFormat;
import dev.lanes.training.checkpoint.TrainingCheckpoint;
import dev.lanes.training.run.CheckpointExport;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code lanes compile} (and {@code lanes convert}, the same for ONNX models): compiles an ONNX
 * model and saves the plan, which every command and the runtime alone load without compiling.
 */
final class CompileCommand implements Command {
    private final String name;

    /** The command under its name: "compile" or "convert". */
    CompileCommand(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String summary() {
        return name.equals("compile")
                ? "compile an ONNX model into a plan file that loads without compiling"
                : "convert an ONNX model into a plan file (the same as 'lanes compile')";
    }

    @Override
    public String help() {
        return """
                usage: lanes %1$s MODEL.onnx [-o MODEL.lanes] [--batch N] [--threads N]
                                   [--disable-pass NAME]...

                Compiles MODEL.onnx (the compiler's passes, a kernel chosen per node, weights
                folded) and saves the plan. 'lanes run', 'lanes check', 'lanes bench' and the
                Java API (Lanes.load, or the runtime's PlanReader without the compiler) take the
                plan wherever they take an ONNX file, and load it without compiling. The plan
                holds the steps (operator, node, kernel and its parameters, slots), the
                constants (weights as folded, packed again when loaded), the input and output
                signatures and how it was compiled (see formats/src/main/proto/lanes.proto).
                A plan with channel-block kernels runs only where vectors are as wide as where
                it was compiled.%2$s

                  -o, --output FILE    where to write the plan (default: MODEL with the
                                       extension .lanes, beside it)
                  --batch N            fix the inputs' free batch dimension to N (default:
                                       left free, any batch runs)
                  --threads N          the thread count the plan is for: sessions opened on the
                                       file use it unless told otherwise (default: all cores
                                       of the machine that runs it)
                  --disable-pass NAME  switch a compiler pass off (repeatable; 'lanes inspect
                                       MODEL --passes' lists them)
                """.formatted(name, name.equals("convert")
                        ? "\n\n'lanes convert' is 'lanes compile' for ONNX models. Given a checkpoint of"
                        + "\n'lanes train' (lanes convert OUT/checkpoint -o model.onnx), it writes the"
                        + "\nmodel's inference graph as ONNX instead (BatchNormalization kept as nodes for"
                        + "\nthe compiler to fold, input \"input\" with a free batch axis, output \"logits\"),"
                        + "\nor with -o FILE.lanes the compiled plan of that graph. The default output is"
                        + "\nthe checkpoint's name with .onnx, beside it."
                        : "");
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("-o", "--output", "--batch", "--threads", "--disable-pass");
    }

    @Override
    public Set<String> flags() {
        return Set.of();
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws UsageException {
        args.expectPositional(1, 1, "MODEL.onnx");
        Path model = Path.of(args.positional().get(0));
        if (args.has("-o") && args.has("--output")) {
            throw new UsageException("give -o or --output, not both");
        }
        if (name.equals("convert") && TrainingCheckpoint.isCheckpoint(model)) {
            return convertCheckpoint(model, args, out);
        }
        Path target = Path.of(args.value("-o", args.value("--output", defaultTarget(model))));
        CompileOptions options = InspectCommand.compileOptions(args)
                .withBatch(args.intValue("--batch", 0, 1))
                .withThreads(args.intValue("--threads", 0, 1));
        if (Lanes.isPlan(model)) {
            throw new UsageException(model + " is a compiled plan already");
        }
        if (target.toAbsolutePath().normalize().equals(model.toAbsolutePath().normalize())) {
            throw new UsageException("the plan would overwrite the model " + model);
        }
        long t0 = System.nanoTime();
        Plan plan = Lanes.compileTo(model, options, target);
        long nanos = System.nanoTime() - t0;
        long bytes;
        try {
            bytes = Files.size(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Integer> ops = new TreeMap<>();
        for (Plan.Step s : plan.steps()) {
            ops.merge(s.opType(), 1, Integer::sum);
        }
        out.printf("compiled %s in %s: %d steps %s%n", model, Tensors.millis(nanos),
                plan.steps().size(), ops);
        out.printf("wrote %s (%.1f MB%s%s)%n", target, bytes / 1e6,
                options.batch() > 0 ? ", batch " + options.batch() : "",
                options.threads() > 0 ? ", " + options.threads() + " threads" : "");
        return Main.OK;
    }

    /**
     * A checkpoint of 'lanes train' to its inference graph as ONNX, or, when the target ends in
     * .lanes, on to the compiled plan of that graph.
     */
    private int convertCheckpoint(Path checkpoint, Args args, PrintStream out) throws UsageException {
        String f = checkpoint.getFileName().toString();
        int dot = f.lastIndexOf('.');
        String base = dot > 0 ? f.substring(0, dot) : f;
        Path dflt = checkpoint.resolveSibling(base + ".onnx");
        Path target = Path.of(args.value("-o", args.value("--output", dflt.toString())));
        if (target.toAbsolutePath().normalize().equals(checkpoint.toAbsolutePath().normalize())) {
            throw new UsageException("the output would overwrite the checkpoint " + checkpoint);
        }
        ModelProto onnx;
        try {
            onnx = CheckpointExport.onnx(checkpoint);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        try {
            if (!target.toString().endsWith(PlanFormat.EXTENSION)) {
                Files.write(target, onnx.toByteArray());
                out.printf("wrote %s (%.1f KB): the inference graph of %s (%d nodes, input %s, output %s)%n", target,
                        Files.size(target) / 1e3, checkpoint, onnx.getGraph().getNodeCount(),
                        onnx.getGraph().getInput(0).getName(), onnx.getGraph().getOutput(0).getName());
                return Main.OK;
            }
            CompileOptions options = InspectCommand.compileOptions(args)
                    .withBatch(args.intValue("--batch", 0, 1))
                    .withThreads(args.intValue("--threads", 0, 1));
            Path tmp = Files.createTempFile("lanes-checkpoint-", ".onnx");
            try {
                Files.write(tmp, onnx.toByteArray());
                Plan plan = Lanes.compileTo(tmp, options, target);
                out.printf("wrote %s (%.1f KB): the compiled plan of %s (%d steps)%n", target,
                        Files.size(target) / 1e3, checkpoint, plan.steps().size());
            } finally {
                Files.deleteIfExists(tmp);
            }
            return Main.OK;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** MODEL.onnx -> MODEL.lanes beside it (any other name gets .lanes appended). */
    private static String defaultTarget(Path model) {
        String f = model.getFileName().toString();
        String base = f.endsWith(".onnx") ? f.substring(0, f.length() - 5) : f;
        Path dir = model.getParent();
        String file = base + PlanFormat.EXTENSION;
        return dir == null ? file : dir.resolve(file).toString();
    }
}
