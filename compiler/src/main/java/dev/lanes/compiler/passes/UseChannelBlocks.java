package dev.lanes.compiler.passes;

import dev.lanes.compiler.ir.Attribute;
import dev.lanes.compiler.ir.Dim;
import dev.lanes.compiler.ir.Graph;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.TensorType;
import dev.lanes.compiler.ir.Value;
import dev.lanes.compiler.ops.FusedOps;
import dev.lanes.compiler.ops.OpRegistry;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.conv.BlockedDirectConv;
import dev.lanes.runtime.kernels.conv.ChannelBlocksReorder;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs chains of depthwise and 1x1 convolutions (MobileNet's inverted residual blocks) in the
 * channel-block layout (NCHWc, {@link ChannelBlocksReorder}): such Convs become
 * {@code BlockedConv}s, whose kernels put a block of channels in the vector lanes, with no row
 * edges or per-plane costs; a {@code ToChannelBlocks} reorder goes where a chain starts and a
 * {@code FromChannelBlocks} where a value leaves it (another op, a graph output).
 *
 * <p>A Conv joins when its channels are multiples of the block, its weights are constant and it
 * is either depthwise (2-D, one filter per channel) or 1x1, stride 1, unpadded, ungrouped, over
 * planes of at least {@link #MIN_POINTWISE_PIXELS} pixels. Squeeze-and-excite (MobileNetV3,
 * EfficientNet) stays in the chain: a GlobalAveragePool reads the blocks (its one pixel per
 * channel is the same in both layouts), and the Mul that scales the chain's tensor by its
 * result becomes a {@code BlockedChannelScale}. A 2-D MaxPool of a chain's tensor stays in it
 * too ({@code BlockedMaxPool}), so a pooling between two chains (YuNet's backbone) costs no
 * reorders. A stem whose output only a chain reads (a Conv of at most
 * {@link BlockedDirectConv#MAX_CHANNELS} input channels, the image's, and two blocks of
 * output channels) writes blocks itself
 * instead of being reordered. Only chains of two or more such nodes with at
 * least one depthwise Conv are converted: a lone node would pay two reorders for nothing, and
 * the blocked 1x1 kernel is about as fast as the planar GEMM (0.8-1.0x), so a chain of 1x1s
 * only adds its reorders. SqueezeNet's fire modules (a squeeze and an expand 1x1 per chain,
 * three reorders) ran 1.06x slower with them.
 */
public final class UseChannelBlocks implements Pass {
    /**
     * Smallest plane a 1x1 Conv joins with. Measured on one core against the planar GEMM:
     * 0.87x at 16 -> 96 channels 112x112, 0.83-1.0x at 28x28, 0.93-0.99x at 14x14, but
     * 1.2-1.5x at 7x7, where the planar GEMM splits A's rows over one packed B and the
     * 12-pixel strips of 49 pixels overlap by 11.
     */
    static final int MIN_POINTWISE_PIXELS = 100;

    @Override
    public String name() {
        return "channel-blocks";
    }

    @Override
    public void run(Graph graph, OpRegistry ops) {
        int block = ChannelBlocksReorder.BLOCK;
        // Each candidate with the inputs it would read in blocks: a Conv its data and its
        // residual; a squeeze-and-excite Mul the tensor it scales, which a candidate produces.
        Map<Node, int[]> candidates = new LinkedHashMap<>();
        Map<Value, Node> producerOf = new IdentityHashMap<>();
        for (Node n : graph.nodes()) {
            int[] reads = eligible(n, block) ? new int[] {0, 3}
                    : pooledInChain(n, block, producerOf) ? new int[] {0} : scaled(n, producerOf);
            if (reads != null) {
                candidates.put(n, reads);
                producerOf.put(n.output(0), n);
            }
        }
        // Chains: candidates joined through the inputs they read in blocks.
        Map<Node, Node> parent = new IdentityHashMap<>();
        for (Node n : candidates.keySet()) {
            parent.put(n, n);
        }
        for (Map.Entry<Node, int[]> e : candidates.entrySet()) {
            Node n = e.getKey();
            for (int i : e.getValue()) {
                Node p = i < n.inputCount() && n.input(i) != null ? producerOf.get(n.input(i))
                        : null;
                if (p != null) {
                    parent.put(root(parent, p), root(parent, n));
                }
            }
        }
        Map<Node, Integer> size = new IdentityHashMap<>();
        Map<Node, Boolean> depthwise = new IdentityHashMap<>();
        for (Node n : candidates.keySet()) {
            Node r = root(parent, n);
            size.merge(r, 1, Integer::sum);
            if (isDepthwise(n)) {
                depthwise.put(r, true);
            }
        }
        Map<Node, int[]> chosen = new LinkedHashMap<>();
        for (Map.Entry<Node, int[]> e : candidates.entrySet()) {
            Node r = root(parent, e.getKey());
            if (size.get(r) >= 2 && depthwise.containsKey(r)) {
                chosen.put(e.getKey(), e.getValue());
            }
        }
        if (!chosen.isEmpty()) {
            rewrite(graph, chosen, block);
        }
    }

    /**
     * True for a 2-D float MaxPool without Indices whose input a candidate produces: it goes on
     * in blocks instead of ending the chain (and, when blocked convolutions follow, starting
     * another with a reorder of its output). A pool whose input comes from elsewhere stays
     * planar: reordering its smaller output is cheaper than its input.
     */
    private static boolean pooledInChain(Node n, int block, Map<Value, Node> producerOf) {
        if (!n.opType().equals("MaxPool") || !n.domain().isEmpty() || n.inputCount() != 1
                || n.input(0) == null || n.outputs().size() != 1 || !producerOf.containsKey(n.input(0))) {
            return false;
        }
        int[] k = n.getIntArray("kernel_shape", null);
        TensorType x = n.input(0).type();
        return k != null && k.length == 2 && x.hasRank() && x.rank() == 4 && x.dtype().isFloat()
                && known(x, 1) && x.dims().get(1).value() % block == 0 && n.getInt("storage_order", 0) == 0;
    }

    /**
     * For {@code Mul(x, s)} (either order) with x produced by a candidate and s one value per
     * image and channel ([N or 1, C, 1, 1]): x's input index; else null.
     */
    private static int[] scaled(Node n, Map<Value, Node> producerOf) {
        if (!n.opType().equals("Mul") || !n.domain().isEmpty() || n.inputCount() != 2
                || n.opset() < 7 || n.input(0) == null || n.input(1) == null) {
            return null;
        }
        for (int i = 0; i < 2; i++) {
            Value x = n.input(i);
            Value s = n.input(1 - i);
            if (producerOf.containsKey(x) && producerOf.get(s) == null && perChannel(s, x)
                    && x.type().equals(n.output(0).type())) {
                return new int[] {i};
            }
        }
        return null;
    }

    private static boolean perChannel(Value s, Value x) {
        TensorType st = s.type();
        TensorType xt = x.type();
        if (!st.hasRank() || !xt.hasRank() || xt.rank() != 4 || st.rank() != 4 || !known(xt, 1)
                || !known(st, 1) || !known(st, 2) || !known(st, 3)) {
            return false;
        }
        Dim batch = st.dims().get(0);
        boolean batchFits = batch.equals(xt.dims().get(0))
                || (batch.isKnown() && batch.value() == 1);
        return batchFits && st.dims().get(1).value() == xt.dims().get(1).value()
                && st.dims().get(2).value() == 1 && st.dims().get(3).value() == 1;
    }

    private static Node root(Map<Node, Node> parent, Node n) {
        while (parent.get(n) != n) {
            n = parent.get(n);
        }
        return n;
    }

    private static void rewrite(Graph g, Map<Node, int[]> chosen, int block) {
        // Where blocked values are read: each new node and the input indices it reads so.
        Map<Node, int[]> readers = new IdentityHashMap<>();
        Map<Value, Value> blocked = new IdentityHashMap<>();
        for (Node n : chosen.keySet()) {
            Value out = n.output(0);
            Value b = g.freshValue(out.name() + "_blocks");
            b.setType(out.type());
            blocked.put(out, b);
        }
        Map<Value, Node> toBlocks = new IdentityHashMap<>();
        List<Node> added = new ArrayList<>();
        for (Map.Entry<Node, int[]> e : chosen.entrySet()) {
            Node n = e.getKey();
            List<Value> in = new ArrayList<>(n.inputs());
            for (int i : e.getValue()) {
                if (i >= in.size() || in.get(i) == null) {
                    continue;
                }
                Value v = in.get(i);
                Value b = blocked.get(v);
                if (b == null) {
                    Node reorder = toBlocks.computeIfAbsent(v, x -> {
                        Value y = g.freshValue(x.name() + "_blocks");
                        y.setType(x.type());
                        Node r = new Node(x.name() + "/ToChannelBlocks", FusedOps.TO_BLOCKS,
                                FusedOps.DOMAIN, n.opset(), List.of(x), List.of(y), Map.of());
                        y.setProducer(r);
                        added.add(r);
                        return r;
                    });
                    b = reorder.output(0);
                }
                in.set(i, b);
            }
            Value out = blocked.get(n.output(0));
            Node replaced;
            if (n.opType().equals("MaxPool")) {
                replaced = new Node(n.name(), FusedOps.BLOCKED_MAX_POOL, FusedOps.DOMAIN, n.opset(),
                        List.of(in.get(0)), List.of(out), n.attributes());
                readers.put(replaced, new int[] {0});
            } else if (n.opType().equals("Mul")) {
                int x = e.getValue()[0];
                replaced = new Node(n.name(), FusedOps.BLOCKED_SCALE, FusedOps.DOMAIN,
                        n.opset(), List.of(in.get(x), in.get(1 - x)), List.of(out), Map.of());
                readers.put(replaced, new int[] {0});
            } else {
                Map<String, Attribute> attrs = new LinkedHashMap<>(n.attributes());
                attrs.put(FusedOps.BLOCK, new Attribute(FusedOps.BLOCK, "INT", (long) block));
                replaced = new Node(n.name(), FusedOps.BLOCKED_CONV, FusedOps.DOMAIN, n.opset(),
                        in, List.of(out), attrs);
                readers.put(replaced, e.getValue());
            }
            out.setProducer(replaced);
            g.nodes().set(g.nodes().indexOf(n), replaced);
        }
        // A GlobalAveragePool of a blocked value reads it in blocks; its output is the same.
        for (int i = 0; i < g.nodes().size(); i++) {
            Node n = g.nodes().get(i);
            Value b = n.inputCount() == 1 ? blocked.get(n.input(0)) : null;
            if (b != null && n.opType().equals("GlobalAveragePool") && n.domain().isEmpty()) {
                Node pool = new Node(n.name(), FusedOps.BLOCKED_GLOBAL_AVERAGE_POOL,
                        FusedOps.DOMAIN, n.opset(), List.of(b), n.outputs(), Map.of());
                n.output(0).setProducer(pool);
                g.nodes().set(i, pool);
                readers.put(pool, new int[] {0});
            }
        }
        // A chosen node's planar output is still needed where something else reads it.
        for (Node n : chosen.keySet()) {
            Value out = n.output(0);
            if (needsPlanes(g, out, readers)) {
                Node back = new Node(n.name() + "/FromChannelBlocks", FusedOps.FROM_BLOCKS,
                        FusedOps.DOMAIN, n.opset(), List.of(blocked.get(out)), List.of(out),
                        Map.of());
                out.setProducer(back);
                added.add(back);
            } else {
                out.setProducer(null);
            }
        }
        g.nodes().addAll(added);
        foldStems(g, block);
        g.sortTopologically();
    }

    /**
     * A ToChannelBlocks of a stem's output (a Conv of few input channels, see
     * {@link BlockedDirectConv}) that nothing else reads goes: the stem becomes a BlockedConv
     * with planar input that writes the blocks itself.
     */
    private static void foldStems(Graph g, int block) {
        for (int i = 0; i < g.nodes().size(); i++) {
            Node r = g.nodes().get(i);
            if (!r.opType().equals(FusedOps.TO_BLOCKS) || !r.domain().equals(FusedOps.DOMAIN)) {
                continue;
            }
            Value v = r.input(0);
            Node p = v.producer();
            if (p == null || !isStem(p, block) || g.outputs().contains(v) || readerCount(g, v) != 1) {
                continue;
            }
            Map<String, Attribute> attrs = new LinkedHashMap<>(p.attributes());
            attrs.put(FusedOps.BLOCK, new Attribute(FusedOps.BLOCK, "INT", (long) block));
            attrs.put(FusedOps.PLANAR_INPUT, new Attribute(FusedOps.PLANAR_INPUT, "INT", 1L));
            Node conv = new Node(p.name(), FusedOps.BLOCKED_CONV, FusedOps.DOMAIN, p.opset(),
                    p.inputs(), List.of(r.output(0)), attrs);
            r.output(0).setProducer(conv);
            v.setProducer(null);
            g.nodes().set(g.nodes().indexOf(p), conv);
            g.nodes().remove(r);
            i = -1;
        }
    }

    private static int readerCount(Graph g, Value v) {
        int count = 0;
        for (Node n : g.nodes()) {
            for (int i = 0; i < n.inputCount(); i++) {
                count += n.input(i) == v ? 1 : 0;
            }
        }
        return count;
    }

    /**
     * True for a one-group 2-D Conv (or FusedConv without residual) of at most two output blocks
     * that BlockedDirectConv computes.
     */
    private static boolean isStem(Node n, int block) {
        boolean conv = (n.opType().equals("Conv") && n.domain().isEmpty())
                || (n.opType().equals(FusedOps.FUSED_CONV) && n.domain().equals(FusedOps.DOMAIN));
        if (!conv || n.inputCount() < 2 || n.input(0) == null || n.input(1) == null || !n.input(1).isConstant()
                || (n.inputCount() > 3 && n.input(3) != null) || n.has(FusedOps.INTO_CHANNELS)
                || n.outputs().size() != 1 || n.getInt("group", 1) != 1) {
            return false;
        }
        Tensor w = n.input(1).constant();
        int[] ws = w.shapeView();
        TensorType x = n.input(0).type();
        // At most one pair of output blocks: the direct kernel reads its input once per pair.
        // Measured on one core: 16 outputs (YuNet's stem) 1.34 ms against the implicit GEMM's
        // 1.79 plus a reorder; 32 (MobileNetV2's) 0.9 ms against 0.8-1.1 plus a 0.33 ms reorder,
        // but 3% slower over the whole model.
        return w.dtype().isFloat() && ws.length == 4 && ws[0] % block == 0 && ws[0] <= 2 * block
                && ws[1] <= BlockedDirectConv.MAX_CHANNELS && x.hasRank() && x.rank() == 4 && x.dtype().isFloat();
    }

    /** True when a graph output or a node other than a reader in blocks uses v. */
    private static boolean needsPlanes(Graph g, Value v, Map<Node, int[]> readers) {
        if (g.outputs().contains(v)) {
            return true;
        }
        for (Node n : g.nodes()) {
            for (int i = 0; i < n.inputCount(); i++) {
                if (n.input(i) == v && !reads(readers.get(n), i)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean reads(int[] indices, int i) {
        if (indices != null) {
            for (int j : indices) {
                if (j == i) {
                    return true;
                }
            }
        }
        return false;
    }

    /** True for a candidate Conv with one filter per channel (the group is the channels). */
    private static boolean isDepthwise(Node n) {
        return !n.opType().equals("Mul") && n.getInt("group", 1) > 1;
    }

    /** True when the node is a Conv the blocked kernels compute. */
    static boolean eligible(Node n, int block) {
        boolean conv = (n.opType().equals("Conv") && n.domain().isEmpty())
                || (n.opType().equals(FusedOps.FUSED_CONV) && n.domain().equals(FusedOps.DOMAIN));
        if (!conv || n.inputCount() < 2 || n.input(0) == null || n.input(1) == null
                || !n.input(1).isConstant() || n.outputs().size() != 1) {
            return false;
        }
        Tensor w = n.input(1).constant();
        int[] ws = w.shapeView();
        TensorType x = n.input(0).type();
        TensorType y = n.output(0).type();
        if (!w.dtype().isFloat() || ws.length != 4 || !x.hasRank() || x.rank() != 4
                || !y.hasRank() || y.rank() != 4 || !known(x, 1) || !known(y, 1)) {
            return false;
        }
        String autoPad = n.getString("auto_pad", "NOTSET");
        int[] pads = n.getIntArray("pads", null);
        if (pads != null) {
            for (int p : pads) {
                if (p < 0) {
                    return false;
                }
            }
        }
        long c = x.dims().get(1).value();
        long m = y.dims().get(1).value();
        long group = n.getInt("group", 1);
        if (c % block != 0 || m % block != 0 || ws[0] != m) {
            return false;
        }
        if (group == c && m == c && ws[1] == 1) {
            return true;
        }
        if (group != 1 || ws[1] != c || ws[2] != 1 || ws[3] != 1 || !autoPad.equals("NOTSET")
                || !allEqual(n.getIntArray("strides", null), 1)
                || !allEqual(pads, 0) || !known(x, 2) || !known(x, 3)) {
            return false;
        }
        return x.dims().get(2).value() * x.dims().get(3).value() >= MIN_POINTWISE_PIXELS;
    }

    private static boolean known(TensorType t, int axis) {
        Dim d = t.dims().get(axis);
        return d.isKnown() && d.value() > 0;
    }

    private static boolean allEqual(int[] v, int value) {
        if (v != null) {
            for (int x : v) {
                if (x != value) {
                    return false;
                }
            }
        }
        return true;
    }
}
