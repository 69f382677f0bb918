package dev.lanes.runtime.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import dev.lanes.errors.LanesException;
import dev.lanes.errors.ModelFormatException;
import dev.lanes.formats.plan.LanesPlan;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.Plan;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.SessionOptions;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.ValueInfo;
import dev.lanes.runtime.kernels.conv.ChannelBlocksReorder;
import dev.lanes.runtime.kernels.conv.GemmConv;
import dev.lanes.runtime.kernels.elementwise.BinaryKernel;
import dev.lanes.runtime.kernels.elementwise.UnaryKernel;
import dev.lanes.runtime.kernels.gemm.Activation;
import dev.lanes.runtime.kernels.gemm.Epilogue;
import dev.lanes.runtime.kernels.spatial.AutoPad;
import dev.lanes.runtime.kernels.spatial.ConvAttributes;
import dev.lanes.runtime.kernels.tensor.ConstantOfShapeKernel;
import dev.lanes.runtime.kernels.tensor.IdentityKernel;
import dev.lanes.runtime.kernels.tensor.ShapeKernel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hand-built plans survive a round trip through a file and run the same; damaged, truncated,
 * foreign and inconsistent files fail with a {@link ModelFormatException} naming the file and
 * what is wrong.
 */
class PlanFileTest {
    private static final String FILE = "hand.lanes";

    /**
     * x [N,2,6,6] -> Conv 3x3 (+bias, scale, clip) -> Relu -> + ConstantOfShape(Shape(.)) -> y;
     * s (any rank, INT64) -> Identity -> t. The weights are both a slot constant and the conv
     * kernel's parameter; the ConstantOfShape value is a parameter only.
     */
    static Plan handBuilt() {
        Random rnd = new Random(3);
        Tensor w = KernelSamples.random(rnd, 4, 2, 3, 3);
        Tensor b = KernelSamples.random(rnd, 4);
        ConvAttributes a = ConvAttributes.conv(new int[] {3, 3}, null, null,
                new int[] {1, 1, 1, 1}, AutoPad.NOTSET, 1);
        Epilogue ep = new Epilogue(KernelSamples.random(rnd, 4).floats(), null,
                new Activation(Activation.Kind.CLIP, -0.25f, 0.5f));
        // Slots: 0 x, 1 s, 2 w, 3 b, 4 c, 5 r, 6 shape, 7 filled, 8 y, 9 t.
        Tensor[] constants = new Tensor[10];
        constants[2] = w;
        constants[3] = b;
        List<Plan.Step> steps = List.of(
                new Plan.Step("conv", "Conv", new GemmConv(a, w, ep, false),
                        new int[] {0, 2, 3, -1}, new int[] {4}),
                new Plan.Step("relu", "Relu", new UnaryKernel(UnaryKernel.Op.RELU),
                        new int[] {4}, new int[] {5}),
                new Plan.Step("shape", "Shape", new ShapeKernel(), new int[] {5}, new int[] {6}),
                new Plan.Step("fill", "ConstantOfShape",
                        new ConstantOfShapeKernel(Tensor.of(new float[] {0.125f}, 1)),
                        new int[] {6}, new int[] {7}),
                new Plan.Step("add", "Add", new BinaryKernel(BinaryKernel.Op.ADD),
                        new int[] {5, 7}, new int[] {8}),
                new Plan.Step("id", "Identity", new IdentityKernel(), new int[] {1},
                        new int[] {9}));
        List<ValueInfo> inputs = List.of(
                new ValueInfo("x", DType.FLOAT, new int[] {-1, 2, 6, 6},
                        new String[] {"N", null, null, null}),
                new ValueInfo("s", DType.INT64, null, null));
        List<ValueInfo> outputs = List.of(
                new ValueInfo("y", DType.FLOAT, new int[] {-1, 4, 6, 6},
                        new String[] {"N", null, null, null}),
                new ValueInfo("t", DType.INT64, null, null));
        return new Plan(10, steps, constants, inputs, new int[] {0, 1}, outputs,
                new int[] {8, 9});
    }

    private static Map<String, Tensor> inputs(int n) {
        return Map.of("x", KernelSamples.random(new Random(n), n, 2, 6, 6),
                "s", Tensor.vector(5, -6, 7));
    }

    private static byte[] bytes() {
        return PlanWriter.toBytes(handBuilt(), new PlanInfo("hand.onnx", 0, 2,
                List.of("fold-pad"), 8), FILE);
    }

