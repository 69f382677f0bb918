package dev.lanes.cli.demo;

import dev.lanes.formats.TensorData;
import dev.lanes.formats.TensorProtos;
import dev.lanes.formats.onnx.Onnx.ModelProto;
import dev.lanes.formats.onnx.Onnx.TensorProto;
import java.util.HashMap;
import java.util.Map;

/**
 * A direct, loop-by-loop evaluation of {@link DemoModel} for one image, written from the ONNX
 * operator definitions and independent of Lanes' kernels: the expected output of the demo.
 */
final class ReferenceCnn {
    private final Map<String, float[]> w = new HashMap<>();

    ReferenceCnn(ModelProto model) {
        for (TensorProto t : model.getGraph().getInitializerList()) {
            TensorData d = TensorProtos.decode(t);
            w.put(d.name(), d.floats());
        }
    }

    /** The class probabilities of one 28x28 image. */
    float[] run(float[] image) {
        float[] x = conv(image, 1, 28, w.get("conv1.weight"), w.get("conv1.bias"), 8, 1);
        x = batchNorm(x, 8, 28 * 28, "bn1");
        relu(x);
        x = maxPool2(x, 8, 28);
        x = conv(x, 8, 14, w.get("conv2.weight"), w.get("conv2.bias"), 16, 0);
        relu(x);
        float[] pooled = new float[16];
        for (int c = 0; c < 16; c++) {
            double s = 0;
            for (int i = 0; i < 144; i++) {
                s += x[c * 144 + i];
            }
            pooled[c] = (float) (s / 144);
        }
        float[] fcW = w.get("fc.weight");
        float[] logits = new float[10];
        for (int o = 0; o < 10; o++) {
            double s = w.get("fc.bias")[o];
            for (int i = 0; i < 16; i++) {
                s += fcW[o * 16 + i] * pooled[i];
            }
            logits[o] = (float) s;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        float[] p = new float[10];
        for (int o = 0; o < 10; o++) {
            p[o] = (float) Math.exp(logits[o] - max);
            sum += p[o];
        }
        for (int o = 0; o < 10; o++) {
            p[o] /= (float) sum;
        }
        return p;
    }

    /** 3x3 convolution, stride 1, symmetric padding {@code pad}, square images. */
    private static float[] conv(float[] in, int channels, int side, float[] weight, float[] bias,
            int filters, int pad) {
        int outSide = side + 2 * pad - 2;
        float[] out = new float[filters * outSide * outSide];
        for (int f = 0; f < filters; f++) {
            for (int oy = 0; oy < outSide; oy++) {
                for (int ox = 0; ox < outSide; ox++) {
                    double s = bias[f];
                    for (int c = 0; c < channels; c++) {
                        for (int ky = 0; ky < 3; ky++) {
                            for (int kx = 0; kx < 3; kx++) {
                                int iy = oy + ky - pad;
                                int ix = ox + kx - pad;
                                if (iy >= 0 && iy < side && ix >= 0 && ix < side) {
                                    s += in[(c * side + iy) * side + ix]
                                            * weight[((f * channels + c) * 3 + ky) * 3 + kx];
                                }
                            }
                        }
                    }
                    out[(f * outSide + oy) * outSide + ox] = (float) s;
                }
            }
        }
        return out;
    }

    private float[] batchNorm(float[] x, int channels, int plane, String name) {
        float[] out = new float[x.length];
        for (int c = 0; c < channels; c++) {
            double inv = 1 / Math.sqrt(w.get(name + ".var")[c] + 1e-5);
            for (int i = 0; i < plane; i++) {
                int k = c * plane + i;
                out[k] = (float) ((x[k] - w.get(name + ".mean")[c]) * inv
                        * w.get(name + ".scale")[c] + w.get(name + ".bias")[c]);
            }
        }
        return out;
    }

    private static void relu(float[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.max(x[i], 0);
        }
    }

    private static float[] maxPool2(float[] x, int channels, int side) {
        int half = side / 2;
        float[] out = new float[channels * half * half];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < half; y++) {
                for (int xx = 0; xx < half; xx++) {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int dy = 0; dy < 2; dy++) {
                        for (int dx = 0; dx < 2; dx++) {
                            m = Math.max(m, x[(c * side + 2 * y + dy) * side + 2 * xx + dx]);
                        }
                    }
                    out[(c * half + y) * half + xx] = m;
                }
            }
        }
        return out;
    }
}
