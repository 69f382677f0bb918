package dev.lanes.runtime.kernels.spatial;

import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;

/**
 * Conv as the plain loop nest of its definition: the scalar reference twin that
 * {@code dev.lanes.runtime.kernels.conv.GemmConv} is tested against. Inputs: X [N, C, spatial...], W [M, C/group, k...],
 * optional B [M].
 */
public final class ConvReference implements Kernel {
    private final ConvAttributes attrs;

    /** A reference convolution with the given attributes. */
    public ConvReference(ConvAttributes attrs) {
        this.attrs = attrs;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putRecord("attrs", attrs, ConvAttributes::writeTo);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static ConvReference readParams(ParamReader in) {
        return new ConvReference(in.requireRecord("attrs", ConvAttributes::readFrom));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        Tensor w = in[1];
        Window win = attrs.convWindow(x, w);
        int n = x.dim(0);
        int c = x.dim(1);
        int m = w.dim(0);
        int g = attrs.group();
        int cg = c / g;
        int mg = m / g;
        float[] bias = ConvAttributes.bias(in.length > 2 ? in[2] : null, m);
        Tensor out = Tensor.zeros(x.dtype(), ConvAttributes.outShape(n, m, win));
        float[] xs = x.floats();
        float[] ws = w.floats();
        float[] ys = out.floats();
        int[] is = win.in;
        int[] k = win.k;
        int[] os = win.out;
        int inSize = win.inSize();
        int ksize = win.kernelSize();
        int y = 0;
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < m; oc++) {
                int grp = oc / mg;
                for (int od = 0; od < os[0]; od++) {
                    for (int oh = 0; oh < os[1]; oh++) {
                        for (int ow = 0; ow < os[2]; ow++) {
                            double acc = bias == null ? 0 : bias[oc];
                            for (int icg = 0; icg < cg; icg++) {
                                int ic = grp * cg + icg;
                                int xBase = (b * c + ic) * inSize;
                                int wBase = (oc * cg + icg) * ksize;
                                for (int kd = 0; kd < k[0]; kd++) {
                                    int id = od * win.s[0] - win.padBegin[0] + kd * win.d[0];
                                    if (id < 0 || id >= is[0]) {
                                        continue;
                                    }
                                    for (int kh = 0; kh < k[1]; kh++) {
                                        int ih = oh * win.s[1] - win.padBegin[1] + kh * win.d[1];
                                        if (ih < 0 || ih >= is[1]) {
                                            continue;
                                        }
                                        for (int kw = 0; kw < k[2]; kw++) {
                                            int iw = ow * win.s[2] - win.padBegin[2]
                                                    + kw * win.d[2];
                                            if (iw < 0 || iw >= is[2]) {
                                                continue;
                                            }
                                            acc += xs[xBase + (id * is[1] + ih) * is[2] + iw]
                                                    * ws[wBase + (kd * k[1] + kh) * k[2] + kw];
                                        }
                                    }
                                }
                            }
                            ys[y++] = (float) acc;
                        }
                    }
                }
            }
        }
        return new Tensor[] {out};
    }
}
