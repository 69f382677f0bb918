package dev.lanes.compiler.conformance;

import dev.lanes.compiler.conformance.TestRules.OutOfScope;
import dev.lanes.compiler.conformance.TestRules.Tolerance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.AssertionFailedError;

/**
 * The ONNX operator conformance suite: every folder of the ONNX backend tests in the shared
 * material ({@code onnx-tests/node}, {@code node-expanded}, {@code pytorch/pytorch-converted},
 * {@code pytorch/pytorch-operator}) and those of Debian's ONNX 1.12 test data that use only the
 * operators in scope ({@link ModelFacts#SUPPORTED_OPS}). Each folder is one dynamic test named
 * {@code suite/folder}; every output of every data set is compared with the default tolerance
 * (|got - want| <= 1e-4 + 1e-3 |want|) unless {@code tolerances.tsv} says otherwise.
 *
 * <p>Tests listed in {@code conformance/out-of-scope.tsv} still run: a failure is reported as
 * skipped with the listed reason; a pass is reported so the line can be removed. At the end one
 * line {@code Conformance: N passed, M failed, K out of scope} is printed and written, with the
 * failures, to {@code target/conformance-summary.txt}, together with a census of the operators
 * the failing tests need.
 *
 * <p>Selection: {@code -Dlanes.node.filter=REGEX} (searched in folder names) and
 * {@code -Dlanes.conformance.suites=node,debian,...}.
 */
class NodeConformanceTest {
    /** A folder of tests: its name in test paths and where it is. */
    private record Suite(String name, Path root, boolean onlySupportedOps) {
    }

    private static final ConformanceReport REPORT = new ConformanceReport();

    private static List<Suite> suites() {
        Path onnx = SharedData.shared().resolve("onnx-tests");
        List<Suite> all = List.of(
                new Suite("node", onnx.resolve("node"), false),
                new Suite("node-expanded", onnx.resolve("node-expanded"), false),
                new Suite("pytorch-converted", onnx.resolve("pytorch/pytorch-converted"), false),
                new Suite("pytorch-operator", onnx.resolve("pytorch/pytorch-operator"), false),
                new Suite("debian", SharedData.onnxTestdata(), true));
        String only = System.getProperty("lanes.conformance.suites", "");
        if (only.isBlank()) {
            return all;
        }
        Set<String> names = Set.copyOf(Arrays.asList(only.split(",")));
        return all.stream().filter(s -> names.contains(s.name())).toList();
    }

    @TestFactory
    Stream<DynamicNode> conformance() {
        Pattern filter = Pattern.compile(System.getProperty("lanes.node.filter", ".*"));
        return suites().stream().map(s -> suite(s, filter));
    }

    private static DynamicNode suite(Suite s, Pattern filter) {
        if (!Files.isDirectory(s.root())) {
            REPORT.note(s.name() + ": data missing at " + s.root());
            return DynamicTest.dynamicTest(s.name() + " (data missing)",
                    () -> SharedData.require(s.root(), "conformance suite '" + s.name() + "'"));
        }
        List<Path> dirs;
        try (Stream<Path> st = Files.list(s.root())) {
            dirs = st.filter(p -> Files.isRegularFile(p.resolve("model.onnx")))
                    .filter(p -> filter.matcher(p.getFileName().toString()).find())
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Path> selected = dirs;
        if (s.onlySupportedOps()) {
            AtomicInteger outside = new AtomicInteger();
            Predicate<Path> inScope = p -> {
                boolean ok = ModelFacts.read(p.resolve("model.onnx")).unsupported().isEmpty();
                if (!ok) {
                    outside.incrementAndGet();
                }
                return ok;
            };
            selected = dirs.stream().filter(inScope).toList();
            REPORT.note(s.name() + " (" + s.root() + "): " + selected.size() + " of "
                    + dirs.size() + " selected tests use only operators in scope; "
                    + outside.get() + " use others and are not run");
        } else {
            REPORT.note(s.name() + " (" + s.root() + "): " + dirs.size() + " selected tests");
        }
        List<DynamicNode> tests = new ArrayList<>();
        for (Path dir : selected) {
            String path = s.name() + "/" + dir.getFileName();
            tests.add(DynamicTest.dynamicTest(path, () -> runOne(path, dir)));
        }
        return DynamicContainer.dynamicContainer(s.name(), tests.stream());
    }

    private static void runOne(String path, Path dir) {
        TestRules rules = TestRules.get();
        OutOfScope oos = rules.outOfScope(path);
        Tolerance tol = rules.tolerance(path);
        String diff;
        Throwable error = null;
        try {
            diff = BackendTestCase.run(dir, tol);
        } catch (Exception | StackOverflowError e) {
            error = e;
            diff = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        if (diff == null) {
            if (oos != null) {
                REPORT.nowPasses(path, oos.pattern());
                System.out.println(path + ": listed as out of scope (" + oos.reason()
                        + ") but now passes, remove from list (out-of-scope.tsv line '"
                        + oos.pattern() + "')");
            } else {
                REPORT.pass(path);
            }
            return;
        }
        if (oos != null) {
            REPORT.outOfScope(path, oos.reason());
            Assumptions.abort("out of scope: " + oos.reason() + " (fails with: " + diff + ")");
        }
        REPORT.fail(path, diff, error, opsOf(dir));
        throw new AssertionFailedError(path + ": " + diff, error);
    }

    private static Set<String> opsOf(Path dir) {
        try {
            return ModelFacts.read(dir.resolve("model.onnx")).ops();
        } catch (RuntimeException e) {
            return Set.of();
        }
    }

    @AfterAll
    static void summary() {
        System.out.println(REPORT.summaryLine());
        Path file = SharedData.buildDir().resolve("conformance-summary.txt");
        REPORT.write(file);
        System.out.println("(failures, out-of-scope tests and the operator census: " + file
                + ")");
    }
}
