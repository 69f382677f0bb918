package dev.lanes.compiler.models;

import dev.lanes.Lanes;
import dev.lanes.compiler.CompileOptions;
import dev.lanes.compiler.conformance.BackendTestCase;
import dev.lanes.compiler.conformance.SharedData;
import dev.lanes.errors.UnsupportedOperatorException;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.SessionOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opentest4j.AssertionFailedError;

/**
 * Compiles a model for a model test. A model that needs operators Lanes lacks fails with one
 * short line (each missing op with its node count) instead of one line per node, and is added
 * to a census written to {@code target/model-census.txt}: which models need which ops.
 */
final class ModelLoader {
    private static final Pattern OP = Pattern.compile("op (\\S+), domain '([^']*)'");
    private static final Map<String, Map<String, Integer>> CENSUS = new TreeMap<>();

    private ModelLoader() {
    }

    /** Compiles {@code model} into a session using every core; {@code test} names it. */
    static Session load(String test, Path model) {
        return explained(test, () -> BackendTestCase.load(model, threads()));
    }

    /** Compiles a serialized model into a session using every core; {@code test} names it. */
    static Session load(String test, byte[] model) {
        return explained(test, () -> Lanes.load(model, test, new SessionOptions(threads()),
                CompileOptions.defaults()));
    }

    private static int threads() {
        return Runtime.getRuntime().availableProcessors();
    }

    private static Session explained(String test, Supplier<Session> load) {
        try {
            return load.get();
        } catch (UnsupportedOperatorException e) {
            Map<String, Integer> ops = new TreeMap<>();
            for (String line : e.nodes()) {
                Matcher m = OP.matcher(line);
                String op = !m.find() ? line : m.group(2).isEmpty()
                        || m.group(2).equals("ai.onnx") ? m.group(1) : m.group(2) + ":"
                        + m.group(1);
                ops.merge(op, 1, Integer::sum);
            }
            record(test, ops);
            throw new AssertionFailedError(test + ": unsupported operators (op x nodes): "
                    + ops);
        }
    }

    private static synchronized void record(String test, Map<String, Integer> ops) {
        CENSUS.put(test, ops);
        Map<String, Set<String>> byOp = new TreeMap<>();
        CENSUS.forEach((t, m) -> m.keySet().forEach(op -> byOp
                .computeIfAbsent(op, k -> new TreeSet<>()).add(t)));
        List<String> lines = new ArrayList<>();
        lines.add("Unsupported operators needed by model tests (op: count: tests)");
        byOp.entrySet().stream()
                .sorted((a, b) -> b.getValue().size() - a.getValue().size())
                .forEach(en -> lines.add("  " + en.getKey() + ": " + en.getValue().size()
                        + ": " + String.join(" ", en.getValue())));
        lines.add("");
        lines.add("Per model (op x nodes)");
        CENSUS.forEach((t, m) -> lines.add("  " + t + ": " + m));
        Path file = SharedData.buildDir().resolve("model-census.txt");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, lines);
        } catch (IOException io) {
            throw new UncheckedIOException(io);
        }
    }
}
