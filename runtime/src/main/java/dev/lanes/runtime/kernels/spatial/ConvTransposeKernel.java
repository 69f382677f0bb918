package dev.lanes.runtime.kernels.spatial;

import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;

/**
 * ConvTranspose as a GEMM of the transposed weights with each image and group
 * ([M/group * kernel size, input size]) followed by col2im, which adds every column cell into the
 * output cell it lands on. Inputs: X [N, C, spatial...], W [C, M/group, k...], optional B [M].
 */
public final class ConvTransposeKernel implements Kernel {
    private final ConvAttributes attrs;

    /** A transposed convolution with the given attributes. */
    public ConvTransposeKernel(ConvAttributes attrs) {
        this.attrs = attrs;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putRecord("attrs", attrs, ConvAttributes::writeTo);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static ConvTransposeKernel readParams(ParamReader in) {
        return new ConvTransposeKernel(in.requireRecord("attrs", ConvAttributes::readFrom));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        Tensor w = in[1];
        Window win = ConvTransposeGeometry.of(attrs, x, w);
        int n = x.dim(0);
        int c = x.dim(1);
        int g = attrs.group();
        int cg = c / g;
        int mg = w.dim(1);
        int m = mg * g;
        float[] bias = ConvAttributes.bias(in.length > 2 ? in[2] : null, m);
        Tensor out = ctx.output(ConvTransposeGeometry.outShape(n, m, win));
        float[] xs = x.floats();
        float[] ws = w.floats();
        float[] ys = out.floats();
        // col2im adds into the output, which in a recycled array holds anything.
        Arrays.fill(ys, 0, out.size(), 0f);
        int inSize = win.outSize();
        int outSize = win.inSize();
        int rows = Tensor.checkedSize(mg, win.kernelSize());
        float[] col = new float[Tensor.checkedSize(rows, inSize)];
        for (int b = 0; b < n; b++) {
            for (int grp = 0; grp < g; grp++) {
                Arrays.fill(col, 0f);
                Gemm.multiplyAddTransposedA(ws, grp * cg * rows, xs, (b * c + grp * cg) * inSize,
                        col, 0, rows, cg, inSize);
                col2im(col, mg, win, ys, (b * m + grp * mg) * outSize);
            }
        }
        if (bias != null) {
            for (int b = 0; b < n; b++) {
                for (int oc = 0; oc < m; oc++) {
                    int off = (b * m + oc) * outSize;
                    float v = bias[oc];
                    for (int i = 0; i < outSize; i++) {
                        ys[off + i] += v;
                    }
                }
            }
        }
        return new Tensor[] {out};
    }

    /** The adjoint of im2col: adds each column cell into its image cell. */
    public static void col2im(float[] col, int channels, Window win, float[] y, int yOff) {
        int[] is = win.in;
        int[] os = win.out;
        int[] k = win.k;
        int imgSize = win.inSize();
        int sw = win.s[2];
        int r = 0;
        for (int ch = 0; ch < channels; ch++) {
            int chOff = yOff + ch * imgSize;
            for (int kd = 0; kd < k[0]; kd++) {
                for (int kh = 0; kh < k[1]; kh++) {
                    for (int kw = 0; kw < k[2]; kw++) {
                        int iw0 = kw * win.d[2] - win.padBegin[2];
                        int lo = iw0 >= 0 ? 0 : Math.min(os[2], (-iw0 + sw - 1) / sw);
                        int hi = is[2] - iw0 <= 0 ? 0
                                : Math.min(os[2], (is[2] - iw0 + sw - 1) / sw);
                        int src = r * win.outSize();
                        for (int od = 0; od < os[0]; od++) {
                            int id = od * win.s[0] - win.padBegin[0] + kd * win.d[0];
                            for (int oh = 0; oh < os[1]; oh++, src += os[2]) {
                                int ih = oh * win.s[1] - win.padBegin[1] + kh * win.d[1];
                                if (id < 0 || id >= is[0] || ih < 0 || ih >= is[1]) {
                                    continue;
                                }
                                int dst = chOff + (id * is[1] + ih) * is[2] + iw0;
                                for (int ow = lo; ow < hi; ow++) {
                                    y[dst + ow * sw] += col[src + ow];
                                }
                            }
                        }
                        r++;
                    }
                }
            }
        }
    }
}
