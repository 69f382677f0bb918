package dev.lanes.compiler.inspect;

import dev.lanes.compiler.ir.Dim;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ops.FusedOps;
import dev.lanes.compiler.ir.TensorType;
import dev.lanes.compiler.ir.Value;
import java.util.List;
import java.util.Set;

/**
 * Counts the multiply-accumulates of the operators that dominate a CNN's work: Conv,
 * ConvTranspose, Gemm and MatMul. Counts follow from the static shapes of a node's inputs and
 * outputs; a node whose shapes are not known gives {@link #UNKNOWN}.
 */
public final class MacCounter {
    /** What {@link #macs(Node)} returns when the shapes it needs are not known. */
    public static final long UNKNOWN = -1;

    /** The op types whose multiply-accumulates are counted. */
    public static final Set<String> COUNTED_OPS = Set.of("Conv", "FusedConv", "BlockedConv", "ConvTranspose", "Gemm", "FusedGemm",
            "MatMul");

    private MacCounter() {
    }

    /** True when {@code node} is one of {@link #COUNTED_OPS} in the default domain. */
    public static boolean counts(Node node) {
        return (node.domain().isEmpty() || node.domain().equals(FusedOps.DOMAIN))
                && COUNTED_OPS.contains(node.opType());
    }

    /** The node's multiply-accumulates, or {@link #UNKNOWN}. */
    public static long macs(Node node) {
        if (!counts(node)) {
            return UNKNOWN;
        }
        return switch (node.opType()) {
            // Each output element sums over (input channels / group) x kernel window: the product
            // of the weight's dimensions after the first.
            case "Conv", "FusedConv", "BlockedConv" -> times(convOutputs(node),
                    tail(dims(node.input(1))));
            // Each input element is scattered over (output channels / group) x kernel window.
            case "ConvTranspose" -> times(product(dims(node.input(0))), tail(dims(node.input(1))));
            case "Gemm", "FusedGemm" -> gemm(node);
            case "MatMul" -> matMul(node);
            default -> UNKNOWN;
        };
    }

    /** A convolution's own output elements (a part of the output when it fills a Concat's). */
    private static long convOutputs(Node n) {
        long all = product(dims(n.output(0)));
        long[] w = dims(n.input(1));
        long into = n.getInt(FusedOps.INTO_CHANNELS, -1);
        if (into < 1 || all == UNKNOWN || w == null || w.length == 0) {
            return all;
        }
        return all / into * w[0];
    }

    private static long gemm(Node n) {
        long[] a = dims(n.input(0));
        long[] b = dims(n.input(1));
        if (a == null || b == null || a.length != 2 || b.length != 2) {
            return UNKNOWN;
        }
        boolean transA = n.getInt("transA", 0) != 0;
        boolean transB = n.getInt("transB", 0) != 0;
        long m = transA ? a[1] : a[0];
        long k = transA ? a[0] : a[1];
        long cols = transB ? b[0] : b[1];
        return m * k * cols;
    }

    private static long matMul(Node n) {
        long[] a = dims(n.input(0));
        long[] out = dims(n.output(0));
        if (a == null || a.length == 0 || out == null) {
            return UNKNOWN;
        }
        return product(out) * a[a.length - 1];
    }

    private static long times(long a, long b) {
        return a == UNKNOWN || b == UNKNOWN ? UNKNOWN : a * b;
    }

    /** The static dimensions of a value, or null when any is unknown. */
    private static long[] dims(Value v) {
        if (v == null) {
            return null;
        }
        TensorType t = v.type();
        if (!t.isStatic()) {
            return null;
        }
        List<Dim> d = t.dims();
        long[] out = new long[d.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = d.get(i).value();
        }
        return out;
    }

    /** The product of all dimensions; {@link #UNKNOWN} propagates. */
    private static long product(long[] dims) {
        if (dims == null) {
            return UNKNOWN;
        }
        long p = 1;
        for (long d : dims) {
            p *= d;
        }
        return p;
    }

    /** The product of the dimensions after the first (a weight's per-output-channel size). */
    private static long tail(long[] dims) {
        if (dims == null || dims.length < 1) {
            return UNKNOWN;
        }
        long p = 1;
        for (int i = 1; i < dims.length; i++) {
            p *= dims[i];
        }
        return p;
    }
}
