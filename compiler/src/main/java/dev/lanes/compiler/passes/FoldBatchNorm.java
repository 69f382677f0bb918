package dev.lanes.compiler.passes;

import dev.lanes.compiler.ir.Graph;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.Value;
import dev.lanes.compiler.ops.OpRegistry;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Tensor;
import java.util.Iterator;
import java.util.Map;

/**
 * Folds an inference-mode BatchNormalization into the weights and bias of the Conv,
 * ConvTranspose or Gemm that feeds it: with {@code s = gamma / sqrt(var + eps)}, output channel
 * {@code c} gets {@code W'[c] = W[c] * s[c]} and {@code b'[c] = (b[c] - mean[c]) * s[c] +
 * beta[c]}. The producer must have constant weights, its output must feed only the
 * BatchNormalization, and the normalization's parameters must be constants.
 */
public final class FoldBatchNorm implements Pass {
    @Override
    public String name() {
        return "fold-batchnorm";
    }

    @Override
    public void run(Graph graph, OpRegistry ops) {
        Map<Value, Integer> uses = graph.useCounts();
        Iterator<Node> it = graph.nodes().iterator();
        while (it.hasNext()) {
            Node bn = it.next();
            if (!isFoldableBatchNorm(bn, uses)) {
                continue;
            }
            Node producer = bn.input(0).producer();
            if (producer == null || uses.getOrDefault(bn.input(0), 0) != 1
                    || graph.outputs().contains(bn.input(0))) {
                continue;
            }
            float[][] st = scaleAndShift(bn);
            if (st == null || !fold(graph, producer, st[0], st[1])) {
                continue;
            }
            Value out = bn.output(0);
            producer.outputs().set(0, out);
            out.setProducer(producer);
            out.setType(bn.input(0).type());
            it.remove();
        }
    }

    private static boolean isFoldableBatchNorm(Node n, Map<Value, Integer> uses) {
        if (!n.opType().equals("BatchNormalization") || !n.domain().isEmpty()
                || n.inputCount() < 5 || n.input(0) == null) {
            return false;
        }
        for (int i = 1; i < 5; i++) {
            Value v = n.input(i);
            if (v == null || !v.isConstant() || v.constant().dtype() != DType.FLOAT) {
                return false;
            }
        }
        if (n.getInt("training_mode", 0) != 0) {
            return false;
        }
        for (int i = 1; i < n.outputs().size(); i++) {
            if (uses.getOrDefault(n.output(i), 0) > 0) {
                return false;
            }
        }
        return true;
    }

    /** {scale, shift} per channel, or null when the parameter sizes disagree. */
    private static float[][] scaleAndShift(Node bn) {
        float[] gamma = bn.input(1).constant().floats();
        float[] beta = bn.input(2).constant().floats();
        float[] mean = bn.input(3).constant().floats();
        float[] var = bn.input(4).constant().floats();
        int c = gamma.length;
        if (beta.length != c || mean.length != c || var.length != c) {
            return null;
        }
        double eps = bn.getFloat("epsilon", 1e-5f);
        float[] scale = new float[c];
        float[] shift = new float[c];
        for (int i = 0; i < c; i++) {
            double s = gamma[i] / Math.sqrt(var[i] + eps);
            scale[i] = (float) s;
            shift[i] = (float) (beta[i] - mean[i] * s);
        }
        return new float[][] {scale, shift};
    }

    /** Rewrites the producer's weights and bias; false when it is not a foldable form. */
    private static boolean fold(Graph g, Node p, float[] scale, float[] shift) {
        if (!p.domain().isEmpty()) {
            return false;
        }
        return switch (p.opType()) {
            case "Conv" -> foldConv(g, p, scale, shift, false);
            case "ConvTranspose" -> foldConv(g, p, scale, shift, true);
            case "Gemm" -> foldGemm(g, p, scale, shift);
            default -> false;
        };
    }

