package dev.lanes.compiler.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.Lanes;
import dev.lanes.compiler.CompileOptions;
import dev.lanes.compiler.conformance.BackendTestCase;
import dev.lanes.compiler.conformance.SharedData;
import dev.lanes.errors.UnsupportedOperatorException;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Plan;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.SessionOptions;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.ValueInfo;
import dev.lanes.runtime.plan.PlanReader;
import dev.lanes.runtime.plan.SavedPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every shared model ({@code <shared>/models/NAME/model.onnx}) gives the same outputs from its
 * saved plan as from the ONNX file it came from: compiled, saved, loaded back by the runtime's
 * {@link PlanReader} and run on each data set's inputs (seeded random inputs of the declared
 * shapes for models without data sets; free dimensions 1 for the batch, 160 elsewhere). The
 * signatures and steps must be equal and every output within 1e-5 absolute plus 1e-4 relative
 * of the compiled plan's, ten times tighter than the project's usual tolerance; they are
 * usually bit for bit the same, but not always: the same kernels give results that differ in
 * the last bits before and after the JIT compiles them (the Vector API's lane reductions may
 * add in another order; with C1 only, runs are bit for bit equal), and one session may run
 * while the other is being compiled. Prints each model's compile and plan load times, the plan
 * file's size and the largest difference.
 *
 * <p>Selection: {@code -Dlanes.models.filter=REGEX} over the folder names.
 */
class SavedPlansTest {
    /** Size given to free dimensions other than the batch (yunet-n-dynamic's height, width). */
    private static final int FREE_SPATIAL = 160;
    private static final double ATOL = 1e-5;
    private static final double RTOL = 1e-4;

    @TempDir
    static Path dir;

    @TestFactory
    Stream<DynamicTest> everySharedModelRunsTheSameFromItsPlan() {
        Path root = SharedData.shared().resolve("models");
        if (!Files.isDirectory(root)) {
            return Stream.of(SharedData.missing("models", root, "saved plan tests"));
        }
        Pattern filter = Pattern.compile(System.getProperty("lanes.models.filter", ".*"));
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> st = Files.list(root)) {
            st.filter(d -> filter.matcher(d.getFileName().toString()).find())
                    .filter(d -> Files.isRegularFile(d.resolve("model.onnx")))
                    .sorted()
                    .forEach(d -> tests.add(DynamicTest.dynamicTest("plan/"
                            + d.getFileName(), () -> check(d))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tests.stream();
    }

    private static void check(Path modelDir) throws IOException {
        String name = modelDir.getFileName().toString();
        Path onnx = modelDir.resolve("model.onnx");
        Path file = dir.resolve(name + ".lanes");
        long t0 = System.nanoTime();
        Plan compiled;
        try {
            compiled = Lanes.compileTo(onnx, CompileOptions.defaults(), file);
        } catch (UnsupportedOperatorException e) {
            Assumptions.abort("Lanes cannot run " + name + ": " + e.getMessage());
            return;
        }
        long compileNanos = System.nanoTime() - t0;
        long t1 = System.nanoTime();
        SavedPlan saved = PlanReader.read(file);
        long loadNanos = System.nanoTime() - t1;
        assertEquals("model.onnx", saved.info().source());
        assertEquals(compiled.inputs(), saved.plan().inputs());
        assertEquals(compiled.outputs(), saved.plan().outputs());
        assertEquals(compiled.steps().size(), saved.plan().steps().size());
        SessionOptions two = new SessionOptions(2);
        try (Session fromOnnx = new Session(compiled, two);
                Session fromPlan = new Session(saved.plan(), two)) {
            List<Map<String, Tensor>> sets = new ArrayList<>();
            for (Path set : BackendTestCase.dataSets(modelDir)) {
                sets.add(BackendTestCase.inputs(fromOnnx, set));
            }
            if (sets.isEmpty()) {
                sets.add(randomInputs(fromOnnx.inputs()));
            }
            double worst = 0;
            for (int i = 0; i < sets.size(); i++) {
                Map<String, Tensor> want = fromOnnx.run(sets.get(i));
                Map<String, Tensor> got = fromPlan.run(sets.get(i));
                assertEquals(want.keySet(), got.keySet());
                for (String out : want.keySet()) {
                    worst = Math.max(worst, assertClose(name + " set " + i + " output '" + out
                            + "'", want.get(out), got.get(out)));
                }
            }
            System.out.printf("plan/%s: compile %.0f ms, plan load %.0f ms, %d steps, plan"
                    + " %.1f MB (ONNX %.1f MB), %s%n", name, compileNanos / 1e6,
                    loadNanos / 1e6, compiled.steps().size(), Files.size(file) / 1e6,
                    Files.size(onnx) / 1e6, worst == 0 ? "outputs bit for bit the same"
                    : String.format("max |diff| %.3g", worst));
        }
    }

    /** Checks that the outputs agree (see the class comment); returns the largest difference. */
    private static double assertClose(String what, Tensor want, Tensor got) {
        assertNotNull(got, what + " missing");
        assertEquals(want.dtype(), got.dtype(), what);
        assertArrayEquals(want.shapeView(), got.shapeView(), what);
        double worst = 0;
        for (int i = 0; i < want.size(); i++) {
            double w = want.getDouble(i);
            double g = got.getDouble(i);
            if (Double.compare(w, g) == 0) {
                continue;
            }
            double d = Math.abs(w - g);
            if (!(d <= ATOL + RTOL * Math.abs(w))) {
                throw new AssertionError(what + ": element " + i + " is " + g + " from the plan,"
                        + " " + w + " from the ONNX model");
            }
            worst = Math.max(worst, d);
        }
        return worst;
    }

    /** Seeded random values of the declared shapes. */
    static Map<String, Tensor> randomInputs(List<ValueInfo> declared) {
        Random rnd = new Random(42);
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (ValueInfo v : declared) {
            assertTrue(v.dims() != null, v + " has no rank");
            int[] shape = v.dims().clone();
            for (int a = 0; a < shape.length; a++) {
                if (shape[a] < 0) {
                    shape[a] = a == 0 ? 1 : FREE_SPATIAL;
                }
            }
            int n = Tensor.checkedSize(shape);
            if (v.dtype() == DType.FLOAT) {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = rnd.nextFloat();
                }
                in.put(v.name(), Tensor.of(f, shape));
            } else {
                long[] l = new long[n];
                for (int i = 0; i < n; i++) {
                    l[i] = rnd.nextInt(10);
                }
                in.put(v.name(), Tensor.ofLongs(v.dtype(), l, shape));
            }
        }
        return in;
    }
}
