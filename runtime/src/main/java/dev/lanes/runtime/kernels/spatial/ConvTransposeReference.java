package dev.lanes.runtime.kernels.spatial;

import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;

/**
 * ConvTranspose as the plain scatter of its definition: every input cell times every kernel tap
 * is added into the output cell it lands on. The scalar reference twin of
 * {@link ConvTransposeKernel}.
 */
public final class ConvTransposeReference implements Kernel {
    private final ConvAttributes attrs;

    /** A reference transposed convolution with the given attributes. */
    public ConvTransposeReference(ConvAttributes attrs) {
        this.attrs = attrs;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putRecord("attrs", attrs, ConvAttributes::writeTo);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static ConvTransposeReference readParams(ParamReader in) {
        return new ConvTransposeReference(in.requireRecord("attrs", ConvAttributes::readFrom));
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
        Tensor out = Tensor.zeros(x.dtype(), ConvTransposeGeometry.outShape(n, m, win));
        float[] xs = x.floats();
        float[] ws = w.floats();
        double[] acc = new double[out.size()];
        int[] ys = win.in;
        int[] xsz = win.out;
        int[] k = win.k;
        int xSize = win.outSize();
        int ySize = win.inSize();
        int ksize = win.kernelSize();
        for (int b = 0; b < n; b++) {
            for (int ic = 0; ic < c; ic++) {
                int grp = ic / cg;
                for (int xd = 0; xd < xsz[0]; xd++) {
                    for (int xh = 0; xh < xsz[1]; xh++) {
                        for (int xw = 0; xw < xsz[2]; xw++) {
                            float v = xs[(b * c + ic) * xSize + (xd * xsz[1] + xh) * xsz[2] + xw];
                            for (int ocg = 0; ocg < mg; ocg++) {
                                int oc = grp * mg + ocg;
                                int wBase = (ic * mg + ocg) * ksize;
                                for (int kd = 0; kd < k[0]; kd++) {
                                    int yd = xd * win.s[0] - win.padBegin[0] + kd * win.d[0];
                                    for (int kh = 0; kh < k[1]; kh++) {
                                        int yh = xh * win.s[1] - win.padBegin[1] + kh * win.d[1];
                                        for (int kw = 0; kw < k[2]; kw++) {
                                            int yw = xw * win.s[2] - win.padBegin[2]
                                                    + kw * win.d[2];
                                            if (yd < 0 || yd >= ys[0] || yh < 0 || yh >= ys[1]
                                                    || yw < 0 || yw >= ys[2]) {
                                                continue;
                                            }
                                            acc[(b * m + oc) * ySize + (yd * ys[1] + yh) * ys[2]
                                                    + yw] += v * ws[wBase
                                                            + (kd * k[1] + kh) * k[2] + kw];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        float[] y = out.floats();
        for (int i = 0; i < acc.length; i++) {
            y[i] = (float) (acc[i] + (bias == null ? 0 : bias[(i / ySize) % m]));
        }
        return new Tensor[] {out};
    }
}