    private static boolean foldConv(Graph g, Node p, float[] scale, float[] shift,
            boolean transposed) {
        Value w = p.input(1);
        if (w == null || !w.isConstant() || w.constant().dtype() != DType.FLOAT
                || w.constant().rank() < 3) {
            return false;
        }
        Tensor wt = w.constant();
        int groups = (int) p.getInt("group", 1);
        int outChannels = transposed ? wt.dim(1) * groups : wt.dim(0);
        if (outChannels != scale.length || groups < 1 || (transposed && wt.dim(0) % groups != 0)) {
            return false;
        }
        float[] bias = biasOf(p, 2, outChannels);
        if (bias == null) {
            return false;
        }
        float[] src = wt.floats();
        float[] dst = new float[src.length];
        int inner = src.length / (transposed ? wt.dim(0) * wt.dim(1) : wt.dim(0));
        if (!transposed) {
            for (int o = 0; o < outChannels; o++) {
                for (int i = 0; i < inner; i++) {
                    dst[o * inner + i] = src[o * inner + i] * scale[o];
                }
            }
        } else {
            // W is [C_in, C_out / groups, k...]; input channel ci belongs to group ci / (C_in / g).
            int inPerGroup = wt.dim(0) / groups;
            int outPerGroup = wt.dim(1);
            for (int ci = 0; ci < wt.dim(0); ci++) {
                int group = ci / inPerGroup;
                for (int oc = 0; oc < outPerGroup; oc++) {
                    float s = scale[group * outPerGroup + oc];
                    int base = (ci * outPerGroup + oc) * inner;
                    for (int i = 0; i < inner; i++) {
                        dst[base + i] = src[base + i] * s;
                    }
                }
            }
        }
        setConstantInput(g, p, 1, Tensor.of(dst, wt.shape()), "_bnfolded");
        setConstantInput(g, p, 2, Tensor.of(foldBias(bias, scale, shift), outChannels),
                "_bnfolded_bias");
        return true;
    }

    private static boolean foldGemm(Graph g, Node p, float[] scale, float[] shift) {
        Value w = p.input(1);
        if (w == null || !w.isConstant() || w.constant().dtype() != DType.FLOAT
                || w.constant().rank() != 2 || p.getFloat("alpha", 1f) != 1f
                || p.getFloat("beta", 1f) != 1f) {
            return false;
        }
        Tensor wt = w.constant();
        boolean transB = p.getInt("transB", 0) != 0;
        int n = transB ? wt.dim(0) : wt.dim(1);
        int k = transB ? wt.dim(1) : wt.dim(0);
        if (n != scale.length) {
            return false;
        }
        float[] bias = biasOf(p, 2, n);
        if (bias == null) {
            return false;
        }
        float[] src = wt.floats();
        float[] dst = new float[src.length];
        for (int kk = 0; kk < k; kk++) {
            for (int j = 0; j < n; j++) {
                int idx = transB ? j * k + kk : kk * n + j;
                dst[idx] = src[idx] * scale[j];
            }
        }
        setConstantInput(g, p, 1, Tensor.of(dst, wt.shape()), "_bnfolded");
        setConstantInput(g, p, 2, Tensor.of(foldBias(bias, scale, shift), n), "_bnfolded_bias");
        return true;
    }

    /** The producer's per-channel bias (zeros when absent), or null when not foldable. */
    private static float[] biasOf(Node p, int index, int channels) {
        Value b = p.input(index);
        if (b == null) {
            return new float[channels];
        }
        if (!b.isConstant() || b.constant().dtype() != DType.FLOAT) {
            return null;
        }
        Tensor t = b.constant();
        if (t.size() == channels && (t.rank() == 1 || t.rank() == 2 && t.dim(0) == 1)) {
            return t.floats();
        }
        return null;
    }

    private static float[] foldBias(float[] bias, float[] scale, float[] shift) {
        float[] out = new float[bias.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = bias[i] * scale[i] + shift[i];
        }
        return out;
    }

    private static void setConstantInput(Graph g, Node p, int index, Tensor t, String suffix) {
        String base = p.input(Math.min(index, p.inputCount() - 1)) == null ? p.name()
                : p.input(1).name();
        Value v = g.freshValue(base + suffix);
        v.setConstant(t);
        while (p.inputCount() <= index) {
            p.inputs().add(null);
        }
        p.inputs().set(index, v);
    }
}
