package dev.lanes.compiler.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.lanes.compiler.CompileOptions;
import dev.lanes.compiler.Compiler;
import dev.lanes.compiler.ir.Dim;
import dev.lanes.compiler.ir.Graph;
import dev.lanes.compiler.ir.TensorType;
import dev.lanes.compiler.ops.ShapeFoldingTest.Models;
import dev.lanes.formats.TensorProtos;
import dev.lanes.formats.onnx.Onnx.AttributeProto;
import dev.lanes.formats.onnx.Onnx.GraphProto;
import dev.lanes.formats.onnx.Onnx.ModelProto;
import dev.lanes.formats.onnx.Onnx.TypeProto;
import dev.lanes.formats.onnx.Onnx.ValueInfoProto;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.SessionOptions;
import dev.lanes.runtime.Tensor;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Random configurations of the value-moving operators (shapes, axes, negative indices and
 * steps, broadcasts), each run by Lanes and by ONNX Runtime on the same input; the outputs must
 * be identical.
 */
class TensorOpsVsOnnxRuntimeTest {
    private static final int CASES_PER_OP = 40;

    /** One single-node model with its float input. */
    private record Case(String name, ModelProto model, Tensor x) {
    }

    @TestFactory
    Stream<DynamicTest> matchesOnnxRuntime() {
        Random rnd = new Random(20261123);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < CASES_PER_OP; i++) {
            cases.add(transpose(rnd, i));
            cases.add(slice(rnd, i));
            cases.add(gather(rnd, i));
            cases.add(expand(rnd, i));
            cases.add(tile(rnd, i));
            cases.add(concat(rnd, i));
            cases.add(split(rnd, i));
            cases.add(gatherElements(rnd, i));
            cases.add(reshape(rnd, i));
        }
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)));
    }

    private static void check(Case c) throws OrtException {
        Compiler compiler = new Compiler(CompileOptions.defaults());
        Graph g = compiler.importGraph(c.model(), null);
        compiler.optimize(g);
        Session lanes = new Session(compiler.lower(g), SessionOptions.defaults());
        List<Tensor> got = new ArrayList<>(lanes.run(c.x()).values());
        for (int k = 0; k < got.size(); k++) {
            // Shape inference must have predicted the shape exactly.
            TensorType t = g.outputs().get(k).type();
            assertTrue(t.isStatic(), c.name() + " output " + k + " inferred as " + t);
            assertArrayEquals(got.get(k).shapeView(), t.staticShape(),
                    c.name() + " output " + k + " inferred shape");
        }
        checkSymbolicBatch(c, got);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession ort = env.createSession(c.model().toByteArray(),
                new OrtSession.SessionOptions());
                OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(c.x().floats()),
                        Arrays.stream(c.x().shapeView()).asLongStream().toArray());
                OrtSession.Result r = ort.run(Map.of("x", in))) {
            for (int k = 0; k < got.size(); k++) {
                OnnxTensor want = (OnnxTensor) r.get(k);
                long[] shape = want.getInfo().getShape();
                assertArrayEquals(Arrays.stream(shape).mapToInt(v -> (int) v).toArray(),
                        got.get(k).shapeView(), c.name() + " output " + k + " shape");
                FloatBuffer fb = want.getFloatBuffer();
                float[] w = new float[fb.remaining()];
                fb.get(w);
                assertArrayEquals(w, got.get(k).floats(), c.name() + " output " + k);
            }
        }
    }

    /**
     * The same model with the input's first dimension declared as the symbol "N": what
     * inference claims must hold for the actual outputs (a known size is the size, "N" is the
     * input's first dimension), and the outputs must not change.
     */
    private static void checkSymbolicBatch(Case c, List<Tensor> want) {
        ModelProto.Builder m = c.model().toBuilder();
        m.getGraphBuilder().getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder()
                .getShapeBuilder().getDimBuilder(0).clearDimValue().setDimParam("N");
        Compiler compiler = new Compiler(CompileOptions.defaults());
        Graph g = compiler.importGraph(m.build(), null);
        compiler.optimize(g);
        Session lanes = new Session(compiler.lower(g), SessionOptions.defaults());
        List<Tensor> got = new ArrayList<>(lanes.run(c.x()).values());
        for (int k = 0; k < got.size(); k++) {
            assertArrayEquals(want.get(k).floats(), got.get(k).floats(), c.name() + " with N");
            TensorType t = g.outputs().get(k).type();
            String what = c.name() + " with N: output " + k + " inferred as " + t + ", is "
                    + Arrays.toString(got.get(k).shapeView());
            assertTrue(t.hasRank() && t.rank() == got.get(k).rank(), what);
            for (int d = 0; d < t.rank(); d++) {
                Dim dim = t.dims().get(d);
                int actual = got.get(k).dim(d);
                assertTrue(dim.isKnown() ? dim.value() == actual : !"N".equals(dim.symbol())
                        || actual == c.x().dim(0), what);
            }
        }
    }

    // ---- model building ----

    private static ModelProto model(Tensor x, String op, Map<String, Tensor> consts,
            int outputs, AttributeProto... attrs) {
        GraphProto.Builder g = GraphProto.newBuilder();
        g.addInput(Models.floats("x", Arrays.stream(x.shapeView()).boxed().toArray()));
        List<String> in = new ArrayList<>(List.of("x"));
        for (var e : consts.entrySet()) {
            in.add(e.getValue() == null ? "" : e.getKey());
            if (e.getValue() != null) {
                g.addInitializer(TensorProtos.encode(e.getValue().toData(e.getKey())));
            }
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            out.add("y" + i);
            g.addOutput(ValueInfoProto.newBuilder().setName("y" + i).setType(TypeProto
                    .newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(1))));
        }
        g.addNode(Models.node(op, in, out, attrs));
        return Models.model(13, g);
    }

    private static int[] randomShape(Random rnd, int minRank, int maxRank, int maxDim) {
        int rank = minRank + rnd.nextInt(maxRank - minRank + 1);
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) {
            s[i] = 1 + rnd.nextInt(maxDim);
        }
        return s;
    }

    private static Tensor input(Random rnd, int[] shape) {
        float[] v = new float[Tensor.checkedSize(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextInt(1000) - 500;
        }
        return Tensor.of(v, shape);
    }

    private static Map<String, Tensor> consts(Object... kv) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Tensor) kv[i + 1]);
        }
        return m;
    }

    private static String name(String op, int i, Object... what) {
        return op + "_" + i + " " + Arrays.deepToString(what);
    }

    // ---- generators ----

    private static Case transpose(Random rnd, int i) {
        int[] shape = randomShape(rnd, 1, 5, 4);
        List<Integer> p = new ArrayList<>(IntStream.range(0, shape.length).boxed().toList());
        java.util.Collections.shuffle(p, rnd);
        long[] perm = p.stream().mapToLong(Integer::longValue).toArray();
        Tensor x = input(rnd, shape);
        return new Case(name("Transpose", i, shape, perm), model(x, "Transpose", consts(), 1,
                Models.ints("perm", perm)), x);
    }

    private static Case slice(Random rnd, int i) {
        int[] shape = randomShape(rnd, 1, 4, 6);
        int k = 1 + rnd.nextInt(shape.length);
        List<Integer> axes = new ArrayList<>(IntStream.range(0, shape.length).boxed().toList());
        java.util.Collections.shuffle(axes, rnd);
        long[] starts = new long[k];
        long[] ends = new long[k];
        long[] ax = new long[k];
        long[] steps = new long[k];
        for (int j = 0; j < k; j++) {
            int a = axes.get(j);
            int n = shape[a];
            ax[j] = rnd.nextBoolean() ? a : a - shape.length;
            starts[j] = rnd.nextInt(3 * n + 1) - n - n / 2;
            steps[j] = (1 + rnd.nextInt(3)) * (rnd.nextBoolean() ? 1 : -1);
            // ONNX Runtime reads INT_MAX with a negative step as "to the start" where the
            // specification clamps it to n-1, so the huge end goes the step's way here.
            long huge = steps[j] > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
            boolean against = steps[j] > 0 && rnd.nextBoolean();
            ends[j] = rnd.nextInt(5) == 0 ? (against ? Long.MIN_VALUE : huge)
                    : rnd.nextInt(3 * n + 1) - n - n / 2;
        }
        Tensor x = input(rnd, shape);
        return new Case(name("Slice", i, shape, starts, ends, ax, steps), model(x, "Slice",
                consts("starts", Tensor.vector(starts), "ends", Tensor.vector(ends), "axes",
                        Tensor.vector(ax), "steps", Tensor.vector(steps)), 1), x);
    }

    private static Case gather(Random rnd, int i) {
        int[] shape = randomShape(rnd, 1, 4, 5);
        int axis = rnd.nextInt(shape.length);
        int[] idxShape = randomShape(rnd, 0, 2, 3);
        long[] idx = new long[Tensor.checkedSize(idxShape)];
        for (int j = 0; j < idx.length; j++) {
            idx[j] = rnd.nextInt(2 * shape[axis]) - shape[axis];
        }
        Tensor x = input(rnd, shape);
        return new Case(name("Gather", i, shape, axis, idxShape, idx), model(x, "Gather",
                consts("idx", Tensor.ofLongs(idx, idxShape)), 1,
                Models.integer("axis", rnd.nextBoolean() ? axis : axis - shape.length)), x);
    }

    private static Case gatherElements(Random rnd, int i) {
        int[] shape = randomShape(rnd, 1, 4, 4);
        int axis = rnd.nextInt(shape.length);
        int[] idxShape = shape.clone();
        for (int d = 0; d < idxShape.length; d++) {
            idxShape[d] = d == axis ? 1 + rnd.nextInt(5) : 1 + rnd.nextInt(shape[d]);
        }
        long[] idx = new long[Tensor.checkedSize(idxShape)];
        for (int j = 0; j < idx.length; j++) {
            idx[j] = rnd.nextInt(2 * shape[axis]) - shape[axis];
        }
        Tensor x = input(rnd, shape);
        return new Case(name("GatherElements", i, shape, axis, idxShape), model(x,
                "GatherElements", consts("idx", Tensor.ofLongs(idx, idxShape)), 1,
                Models.integer("axis", axis)), x);
    }

    private static Case expand(Random rnd, int i) {
        int[] shape = randomShape(rnd, 1, 4, 3);
        int rank = Math.max(shape.length, 1 + rnd.nextInt(5));
        long[] want = new long[rank];
        for (int o = 0; o < rank; o++) {
            int d = o - (rank - shape.length);
            int in = d >= 0 ? shape[d] : 1;
            want[o] = in == 1 ? 1 + rnd.nextInt(3) : rnd.nextBoolean() ? in : 1;
        }
        want = Arrays.copyOfRange(want, rnd.nextInt(rank - shape.length + 1), rank);
        Tensor x = input(rnd, shape);
        return new Case(name("Expand", i, shape, want), model(x, "Expand", consts("shape",
                Tensor.vector(want)), 1), x);
    }

    private static Case tile(Random rnd, int i) {
        int[] shape = randomShape(rnd, 1, 4, 3);
        long[] reps = new long[shape.length];
        for (int d = 0; d < reps.length; d++) {
            reps[d] = rnd.nextInt(4);
        }
        Tensor x = input(rnd, shape);
        return new Case(name("Tile", i, shape, reps), model(x, "Tile", consts("reps",
                Tensor.vector(reps)), 1), x);
    }

    private static Case concat(Random rnd, int i) {
        int[] shape = randomShape(rnd, 1, 4, 4);
        int axis = rnd.nextInt(shape.length);
        int[] other = shape.clone();
        other[axis] = rnd.nextInt(4);
        Tensor x = input(rnd, shape);
        Tensor b = input(rnd, other);
        return new Case(name("Concat", i, shape, other, axis), model(x, "Concat", consts("b",
                b, "c", x.copy()), 1, Models.integer("axis", axis - shape.length)), x);
    }

    private static Case split(Random rnd, int i) {
        int[] shape = randomShape(rnd, 1, 4, 6);
        int axis = rnd.nextInt(shape.length);
        int parts = 1 + rnd.nextInt(3);
        long[] sizes = new long[parts];
        long left = shape[axis];
        for (int p = 0; p < parts - 1; p++) {
            sizes[p] = rnd.nextInt((int) left + 1);
            left -= sizes[p];
        }
        sizes[parts - 1] = left;
        Tensor x = input(rnd, shape);
        return new Case(name("Split", i, shape, axis, sizes), model(x, "Split", consts("split",
                Tensor.vector(sizes)), parts, Models.integer("axis", axis)), x);
    }

    private static Case reshape(Random rnd, int i) {
        int[] shape = randomShape(rnd, 1, 4, 4);
        // Regroup the dimensions: shuffle the prime-ish factors into a new rank.
        List<Long> factors = new ArrayList<>();
        for (int d : shape) {
            factors.add((long) d);
        }
        java.util.Collections.shuffle(factors, rnd);
        int rank = 1 + rnd.nextInt(factors.size());
        long[] spec = new long[rank];
        Arrays.fill(spec, 1);
        for (int f = 0; f < factors.size(); f++) {
            spec[f % rank] *= factors.get(f);
        }
        int copy = rnd.nextInt(rank);
        if (copy < shape.length && spec[copy] == shape[copy]) {
            spec[copy] = 0;
        }
        spec[rnd.nextInt(rank)] = -1;
        Tensor x = input(rnd, shape);
        return new Case(name("Reshape", i, shape, spec), model(x, "Reshape", consts("shape",
                Tensor.vector(spec)), 1), x);
    }
}