    @Test
    void roundTripKeepsSignaturesAndRunsTheSame(@TempDir Path dir) {
        Plan p = handBuilt();
        Path file = dir.resolve(FILE);
        PlanWriter.write(p, new PlanInfo("hand.onnx", 3, 2, List.of("fold-pad"), 8), file);
        assertTrue(PlanFormat.isPlan(file));
        SavedPlan saved = PlanReader.read(file);
        Plan q = saved.plan();
        assertEquals(p.inputs(), q.inputs());
        assertEquals(p.outputs(), q.outputs());
        assertEquals(p.slotCount(), q.slotCount());
        assertEquals(new PlanInfo("hand.onnx", 3, 2, List.of("fold-pad"), 8), saved.info());
        assertEquals(2, saved.sessionOptions().threads());
        assertTrue(saved.producer().startsWith("lanes "), saved.producer());
        for (int s = 0; s < p.steps().size(); s++) {
            Plan.Step a = p.steps().get(s);
            Plan.Step b = q.steps().get(s);
            assertEquals(a.name(), b.name());
            assertEquals(a.opType(), b.opType());
            assertArrayEquals(a.inputs(), b.inputs());
            assertArrayEquals(a.outputs(), b.outputs());
            assertSame(a.kernel().getClass(), b.kernel().getClass());
        }
        // The weights slot and the conv kernel's weights are one tensor in the loaded plan too.
        assertArrayEquals(p.constant(2).floats(), q.constant(2).floats());
        assertNull(q.constant(4));
        try (Session one = new Session(p, new SessionOptions(2));
                Session two = new Session(q, new SessionOptions(2))) {
            for (int n : new int[] {1, 3}) {
                Map<String, Tensor> want = one.run(inputs(n));
                Map<String, Tensor> got = two.run(inputs(n));
                assertArrayEquals(want.get("y").floats(), got.get("y").floats());
                assertArrayEquals(want.get("y").shape(), got.get("y").shape());
                assertArrayEquals(want.get("t").longs(), got.get("t").longs());
            }
        }
    }

    @Test
    void constantsAreStoredOnceAndParameterTensorsAfterThem() throws Exception {
        LanesPlan.PlanBody body = body(bytes());
        // w and b for their slots; the ConstantOfShape value for the kernel only. The conv's
        // weights parameter refers to w's entry.
        assertEquals(3, body.getConstantsCount());
        assertEquals(2, body.getConstants(0).getSlot());
        assertEquals(3, body.getConstants(1).getSlot());
        assertEquals(-1, body.getConstants(2).getSlot());
        LanesPlan.Param weights = body.getSteps(0).getParams().getParamsList().stream()
                .filter(x -> x.getName().equals("weights")).findFirst().orElseThrow();
        assertEquals(0, weights.getConstant());
        assertEquals("conv.gemm", body.getSteps(0).getKernel());
    }

    @Test
    void integerAndBoolConstantsKeepTheirTypes() {
        Tensor[] constants = new Tensor[3];
        constants[0] = Tensor.ofLongs(DType.BOOL, new long[] {1, 0, 1}, 3);
        constants[1] = Tensor.ofLongs(DType.UINT8, new long[] {255}, new int[0]);
        constants[2] = Tensor.ofLongs(DType.INT32, new long[] {-7, Integer.MAX_VALUE}, 2, 1);
        Plan p = new Plan(3, List.of(), constants, List.of(), new int[0],
                List.of(new ValueInfo("a", DType.BOOL, new int[] {3}, new String[1]),
                        new ValueInfo("b", DType.UINT8, new int[0], new String[0]),
                        new ValueInfo("c", DType.INT32, new int[] {2, 1}, new String[2])),
                new int[] {0, 1, 2});
        Plan q = PlanReader.read(PlanWriter.toBytes(p, PlanInfo.of("c"), FILE), FILE).plan();
        for (int s = 0; s < 3; s++) {
            assertEquals(p.constant(s).dtype(), q.constant(s).dtype());
            assertArrayEquals(p.constant(s).shape(), q.constant(s).shape());
            assertArrayEquals(p.constant(s).longs(), q.constant(s).longs());
        }
    }

