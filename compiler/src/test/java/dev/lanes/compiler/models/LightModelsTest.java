package dev.lanes.compiler.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.compiler.conformance.BackendTestCase;
import dev.lanes.compiler.conformance.SharedData;
import dev.lanes.compiler.conformance.TestRules;
import dev.lanes.compiler.conformance.TestRules.Tolerance;
import dev.lanes.formats.ModelReader;
import dev.lanes.formats.TensorProtos;
import dev.lanes.formats.onnx.Onnx.GraphProto;
import dev.lanes.formats.onnx.Onnx.ModelProto;
import dev.lanes.formats.onnx.Onnx.NodeProto;
import dev.lanes.formats.onnx.Onnx.TypeProto;
import dev.lanes.formats.onnx.Onnx.ValueInfoProto;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The whole architectures of {@code <shared>/onnx-tests/light} (weights made by ConstantOfShape,
 * input arange(n)/n, expected outputs from ONNX's reference evaluator): each runs and its output
 * has the expected shape.
 *
 * <p>Because every weight of a layer is the same constant, every output channel of these models
 * computes the same value. Where the values are moderate (DenseNet-121's pre-softmax output,
 * max 0.46; Inception v2 and ShuffleNet, whose logits are 0.47 and 3.49) the output is compared
 * with the expected one at the tolerance of {@code tolerances.tsv} for {@code light/NAME}. The
 * others end in a Softmax over logits of 9.5e9 (SqueezeNet), 3.6e12 (AlexNet), 4.1e12 (ZFNet),
 * 1.3e19 (ResNet-50), 1.2e21 (Inception v1) and 3.7e31 (VGG-19), as measured with ONNX Runtime:
 * there a 1-ulp difference between two channels' sums (about 1e3 at 9.5e9) changes the
 * probabilities completely, so the expected uniform 0.001 only says the evaluator summed every
 * channel in the same order (numpy gave SqueezeNet a 2.3e-3 error). For those the test checks
 * that the probabilities are in [0, 1] and sum to 1, and compares the logits (the Softmax input,
 * well conditioned relative to their size) with ONNX Runtime at the tolerance for
 * {@code light/NAME-logits}, by default |got - want| <= 1e-4 + 1e-3 |want|.
 *
 * <p>Selection: {@code -Dlanes.models.filter=REGEX} over the folder names.
 */
class LightModelsTest {
    static final List<String> MODELS = List.of("bvlc_alexnet", "densenet121", "inception_v1",
            "inception_v2", "resnet50", "shufflenet", "squeezenet", "vgg19", "zfnet512");

    /** Models whose final Softmax is fed logits too large for its output to be compared. */
    static final Set<String> HUGE_LOGITS = Set.of("bvlc_alexnet", "inception_v1", "resnet50",
            "squeezenet", "vgg19", "zfnet512");

    @TestFactory
    Stream<DynamicTest> lightModels() {
        Path root = SharedData.shared().resolve("onnx-tests/light");
        if (!Files.isDirectory(root)) {
            return Stream.of(SharedData.missing("light", root, "light model tests"));
        }
        Pattern filter = Pattern.compile(System.getProperty("lanes.models.filter", ".*"));
        return MODELS.stream().filter(m -> filter.matcher(m).find())
                .map(m -> DynamicTest.dynamicTest("light/" + m, () -> check(root.resolve(m))));
    }

    private static void check(Path dir) throws Exception {
        String name = dir.getFileName().toString();
        String test = "light/" + name;
        SharedData.require(dir, "light model " + name);
        Path set = dir.resolve("test_data_set_0");
        Tensor want = Tensor.from(TensorProtos.read(set.resolve("output_0.pb")));
        if (HUGE_LOGITS.contains(name)) {
            checkLogits(dir, test, set, want);
            return;
        }
        Tolerance tol = TestRules.get().tolerance(test);
        long t0 = System.nanoTime();
        Session s = ModelLoader.load(test, dir.resolve("model.onnx"));
        long t1 = System.nanoTime();
        Tensor got = s.run(BackendTestCase.inputs(s, set)).get(s.outputs().get(0).name());
        long t2 = System.nanoTime();
        assertArrayEquals(want.shapeView(), got.shapeView(), test + ": output shape");
        ModelTimings.record(test, t1 - t0, t2 - t1, String.format(
                "max |diff| %.3g, rtol needed at atol %.0e: %.3g (%s)",
                BackendTestCase.maxAbsDiff(want, got), tol.atol(),
                BackendTestCase.neededRtol(want, got, tol.atol()), tol));
        assertNull(BackendTestCase.compare(want, got, tol.atol(), tol.rtol()), test);
    }

    /**
     * Runs the model with its logits as a second output: the probabilities must have the
     * expected shape, lie in [0, 1] and sum to 1; the logits must match ONNX Runtime's.
     */
    private static void checkLogits(Path dir, String test, Path set, Tensor want)
            throws Exception {
        byte[] model = withLogitsOutput(ModelReader.read(dir.resolve("model.onnx")));
        Tolerance tol = TestRules.get().tolerance(test + "-logits");
        long t0 = System.nanoTime();
        Session s = ModelLoader.load(test, model);
        long t1 = System.nanoTime();
        Map<String, Tensor> in = BackendTestCase.inputs(s, set);
        Map<String, Tensor> got = s.run(in);
        long t2 = System.nanoTime();
        Tensor probs = got.get(s.outputs().get(0).name());
        assertArrayEquals(want.shapeView(), probs.shapeView(), test + ": output shape");
        double sum = 0;
        for (float v : probs.floats()) {
            assertTrue(v >= 0 && v <= 1, test + ": probability " + v);
            sum += v;
        }
        assertEquals(1.0, sum, 1e-3, test + ": probabilities sum to 1");
        String logits = s.outputs().get(1).name();
        Tensor ref = OrtReference.run(model, in).get(logits);
        Tensor mine = got.get(logits);
        ModelTimings.record(test, t1 - t0, t2 - t1, String.format(
                "probabilities sum to 1; logits (|max| %.3g) vs ORT: max |diff| %.3g, rtol"
                        + " needed %.3g (%s)", maxAbs(ref), BackendTestCase.maxAbsDiff(ref, mine),
                BackendTestCase.neededRtol(ref, mine, tol.atol()), tol));
        assertNull(BackendTestCase.compare(ref, mine, tol.atol(), tol.rtol()),
                test + ": logits '" + logits + "' vs ONNX Runtime");
    }

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (int i = 0; i < t.size(); i++) {
            m = Math.max(m, Math.abs(t.getDouble(i)));
        }
        return m;
    }

    /** The model with the input of its final Softmax (the logits) as a second output. */
    private static byte[] withLogitsOutput(ModelProto m) {
        GraphProto g = m.getGraph();
        String out = g.getOutput(0).getName();
        for (NodeProto n : g.getNodeList()) {
            if (n.getOpType().equals("Softmax") && n.getOutput(0).equals(out)) {
                GraphProto both = g.toBuilder()
                        .addOutput(ValueInfoProto.newBuilder().setName(n.getInput(0))
                                .setType(TypeProto.newBuilder().setTensorType(
                                        TypeProto.Tensor.newBuilder().setElemType(1))))
                        .build();
                return m.toBuilder().setGraph(both).build().toByteArray();
            }
        }
        throw new IllegalStateException("no Softmax produces output '" + out + "'");
    }

    @AfterAll
    static void writeTimings() {
        ModelTimings.write();
    }
}
