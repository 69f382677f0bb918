package dev.lanes.training.export;

import dev.lanes.formats.ModelBuilder;
import dev.lanes.formats.onnx.Onnx.ModelProto;
import dev.lanes.training.AvgPool2d;
import dev.lanes.training.BatchNorm2d;
import dev.lanes.training.Conv2d;
import dev.lanes.training.Dropout;
import dev.lanes.training.Flatten;
import dev.lanes.training.GlobalAvgPool;
import dev.lanes.training.Layer;
import dev.lanes.training.Linear;
import dev.lanes.training.MaxPool2d;
import dev.lanes.training.Parameter;
import dev.lanes.training.PoolSpec;
import dev.lanes.training.ReLU;
import dev.lanes.training.Residual;
import dev.lanes.training.Sequential;
import dev.lanes.training.Tensor;

/**
 * The inference graph of a trained model as ONNX (opset 13): each layer one node, in
 * evaluation form. BatchNormalization stays a node with its running statistics, for the
 * compiler to fold; Dropout is left out (the identity at inference); a residual block is an Add
 * of its branches. The input {@code input} is [N, C, H, W] with a free batch axis N; the output
 * is {@code logits}.
 */
public final class OnnxExport {
    private final ModelBuilder m;
    private int counter;

    private OnnxExport(String name) {
        this.m = new ModelBuilder(name).opset(13).producer("lanes-training");
    }

    /**
     * Exports {@code model} for inputs of {@code channels} x {@code height} x {@code width}
     * images and {@code classes} outputs.
     */
    public static ModelProto export(Sequential model, int channels, int height, int width,
            int classes) {
        OnnxExport e = new OnnxExport(model.name());
        e.m.input("input", "N", channels, height, width);
        String out = e.layer(model, "input");
        e.m.node("Identity").name("logits").inputs(out).outputs("logits");
        e.m.output("logits", "N", classes);
        return e.m.build();
    }

    private String fresh(String hint) {
        return hint + "_" + counter++;
    }

    /** Emits the nodes of {@code layer} reading {@code in}; returns the value it writes. */
    private String layer(Layer layer, String in) {
        if (layer instanceof Sequential s) {
            String v = in;
            for (Layer l : s.layers()) {
                v = layer(l, v);
            }
            return v;
        }
        if (layer instanceof Conv2d c) {
            return conv(c, in);
        }
        if (layer instanceof BatchNorm2d bn) {
            return batchNorm(bn, in);
        }
        if (layer instanceof ReLU r) {
            return simple("Relu", r.name(), in);
        }
        if (layer instanceof MaxPool2d p) {
            return pool("MaxPool", p.name(), p.spec(), in);
        }
        if (layer instanceof AvgPool2d p) {
            // Padded places are not counted, as the training layer does (ONNX's default).
            return pool("AveragePool", p.name(), p.spec(), in);
        }
        if (layer instanceof GlobalAvgPool g) {
            return simple("GlobalAveragePool", g.name(), in);
        }
        if (layer instanceof Flatten f) {
            String out = fresh(f.name());
            m.node("Flatten").name(f.name()).inputs(in).outputs(out).attr("axis", 1L);
            return out;
        }
        if (layer instanceof Linear l) {
            return linear(l, in);
        }
        if (layer instanceof Dropout) {
            return in;
        }
        if (layer instanceof Residual r) {
            String a = layer(r.main(), in);
            String b = r.shortcut() == null ? in : layer(r.shortcut(), in);
            String out = fresh(r.name());
            m.node("Add").name(r.name()).inputs(a, b).outputs(out);
            return out;
        }
        throw new IllegalArgumentException("layer '" + layer.name() + "' ("
                + layer.getClass().getSimpleName() + ") has no ONNX form");
    }

    private String simple(String op, String name, String in) {
        String out = fresh(name);
        m.node(op).name(name).inputs(in).outputs(out);
        return out;
    }

    private String initializer(Parameter p) {
        Tensor v = p.value();
        long[] dims = new long[v.rank()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = v.dim(i);
        }
        m.initializer(p.name(), v.data().clone(), dims);
        return p.name();
    }

    private String conv(Conv2d c, String in) {
        String w = initializer(c.weight());
        String[] inputs = c.bias() == null ? new String[] {in, w}
                : new String[] {in, w, initializer(c.bias())};
        String out = fresh(c.name());
        int k = c.weight().value().dim(2);
        int pad = c.spec().pad();
        m.node("Conv").name(c.name()).inputs(inputs).outputs(out)
                .ints("kernel_shape", k, c.weight().value().dim(3))
                .ints("strides", c.spec().stride(), c.spec().stride())
                .ints("pads", pad, pad, pad, pad)
                .attr("group", (long) c.spec().groups());
        return out;
    }

    private String batchNorm(BatchNorm2d bn, String in) {
        String scale = initializer(bn.gamma());
        String bias = initializer(bn.beta());
        String mean = bn.name() + ".running_mean";
        String var = bn.name() + ".running_var";
        m.initializer(mean, bn.runningMean().clone(), bn.runningMean().length);
        m.initializer(var, bn.runningVar().clone(), bn.runningVar().length);
        String out = fresh(bn.name());
        m.node("BatchNormalization").name(bn.name()).inputs(in, scale, bias, mean, var)
                .outputs(out).attr("epsilon", (float) bn.epsilon());
        return out;
    }

    private String pool(String op, String name, PoolSpec s, String in) {
        String out = fresh(name);
        m.node(op).name(name).inputs(in).outputs(out).ints("kernel_shape", s.kernel(), s.kernel())
                .ints("strides", s.stride(), s.stride())
                .ints("pads", s.pad(), s.pad(), s.pad(), s.pad());
        return out;
    }

    private String linear(Linear l, String in) {
        String w = initializer(l.weight());
        String b = initializer(l.bias());
        String out = fresh(l.name());
        // The weight is [out, in]: y = x W^T + b.
        m.node("Gemm").name(l.name()).inputs(in, w, b).outputs(out).attr("transB", 1L);
        return out;
    }
}