    @Test
    void aKernelWithoutCodecIsNamedWithItsNode() {
        Kernel lambda = (in, ctx) -> in;
        Plan p = new Plan(2, List.of(new Plan.Step("custom node", "MyOp", lambda, new int[] {0},
                new int[] {1})), new Tensor[2], List.of(new ValueInfo("x", DType.FLOAT, null,
                null)), new int[] {0}, List.of(new ValueInfo("y", DType.FLOAT, null, null)),
                new int[] {1});
        LanesException e = assertThrows(LanesException.class,
                () -> PlanWriter.toBytes(p, PlanInfo.of("m"), "m.lanes"));
        assertTrue(e.getMessage().contains("m.lanes") && e.getMessage().contains("step 0")
                && e.getMessage().contains("'custom node' (MyOp)")
                && e.getMessage().contains("without a plan codec"), e.getMessage());
    }

    @Test
    void everyTruncationIsAFormatError() {
        byte[] full = bytes();
        for (int n = 0; n < full.length; n += n < 64 ? 1 : 97) {
            byte[] cut = java.util.Arrays.copyOf(full, n);
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> PlanReader.read(cut, FILE), "cut at " + n);
            assertTrue(e.getMessage().startsWith(FILE + ": "), e.getMessage());
        }
    }

    @Test
    void damagedBytesAreFoundOrHarmless() {
        byte[] full = bytes();
        Random rnd = new Random(11);
        int failures = 0;
        for (int trial = 0; trial < 400; trial++) {
            byte[] bad = full.clone();
            int at = trial < 100 ? trial : rnd.nextInt(bad.length);
            bad[at] ^= (byte) (1 << rnd.nextInt(8));
            try {
                // Only the producer text is outside the checksum; a flip there is harmless.
                assertEquals(6, PlanReader.read(bad, FILE).plan().steps().size());
            } catch (ModelFormatException e) {
                assertTrue(e.getMessage().startsWith(FILE + ": "), e.getMessage());
                failures++;
            }
        }
        assertTrue(failures > 350, failures + " of 400 damaged files were refused");
    }

    /**
     * Damage inside the body under a valid checksum (as a buggy writer would make): every
     * such file loads, or fails with a format error naming the file; nothing else escapes.
     */
    @Test
    void damagedBodiesWithAValidChecksumFailCleanly() throws Exception {
        byte[] body = LanesPlan.PlanFile.parseFrom(bytes()).getBody().toByteArray();
        Random rnd = new Random(5);
        int refused = 0;
        for (int trial = 0; trial < 2000; trial++) {
            byte[] bad = body.clone();
            for (int flips = 1 + rnd.nextInt(3); flips > 0; flips--) {
                int at = rnd.nextInt(bad.length);
                bad[at] = rnd.nextInt(4) == 0 ? (byte) rnd.nextInt(256)
                        : (byte) (bad[at] ^ (1 << rnd.nextInt(8)));
            }
            ByteString b = ByteString.copyFrom(bad);
            CRC32C crc = new CRC32C();
            crc.update(bad);
            byte[] file = LanesPlan.PlanFile.newBuilder().setMagic(PlanFormat.MAGIC)
                    .setFormatVersion(PlanFormat.VERSION).setBody(b)
                    .setBodyCrc32C((int) crc.getValue()).build().toByteArray();
            try {
                PlanReader.read(file, FILE);
            } catch (ModelFormatException e) {
                assertTrue(e.getMessage().startsWith(FILE + ": "), e.getMessage());
                refused++;
            }
        }
        assertTrue(refused > 500, refused + " of 2000 damaged bodies were refused");
    }

    @Test
    void anotherFormatVersionIsNamed() throws Exception {
        byte[] file = LanesPlan.PlanFile.parseFrom(bytes()).toBuilder().setFormatVersion(2)
                .setProducer("lanes 9.0").setBody(ByteString.copyFromUtf8("new layout"))
                .build().toByteArray();
        assertError(file, "plan format version 2 (written by lanes 9.0); this Lanes reads"
                + " version 1: compile the model again with 'lanes compile'");
        // Even when the rest is cut off.
        assertError(java.util.Arrays.copyOf(file, 30), "plan format version 2");
    }

    @Test
    void otherFilesAreNotPlans(@TempDir Path dir) throws Exception {
        assertError(new byte[0], "empty file, not a Lanes plan");
        assertError(new byte[] {8, 7, 18, 4}, "not a Lanes plan (it does not start with the"
                + " magic 'lanes-plan')");
        Path onnx = dir.resolve("m.lanes");
        Files.write(onnx, new byte[] {8, 7, 18, 4, 'o', 'n', 'n', 'x'});
        assertFalse(PlanFormat.isPlan(onnx));
        assertFalse(PlanFormat.isPlan(dir.resolve("missing")));
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> PlanReader.read(dir.resolve("missing.lanes")));
        assertTrue(e.getMessage().contains("missing.lanes: no such file"), e.getMessage());
    }

    @Test
    void aChecksumMismatchIsDamage() throws Exception {
        LanesPlan.PlanFile f = LanesPlan.PlanFile.parseFrom(bytes());
        assertError(f.toBuilder().setBodyCrc32C(f.getBodyCrc32C() + 1).build().toByteArray(),
                "damaged plan file: the body's CRC-32C is");
    }

    @Test
    void inconsistentBodiesNameTheirField() throws Exception {
        LanesPlan.PlanBody good = body(bytes());
        assertBody(good, b -> b.setSlotCount(Integer.MAX_VALUE),
                "slot_count is 2147483647 but inputs, constants and step outputs fill only 11");
        assertBody(good, b -> b.setSlotCount(-1), "slot_count is 4294967295");
        assertBody(good, b -> b.setSteps(1, b.getSteps(1).toBuilder().setInputs(0, 12)),
                "step 1 'relu' (Relu, kernel elementwise.unary), input 0: slot 12 is out of"
                        + " range (slot_count 10)");
        assertBody(good, b -> b.setSteps(1, b.getSteps(1).toBuilder().setInputs(0, 8)),
                "step 1 'relu' (Relu, kernel elementwise.unary), input 0: reads slot 8 before"
                        + " any input, constant or step fills it");
        assertBody(good, b -> b.setSteps(1, b.getSteps(1).toBuilder().setOutputs(0, 2)),
                "step 1 'relu' (Relu, kernel elementwise.unary), output 0: writes slot 2, which"
                        + " constant 0 already fills");
        assertBody(good, b -> b.setSteps(1, b.getSteps(1).toBuilder().setKernel("relu.fast")),
                "step 1 'relu' (Relu, kernel relu.fast): unknown kernel id 'relu.fast'");
        assertBody(good, b -> b.setSteps(1, b.getSteps(1).toBuilder().setParams(
                LanesPlan.Params.getDefaultInstance())), "parameter 'op' is missing");
        assertBody(good, b -> b.setSteps(1, b.getSteps(1).toBuilder().setParams(
                b.getSteps(1).getParams().toBuilder().addParams(LanesPlan.Param.newBuilder()
                        .setName("speed").setIntValue(3)))),
                "parameter 'speed' is not a parameter of this kernel");
        assertBody(good, b -> b.setSteps(1, b.getSteps(1).toBuilder().setParams(
                b.getSteps(1).getParams().toBuilder().setParams(0, LanesPlan.Param.newBuilder()
                        .setName("op").setIntValue(3)))),
                "parameter 'op' should be a string, the file has int_value");
        assertBody(good, b -> b.setSteps(1, b.getSteps(1).toBuilder().setParams(
                b.getSteps(1).getParams().toBuilder().setParams(0, LanesPlan.Param.newBuilder()
                        .setName("op").setStringValue("FAST_RELU")))),
                "parameter 'op' is 'FAST_RELU', not one of UnaryKernel.Op [RELU, LEAKY_RELU");
        assertBody(good, b -> b.setSteps(0, withParam(b.getSteps(0), "weights",
                LanesPlan.Param.newBuilder().setName("weights").setConstant(99))),
                "step 0 'conv' (Conv, kernel conv.gemm): parameter 'weights' refers to constant"
                        + " 99 but the plan has 3");
        assertBody(good, b -> b.setSteps(0, withParam(b.getSteps(0), "attrs",
                b.getSteps(0).getParams().getParamsList().stream()
                        .filter(p -> p.getName().equals("attrs")).findFirst().orElseThrow()
                        .toBuilder().setRecord(LanesPlan.Params.newBuilder()
                                .addParams(LanesPlan.Param.newBuilder().setName("auto_pad")
                                        .setStringValue("NOTSET"))
                                .addParams(LanesPlan.Param.newBuilder().setName("group")
                                        .setIntValue(1))
                                .addParams(LanesPlan.Param.newBuilder().setName("strides")
                                        .setInts(LanesPlan.Ints.newBuilder().addValues(0)))))),
                "parameter 'attrs.strides' holds 0; every value must be 1 or more");
        assertBody(good, b -> b.setConstants(0, b.getConstants(0).toBuilder().setTensor(
                b.getConstants(0).getTensor().toBuilder().setDims(0, 1L << 40))),
                "constant 0: dims[0] is 1099511627776, not a size");
        assertBody(good, b -> b.setConstants(0, b.getConstants(0).toBuilder().setTensor(
                b.getConstants(0).getTensor().toBuilder().setDims(0, 5))),
                "constant 0: data has 288 bytes but dims [5, 2, 3, 3] of FLOAT need 360");
        assertBody(good, b -> b.setConstants(0, b.getConstants(0).toBuilder().setTensor(
                b.getConstants(0).getTensor().toBuilder().setDtypeValue(42))),
                "constant 0: dtype is an unknown element type");
        assertBody(good, b -> b.setInputs(0, b.getInputs(0).toBuilder().setDims(1,
                LanesPlan.Dim.newBuilder().setSize(-2))),
                "input 0 'x': dims[1] is -2 (a size, or -1 when free)");
        assertBody(good, b -> b.setOutputs(0, b.getOutputs(0).toBuilder().setSlot(3)
                .setName("bias")).setSteps(4, b.getSteps(4).toBuilder().setOutputs(0, 3)),
                "step 4 'add' (Add, kernel elementwise.binary), output 0: writes slot 3, which"
                        + " constant 1 already fills");
        assertBody(good, b -> b.removeSteps(5),
                "output 1 't': reads slot 9 before any input, constant or step fills it");
    }

    @Test
    void channelBlockKernelsNeedTheMachineTheyWerePlannedFor() throws Exception {
        Plan p = KernelCodecsTest.oneStep(new ChannelBlocksReorder(true), 1);
        LanesPlan.PlanBody good = body(PlanWriter.toBytes(p, PlanInfo.of("b"), FILE));
        int other = ChannelBlocksReorder.BLOCK * 2;
        assertBody(good, b -> b.setSteps(0, withParam(b.getSteps(0), "block",
                LanesPlan.Param.newBuilder().setName("block").setIntValue(other))),
                "parameter 'block' is " + other + " channels, planned on a machine whose"
                        + " vectors hold " + other + " floats; this machine's hold "
                        + ChannelBlocksReorder.BLOCK + ": compile the model again here");
    }

    /** The step with one parameter replaced. */
    private static LanesPlan.Step withParam(LanesPlan.Step s, String name,
            LanesPlan.Param.Builder value) {
        LanesPlan.Params.Builder p = s.getParams().toBuilder();
        for (int i = 0; i < p.getParamsCount(); i++) {
            if (p.getParams(i).getName().equals(name)) {
                p.setParams(i, value);
                return s.toBuilder().setParams(p).build();
            }
        }
        throw new AssertionError("no parameter " + name);
    }

    static LanesPlan.PlanBody body(byte[] file) throws Exception {
        return LanesPlan.PlanBody.parseFrom(LanesPlan.PlanFile.parseFrom(file).getBody());
    }

    /** A valid envelope around a body. */
    static byte[] envelope(LanesPlan.PlanBody body) {
        ByteString b = body.toByteString();
        CRC32C crc = new CRC32C();
        crc.update(b.asReadOnlyByteBuffer());
        return LanesPlan.PlanFile.newBuilder().setMagic(PlanFormat.MAGIC)
                .setFormatVersion(PlanFormat.VERSION).setProducer("test").setBody(b)
                .setBodyCrc32C((int) crc.getValue()).build().toByteArray();
    }

    private static void assertBody(LanesPlan.PlanBody good,
            UnaryOperator<LanesPlan.PlanBody.Builder> damage, String message) {
        assertError(envelope(damage.apply(good.toBuilder()).build()), message);
    }

    private static void assertError(byte[] file, String message) {
        try {
            PlanReader.read(file, FILE);
            fail("no error; expected: " + message);
        } catch (ModelFormatException e) {
            assertTrue(e.getMessage().startsWith(FILE + ": "), e.getMessage());
            assertTrue(e.getMessage().contains(message), "expected '" + message + "' in: "
                    + e.getMessage());
        }
    }
}
