package dev.lanes.compiler.models;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnxruntime.OrtException;

import dev.lanes.compiler.conformance.BackendTestCase;
import dev.lanes.compiler.conformance.SharedData;
import dev.lanes.compiler.conformance.TestRules;
import dev.lanes.compiler.conformance.TestRules.Tolerance;
import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Models without expected outputs (the face detectors) must match ONNX Runtime 1.29.0 on a
 * seeded random input: every output, by name, with the tolerance of {@code tolerances.tsv} for
 * {@code models/NAME}, by default |got - want| <= 1e-4 + 1e-3 |want|. Inputs are uniform in the
 * range each model expects (UltraFace takes (pixel - 127) / 128, so [-1, 1); YuNet takes raw
 * 0..255 pixels). The model with symbolic height and width runs at a square and a non-square
 * size. Its feature pyramid adds a 2x-upsampled stride-32 map to the stride-16 map, so height
 * and width must be multiples of 32: 256x320 is the non-square size, and 240x320 (7.5 cells of
 * 32) must be rejected with a {@link ShapeException} naming the node, as ONNX Runtime rejects it.
 *
 * <p>Selection: {@code -Dlanes.models.filter=REGEX} over the case names.
 */
class OnnxRuntimeComparisonTest {
    /**
     * One comparison.
     *
     * @param model the folder under {@code <shared>/models}
     * @param shape the input shape
     * @param low   the smallest input value
     * @param high  the bound above the largest input value
     */
    private record Case(String model, int[] shape, float low, float high) {
        String name() {
            return "models/" + model + " " + Arrays.toString(shape);
        }
    }

    private static final long SEED = 20261123L;

    private static final List<Case> CASES = List.of(
            new Case("ultraface-rfb-320", new int[] {1, 3, 240, 320}, -1f, 1f),
            new Case("ultraface-slim-320", new int[] {1, 3, 240, 320}, -1f, 1f),
            new Case("yunet-n-320", new int[] {1, 3, 320, 320}, 0f, 255f),
            new Case("yunet-s-320", new int[] {1, 3, 320, 320}, 0f, 255f),
            new Case("yunet-n-dynamic", new int[] {1, 3, 320, 320}, 0f, 255f),
            new Case("yunet-n-dynamic", new int[] {1, 3, 256, 320}, 0f, 255f));

    @TestFactory
    Stream<DynamicTest> matchesOnnxRuntime() {
        Path root = SharedData.shared().resolve("models");
        if (!Files.isDirectory(root)) {
            return Stream.of(SharedData.missing("models", root, "ONNX Runtime comparisons"));
        }
        Pattern filter = Pattern.compile(System.getProperty("lanes.models.filter", ".*"));
        return CASES.stream().filter(c -> filter.matcher(c.name()).find())
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> check(root, c)));
    }

    private static void check(Path root, Case c) throws Exception {
        Path dir = root.resolve(c.model());
        SharedData.require(dir, "ONNX Runtime comparison " + c.name());
        Tolerance tol = TestRules.get().tolerance("models/" + c.model());
        Random random = new Random(SEED);
        float[] x = new float[Tensor.checkedSize(c.shape())];
        for (int i = 0; i < x.length; i++) {
            x[i] = c.low() + (c.high() - c.low()) * random.nextFloat();
        }
        Tensor input = Tensor.of(x, c.shape());
        long t0 = System.nanoTime();
        Session s = ModelLoader.load(c.name(), dir.resolve("model.onnx"));
        long t1 = System.nanoTime();
        Map<String, Tensor> got = s.run(input);
        long t2 = System.nanoTime();
        Map<String, Tensor> want = OrtReference.run(Files.readAllBytes(dir.resolve("model.onnx")),
                Map.of(s.inputs().get(0).name(), input));
        List<String> problems = new ArrayList<>();
        double worstAbs = 0;
        double worstRtol = 0;
        for (var e : want.entrySet()) {
            Tensor g = got.get(e.getKey());
            String diff = BackendTestCase.compare(e.getValue(), g, tol.atol(), tol.rtol());
            if (diff != null) {
                problems.add("output '" + e.getKey() + "': " + diff);
            }
            if (g != null && g.size() == e.getValue().size()) {
                worstAbs = Math.max(worstAbs, BackendTestCase.maxAbsDiff(e.getValue(), g));
                worstRtol = Math.max(worstRtol, BackendTestCase.neededRtol(e.getValue(), g,
                        tol.atol()));
            }
        }
        if (!got.keySet().equals(want.keySet())) {
            problems.add("outputs " + got.keySet() + ", ONNX Runtime gives " + want.keySet());
        }
        ModelTimings.record(c.name(), t1 - t0, t2 - t1, String.format(
                "vs ORT: max |diff| %.3g, rtol needed at atol %.0e: %.3g (%s)", worstAbs,
                tol.atol(), worstRtol, tol));
        if (!problems.isEmpty()) {
            fail(c.name() + ": " + String.join("; ", problems));
        }
    }

    @Test
    void rejectsSizeOffTheStrideGrid() throws Exception {
        Path dir = SharedData.shared().resolve("models/yunet-n-dynamic");
        SharedData.require(dir, "YuNet size check");
        Tensor input = Tensor.zeros(DType.FLOAT, 1, 3, 240, 320);
        Session s = ModelLoader.load("models/yunet-n-dynamic [1, 3, 240, 320]",
                dir.resolve("model.onnx"));
        ShapeException e = assertThrows(ShapeException.class, () -> s.run(input));
        assertTrue(e.getMessage().contains("Add"), e.getMessage());
        assertThrows(OrtException.class, () -> OrtReference.run(
                Files.readAllBytes(dir.resolve("model.onnx")), Map.of("input", input)));
    }

    @AfterAll
    static void writeTimings() {
        ModelTimings.write();
    }
}
