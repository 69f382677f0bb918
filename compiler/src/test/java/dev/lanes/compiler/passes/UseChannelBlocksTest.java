package dev.lanes.compiler.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.compiler.CompileOptions;
import dev.lanes.compiler.Compiler;
import dev.lanes.compiler.conformance.BackendTestCase;
import dev.lanes.compiler.conformance.SharedData;
import dev.lanes.compiler.ir.Graph;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ops.ConvAlgorithmChooser;
import dev.lanes.formats.ModelBuilder;
import dev.lanes.formats.ModelReader;
import dev.lanes.formats.TensorProtos;
import dev.lanes.formats.onnx.Onnx.ModelProto;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.SessionOptions;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.conv.ChannelBlocksReorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The channel-block pass: which Convs it converts, where reorders go, same outputs off. */
class UseChannelBlocksTest {
    /** float32 sums in another order: 1e-4 abs + 1e-3 rel. */
    private static final double ATOL = 1e-4;
    private static final double RTOL = 1e-3;
    private static final int B = ChannelBlocksReorder.BLOCK;
    private static final CompileOptions OFF = CompileOptions.defaults().disable("channel-blocks");

    private static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return v;
    }

    /**
     * An inverted residual block: 1x1 expand + Relu, 3x3 depthwise (stride {@code s}) + Clip,
     * 1x1 project, plus the input when the stride is 1; {@code tap} also makes the expanded
     * tensor a graph output.
     */
    private static ModelProto block(int c, int hw, int s, boolean tap) {
        Random r = new Random(c * 31 + hw * 7 + s);
        int e = 2 * c;
        ModelBuilder m = new ModelBuilder("g").opset(13).input("x", "N", c, hw, hw);
        m.initializer("w1", random(r, e * c), e, c, 1, 1);
        m.initializer("b1", random(r, e), e);
        m.initializer("w2", random(r, e * 9), e, 1, 3, 3);
        m.initializer("w3", random(r, c * e), c, e, 1, 1);
        m.initializer("lo", new float[] {0f});
        m.initializer("hi", new float[] {6f});
        m.node("Conv").inputs("x", "w1", "b1").outputs("e");
        m.node("Relu").inputs("e").outputs("er");
        m.node("Conv").inputs("er", "w2").outputs("d").ints("pads", 1, 1, 1, 1)
                .ints("strides", s, s).attr("group", (long) e);
        m.node("Clip").inputs("d", "lo", "hi").outputs("dc");
        m.node("Conv").inputs("dc", "w3").outputs("p");
        int out = (hw - 1) / s + 1;
        if (s == 1) {
            m.node("Add").inputs("p", "x").outputs("y");
        } else {
            m.node("Identity").inputs("p").outputs("y");
        }
        m.output("y", "N", c, out, out);
        if (tap) {
            m.output("er", "N", e, hw, hw);
        }
        return m.build();
    }

    private static Map<String, Integer> ops(ModelProto model, CompileOptions opts) {
        Compiler c = new Compiler(opts);
        Graph g = c.importGraph(model, null);
        c.optimize(g);
        Map<String, Integer> h = new TreeMap<>();
        for (Node n : g.nodes()) {
            h.merge(n.opType(), 1, Integer::sum);
        }
        return h;
    }

    private static Map<String, Tensor> run(ModelProto model, CompileOptions opts, Tensor x) {
        return new Session(new Compiler(opts).compile(model, null), new SessionOptions(2)).run(x);
    }

    private static void assertSameOutputs(ModelProto m, Tensor x) {
        Map<String, Tensor> on = run(m, CompileOptions.defaults(), x);
        Map<String, Tensor> off = run(m, OFF, x);
        for (String name : on.keySet()) {
            assertNull(BackendTestCase.compare(off.get(name), on.get(name), ATOL, RTOL), name);
        }
    }

    @Test
    void anInvertedResidualBlockRunsInBlocksBetweenTwoReorders() {
        ModelProto m = block(B, 11, 1, false);
        Map<String, Integer> after = ops(m, CompileOptions.defaults());
        assertEquals(3, after.getOrDefault("BlockedConv", 0), after.toString());
        assertEquals(1, after.getOrDefault("ToChannelBlocks", 0), after.toString());
        assertEquals(1, after.getOrDefault("FromChannelBlocks", 0), after.toString());
        assertTrue(!after.containsKey("Add") && !after.containsKey("Clip"), after.toString());
        assertSameOutputs(m, Tensor.of(random(new Random(1), 2 * B * 121), 2, B, 11, 11));
    }

    @Test
    void aMaxPoolBetweenTwoChainsStaysInBlocksAndAPlanarOneStaysPlanar() {
        Random r = new Random(21);
        int c = 2 * B;
        ModelBuilder m = new ModelBuilder("g").opset(13).input("x", "N", c, 21, 21);
        m.initializer("dw1", random(r, c * 9), c, 1, 3, 3);
        m.initializer("pw1", random(r, c * c), c, c, 1, 1);
        m.initializer("dw2", random(r, c * 9), c, 1, 3, 3);
        m.initializer("pw2", random(r, c * c), c, c, 1, 1);
        m.node("Conv").inputs("x", "dw1").outputs("a").ints("pads", 1, 1, 1, 1).attr("group", (long) c);
        m.node("Conv").inputs("a", "pw1").outputs("b");
        // Ceil mode and a pad: the blocked pool must follow the planar geometry.
        m.node("MaxPool").inputs("b").outputs("p").ints("kernel_shape", 3, 3).ints("strides", 2, 2)
                .ints("pads", 1, 1, 0, 0).attr("ceil_mode", 1L);
        m.node("Conv").inputs("p", "dw2").outputs("q").ints("pads", 1, 1, 1, 1).attr("group", (long) c);
        m.node("Conv").inputs("q", "pw2").outputs("y");
        // A pool of the graph input, read by nothing blocked: stays planar.
        m.node("MaxPool").inputs("x").outputs("z").ints("kernel_shape", 2, 2).ints("strides", 2, 2);
        m.output("y", "N", c, 11, 11);
        m.output("z", "N", c, 10, 10);
        ModelProto model = m.build();
        Map<String, Integer> after = ops(model, CompileOptions.defaults());
        assertEquals(1, after.getOrDefault("BlockedMaxPool", 0), after.toString());
        assertEquals(1, after.getOrDefault("MaxPool", 0), after.toString());
        assertEquals(4, after.getOrDefault("BlockedConv", 0), after.toString());
        assertEquals(1, after.getOrDefault("ToChannelBlocks", 0), after.toString());
        assertEquals(1, after.getOrDefault("FromChannelBlocks", 0), after.toString());
        assertSameOutputs(model, Tensor.of(random(new Random(22), 2 * c * 441), 2, c, 21, 21));
    }

    @Test
    void aStemWritesTheBlocksItsChainReadsUnlessItsOutputIsReadElsewhere() {
        Random r = new Random(23);
        int c = 2 * B;
        for (boolean tapped : new boolean[] {false, true}) {
            ModelBuilder m = new ModelBuilder("g").opset(13).input("x", "N", 3, 23, 23);
            m.initializer("ws", random(r, c * 27), c, 3, 3, 3);
            m.initializer("bs", random(r, c), c);
            m.initializer("dw", random(r, c * 9), c, 1, 3, 3);
            m.initializer("pw", random(r, c * c), c, c, 1, 1);
            m.node("Conv").inputs("x", "ws", "bs").outputs("s").ints("pads", 1, 1, 1, 1).ints("strides", 2, 2);
            m.node("Relu").inputs("s").outputs("sr");
            m.node("Conv").inputs("sr", "dw").outputs("a").ints("pads", 1, 1, 1, 1).attr("group", (long) c);
            m.node("Conv").inputs("a", "pw").outputs("y");
            m.output("y", "N", c, 12, 12);
            if (tapped) {
                m.output("sr", "N", c, 12, 12);
            }
            ModelProto model = m.build();
            Map<String, Integer> after = ops(model, CompileOptions.defaults());
            assertEquals(tapped ? 2 : 3, after.getOrDefault("BlockedConv", 0), tapped + " " + after);
            assertEquals(tapped ? 1 : 0, after.getOrDefault("ToChannelBlocks", 0), tapped + " " + after);
            assertEquals(tapped ? 1 : 0, after.getOrDefault("FusedConv", 0), tapped + " " + after);
            assertSameOutputs(model, Tensor.of(random(new Random(24), 2 * 3 * 529), 2, 3, 23, 23));
        }
    }

    @Test
    void blockedConvsShowTheirBlockedAlgorithm() {
        Compiler c = new Compiler(CompileOptions.defaults());
        Graph g = c.importGraph(block(B, 11, 1, false), null);
        c.optimize(g);
        Map<String, Integer> algorithms = new TreeMap<>();
        for (Node n : g.nodes()) {
            if (n.opType().equals("BlockedConv")) {
                algorithms.merge(String.valueOf(ConvAlgorithmChooser.algorithmOf(n)), 1,
                        Integer::sum);
            }
        }
        assertEquals(Map.of("BLOCKED_DEPTHWISE", 1, "BLOCKED_POINTWISE", 2), algorithms);
    }

    @Test
    void stridedBlocksAndValuesReadOutsideTheChainAreReorderedBack() {
        ModelProto m = block(2 * B, 21, 2, true);
        Map<String, Integer> after = ops(m, CompileOptions.defaults());
        assertEquals(3, after.getOrDefault("BlockedConv", 0), after.toString());
        // The output y and the expanded tensor, which is a graph output too.
        assertEquals(2, after.getOrDefault("FromChannelBlocks", 0), after.toString());
        assertSameOutputs(m, Tensor.of(random(new Random(2), 2 * B * 441), 1, 2 * B, 21, 21));
    }

    @Test
    void channelsOffTheBlockSmallPlanesOrALoneConvStayPlanar() {
        // 1x1s on 8x8 planes stay planar; the depthwise between them is then alone.
        Map<String, Integer> small = ops(block(B, 8, 1, false), CompileOptions.defaults());
        assertTrue(!small.containsKey("BlockedConv"), small.toString());
        Map<String, Integer> odd = ops(block(B + 1, 11, 1, false), CompileOptions.defaults());
        assertTrue(!odd.containsKey("BlockedConv"), odd.toString());
        ModelBuilder m = new ModelBuilder("g").opset(13).input("x", 1, B, 12, 12);
        m.initializer("w", random(new Random(4), B * B), B, B, 1, 1);
        m.node("Conv").inputs("x", "w").outputs("y");
        m.output("y", 1, B, 12, 12);
        Map<String, Integer> lone = ops(m.build(), CompileOptions.defaults());
        assertEquals(Map.of("Conv", 1), lone);
    }

    @Test
    void aChainOfOneByOnesWithoutADepthwiseStaysPlanar() {
        // Two 1x1 Convs in a row would qualify one by one; without a depthwise Conv the chain
        // would only add its two reorders.
        ModelBuilder m = new ModelBuilder("g").opset(13).input("x", 1, B, 12, 12);
        m.initializer("w1", random(new Random(5), 2 * B * B), 2 * B, B, 1, 1);
        m.initializer("w2", random(new Random(6), 2 * B * 2 * B), 2 * B, 2 * B, 1, 1);
        m.node("Conv").inputs("x", "w1").outputs("h");
        m.node("Conv").inputs("h", "w2").outputs("y");
        m.output("y", 1, 2 * B, 12, 12);
        Map<String, Integer> after = ops(m.build(), CompileOptions.defaults());
        assertEquals(Map.of("Conv", 2), after);
    }

    @Test
    void squeezeAndExciteStaysInTheChain() {
        int c = 2 * B;
        int hw = 12;
        Random r = new Random(6);
        ModelBuilder m = new ModelBuilder("g").opset(13).input("x", "N", c, hw, hw);
        m.initializer("w1", random(r, c * 9), c, 1, 3, 3);
        m.initializer("ws1", random(r, B * c), B, c, 1, 1);
        m.initializer("ws2", random(r, c * B), c, B, 1, 1);
        m.initializer("w2", random(r, c * c), c, c, 1, 1);
        m.node("Conv").inputs("x", "w1").outputs("d").ints("pads", 1, 1, 1, 1)
                .attr("group", (long) c);
        m.node("GlobalAveragePool").inputs("d").outputs("g");
        m.node("Conv").inputs("g", "ws1").outputs("s1");
        m.node("Relu").inputs("s1").outputs("s1r");
        m.node("Conv").inputs("s1r", "ws2").outputs("s2");
        m.node("HardSigmoid").inputs("s2").outputs("gate").attr("alpha", 1f / 6f)
                .attr("beta", 0.5f);
        m.node("Mul").inputs("gate", "d").outputs("e");
        m.node("Conv").inputs("e", "w2").outputs("y");
        m.output("y", "N", c, hw, hw);
        ModelProto model = m.build();
        Map<String, Integer> after = ops(model, CompileOptions.defaults());
        assertEquals(2, after.getOrDefault("BlockedConv", 0), after.toString());
        assertEquals(1, after.getOrDefault("BlockedGlobalAveragePool", 0), after.toString());
        assertEquals(1, after.getOrDefault("BlockedChannelScale", 0), after.toString());
        assertEquals(1, after.getOrDefault("FromChannelBlocks", 0), after.toString());
        assertSameOutputs(model, Tensor.of(random(new Random(8), 2 * c * hw * hw), 2, c, hw,
                hw));
    }

    @Test
    void mobilenetV2MatchesWithThePassOffAndRunsInBlocks() throws Exception {
        Path dir = SharedData.shared().resolve("models").resolve("mobilenet_v2");
        if (!Files.isDirectory(dir)) {
            SharedData.require(dir, "channel-blocks model test");
            Assumptions.abort("no " + dir);
        }
        ModelProto m = ModelReader.read(dir.resolve("model.onnx"));
        Map<String, Integer> after = ops(m, CompileOptions.defaults());
        // With 8-channel blocks every Conv from the first block to the 14x14 planes runs in
        // blocks (40: not the stem, whose 32 outputs are four blocks, nor the 1x1s on 7x7
        // planes), between two reorders; 16-channel blocks (AVX-512) fold the stem in and leave
        // out the 24-channel layers.
        int blocked = after.getOrDefault("BlockedConv", 0);
        assertTrue(B == 8 ? blocked == 40 : blocked > 0, after.toString());
        if (B == 8) {
            assertEquals(1, after.getOrDefault("ToChannelBlocks", 0), after.toString());
            assertEquals(1, after.getOrDefault("FromChannelBlocks", 0), after.toString());
        }
        Tensor x = Tensor.from(TensorProtos.read(dir.resolve("test_data_set_1/input_0.pb")));
        assertSameOutputs(m, x);
    }
}
