package dev.lanes;

import dev.lanes.compiler.CompileOptions;
import dev.lanes.compiler.Compiler;
import dev.lanes.formats.ModelReader;
import dev.lanes.runtime.Plan;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.SessionOptions;
import dev.lanes.runtime.kernels.conv.ConvKernels;
import dev.lanes.runtime.plan.PlanFormat;
import dev.lanes.runtime.plan.PlanInfo;
import dev.lanes.runtime.plan.PlanReader;
import dev.lanes.runtime.plan.PlanWriter;
import dev.lanes.runtime.plan.SavedPlan;
import java.nio.file.Path;

/**
 * The one-call entry point: load a model and get a {@link Session} to run it. The file may be
 * an ONNX model (compiled now) or a plan saved by {@link #compileTo} or {@code lanes compile}
 * (loaded without compiling); its content decides, not its name.
 *
 * <pre>{@code
 * try (Session s = Lanes.load(Path.of("resnet18.onnx"))) {
 *     Tensor out = s.run(Tensor.of(pixels, 1, 3, 224, 224)).get("output");
 * }
 * }</pre>
 */
public final class Lanes {
    private Lanes() {
    }

    /**
     * Loads a model file with default options: an ONNX model is compiled for every core, a
     * plan runs with the thread count it was compiled for.
     */
    public static Session load(Path model) {
        if (PlanFormat.isPlan(model)) {
            return PlanReader.read(model).session();
        }
        return load(model, SessionOptions.defaults(), CompileOptions.defaults());
    }

    /**
     * Loads a model file: compiles an ONNX model, or reads a plan (which is compiled already:
     * {@code compile} must then be the defaults).
     *
     * @throws IllegalArgumentException for compile options other than the defaults with a plan
     */
    public static Session load(Path model, SessionOptions session, CompileOptions compile) {
        return new Session(compile(model, compile), session);
    }

    /** Loads a model held in memory ({@code source} names it in errors), ONNX or plan. */
    public static Session load(byte[] model, String source, SessionOptions session,
            CompileOptions compile) {
        if (PlanFormat.isPlan(model)) {
            requireDefaults(source, compile);
            return new Session(PlanReader.read(model, source).plan(), session);
        }
        Plan plan = new Compiler(compile).compile(ModelReader.read(model, source), null);
        return new Session(plan, session);
    }

    /** Compiles a model file into a plan; a plan file is read instead. */
    public static Plan compile(Path model, CompileOptions compile) {
        if (PlanFormat.isPlan(model)) {
            requireDefaults(model.toString(), compile);
            return PlanReader.read(model).plan();
        }
        Path dir = model.toAbsolutePath().getParent();
        return new Compiler(compile).compile(ModelReader.read(model), dir);
    }

    /**
     * Compiles an ONNX model and saves the plan ({@code lanes.proto}), which
     * {@link #load(Path)} or the runtime's {@code PlanReader} alone loads later without the
     * compiler. Fails, naming each, when a step's kernel cannot be saved.
     *
     * @return the compiled plan
     */
    public static Plan compileTo(Path model, CompileOptions compile, Path plan) {
        if (PlanFormat.isPlan(model)) {
            throw new IllegalArgumentException(model + " is a compiled plan already");
        }
        Plan p = compile(model, compile);
        PlanWriter.write(p, info(model, compile), plan);
        return p;
    }

    /** What a plan file records about how it was compiled. */
    public static PlanInfo info(Path model, CompileOptions compile) {
        return new PlanInfo(model.getFileName().toString(), compile.batch(), compile.threads(),
                Compiler.passNames().stream().filter(compile.disabledPasses()::contains)
                        .toList(), ConvKernels.vectorWidth());
    }

    /** True when the file is a saved plan rather than an ONNX model (by its content). */
    public static boolean isPlan(Path file) {
        return PlanFormat.isPlan(file);
    }

    /** Reads a saved plan with how it was compiled. */
    public static SavedPlan readPlan(Path file) {
        return PlanReader.read(file);
    }

    private static void requireDefaults(String source, CompileOptions compile) {
        if (!compile.equals(CompileOptions.defaults())) {
            throw new IllegalArgumentException(source + " is a compiled plan; compile options ("
                    + compile + ") apply to ONNX models only");
        }
    }
}
