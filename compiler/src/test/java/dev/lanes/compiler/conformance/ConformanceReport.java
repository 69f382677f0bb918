package dev.lanes.compiler.conformance;

import dev.lanes.errors.UnsupportedOperatorException;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Collects the outcome of every conformance test of one run: the counts for the summary line,
 * the failures, the out-of-scope tests (and those of them that now pass), and a census of the
 * operators that failing tests need but Lanes does not implement. Thread-safe.
 */
public final class ConformanceReport {
    private static final Pattern UNSUPPORTED_LINE =
            Pattern.compile("op (\\S+), domain '([^']*)', opset (\\d+)");

    private final List<String> passed = new ArrayList<>();
    private final Map<String, String> failed = new TreeMap<>();
    private final Map<String, String> outOfScope = new TreeMap<>();
    private final Map<String, String> nowPassing = new TreeMap<>();
    private final Map<String, Set<String>> unsupportedOps = new TreeMap<>();
    private final Map<String, Set<String>> failingOps = new TreeMap<>();
    private final List<String> notes = new ArrayList<>();

    /** Records a test that passed. */
    public synchronized void pass(String test) {
        passed.add(test);
    }

    /** Records a test in scope that failed, with the operators its model uses. */
    public synchronized void fail(String test, String why, Throwable cause, Set<String> ops) {
        failed.put(test, firstLine(why));
        if (cause instanceof UnsupportedOperatorException u) {
            for (String op : unsupportedOps(u)) {
                unsupportedOps.computeIfAbsent(op, k -> new TreeSet<>()).add(test);
            }
        } else {
            for (String op : ops) {
                if (!op.equals("Constant")) {
                    failingOps.computeIfAbsent(op, k -> new TreeSet<>()).add(test);
                }
            }
        }
    }

    /** Records an out-of-scope test that failed as expected. */
    public synchronized void outOfScope(String test, String reason) {
        outOfScope.put(test, reason);
    }

    /** Records an out-of-scope test that passes: its line should leave the list. */
    public synchronized void nowPasses(String test, String pattern) {
        passed.add(test);
        nowPassing.put(test, pattern);
    }

    /** Adds a line to the report (which suites ran, what was filtered out). */
    public synchronized void note(String line) {
        notes.add(line);
    }

    /** The op types named by an unsupported-operator error (domain-qualified when not ONNX). */
    public static Set<String> unsupportedOps(UnsupportedOperatorException e) {
        Set<String> ops = new TreeSet<>();
        for (String line : e.nodes()) {
            Matcher m = UNSUPPORTED_LINE.matcher(line);
            if (m.find()) {
                String domain = m.group(2);
                ops.add(domain.isEmpty() || domain.equals("ai.onnx") ? m.group(1)
                        : domain + ":" + m.group(1));
            } else {
                ops.add(line);
            }
        }
        return ops;
    }

    /** {@code Conformance: N passed, M failed, K out of scope}. */
    public synchronized String summaryLine() {
        return "Conformance: " + passed.size() + " passed, " + failed.size() + " failed, "
                + outOfScope.size() + " out of scope";
    }

    /** Whether any test was recorded. */
    public synchronized boolean isEmpty() {
        return passed.isEmpty() && failed.isEmpty() && outOfScope.isEmpty();
    }

    /** The full report: summary line, notes, failures, list corrections and the op census. */
    public synchronized String fullText() {
        StringBuilder b = new StringBuilder(summaryLine()).append('\n');
        notes.forEach(n -> b.append(n).append('\n'));
        b.append("\nFailures (").append(failed.size()).append("):\n");
        failed.forEach((t, w) -> b.append("  ").append(t).append(": ").append(w).append('\n'));
        if (!nowPassing.isEmpty()) {
            b.append("\nOut of scope but now passing: remove from out-of-scope.tsv (")
                    .append(nowPassing.size()).append("):\n");
            nowPassing.forEach((t, p) -> b.append("  ").append(t).append(" (line '").append(p)
                    .append("')\n"));
        }
        b.append("\nOut of scope (").append(outOfScope.size()).append("):\n");
        outOfScope.forEach((t, r) -> b.append("  ").append(t).append(": ").append(r)
                .append('\n'));
        b.append("\nUnsupported operators needed by failing tests (op: count: tests):\n");
        census(b, unsupportedOps);
        b.append("\nOperators of tests failing for other reasons (op: count: tests):\n");
        census(b, failingOps);
        return b.toString();
    }

    private static void census(StringBuilder b, Map<String, Set<String>> byOp) {
        byOp.entrySet().stream()
                .sorted((x, y) -> x.getValue().size() != y.getValue().size()
                        ? y.getValue().size() - x.getValue().size()
                        : x.getKey().compareTo(y.getKey()))
                .forEach(e -> b.append("  ").append(e.getKey()).append(": ")
                        .append(e.getValue().size()).append(": ")
                        .append(String.join(" ", e.getValue())).append('\n'));
    }

    /** Writes {@link #fullText()} to a file, creating its folder. */
    public void write(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, fullText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "null";
        }
        String one = s.replace("\n", " | ");
        return one.length() > 400 ? one.substring(0, 400) + "..." : one;
    }
}
