package dev.lanes;

import dev.lanes.compiler.CompileOptions;
import dev.lanes.compiler.Compiler;
import dev.lanes.formats.ModelReader;
import dev.lanes.runtime.Plan;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.SessionOptions;
import java.nio.file.Path;

/**
 * The one-call entry point: load an ONNX model and get a {@link Session} to run it.
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

    /** Loads and compiles a model file with default options. */
    public static Session load(Path model) {
        return load(model, SessionOptions.defaults(), CompileOptions.defaults());
    }

    /** Loads and compiles a model file. */
    public static Session load(Path model, SessionOptions session, CompileOptions compile) {
        return new Session(compile(model, compile), session);
    }

    /** Loads and compiles a model held in memory ({@code source} names it in errors). */
    public static Session load(byte[] model, String source, SessionOptions session,
            CompileOptions compile) {
        Plan plan = new Compiler(compile).compile(ModelReader.read(model, source), null);
        return new Session(plan, session);
    }

    /** Compiles a model file into a plan. */
    public static Plan compile(Path model, CompileOptions compile) {
        Path dir = model.toAbsolutePath().getParent();
        return new Compiler(compile).compile(ModelReader.read(model), dir);
    }
}
