package dev.lanes.training;

/**
 * Double-precision reference forward passes, written as plainly as possible (one loop nest per
 * formula) and independent of the layers' code: the finite differences of the gradient checks
 * are taken on these, so float rounding in the layers cannot hide in the check.
 */
final class Ref {
    private Ref() {
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /** Convolution; x [n, c, h, w], w [oc, c / g, kh, kw]; b may be null. */
    static double[] conv(double[] x, int[] xs, double[] w, int[] ws, double[] b, int stride, int pad, int groups) {
        int n = xs[0], c = xs[1], h = xs[2], wd = xs[3];
        int oc = ws[0], cg = ws[1], kh = ws[2], kw = ws[3];
        int oh = (h + 2 * pad - kh) / stride + 1, ow = (wd + 2 * pad - kw) / stride + 1;
        int ocg = oc / groups;
        double[] y = new double[n * oc * oh * ow];
        for (int in = 0; in < n; in++) {
            for (int o = 0; o < oc; o++) {
                int g = o / ocg;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double s = b == null ? 0 : b[o];
                        for (int ci = 0; ci < cg; ci++) {
                            int ch = g * cg + ci;
                            for (int ky = 0; ky < kh; ky++) {
                                for (int kx = 0; kx < kw; kx++) {
                                    int iy = oy * stride - pad + ky, ix = ox * stride - pad + kx;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < wd) {
                                        s += x[((in * c + ch) * h + iy) * wd + ix] * w[((o * cg + ci) * kh + ky) * kw + kx];
                                    }
                                }
                            }
                        }
                        y[((in * oc + o) * oh + oy) * ow + ox] = s;
                    }
                }
            }
        }
        return y;
    }

    /** Batch normalization with the batch's statistics (biased variance); xs is [n, c] or [n, c, h, w]. */
    static double[] batchNormTrain(double[] x, int[] xs, double[] gamma, double[] beta, double eps) {
        int n = xs[0], c = xs[1], s = xs.length == 4 ? xs[2] * xs[3] : 1;
        double[] mean = new double[c], var = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < s; j++) {
                    sum += x[(i * c + ch) * s + j];
                }
            }
            mean[ch] = sum / (n * s);
            double sq = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < s; j++) {
                    double d = x[(i * c + ch) * s + j] - mean[ch];
                    sq += d * d;
                }
            }
            var[ch] = sq / (n * s);
        }
        return batchNormEval(x, xs, mean, var, gamma, beta, eps);
    }

    /** Batch normalization with given statistics. */
    static double[] batchNormEval(double[] x, int[] xs, double[] mean, double[] var, double[] gamma, double[] beta,
                                  double eps) {
        int n = xs[0], c = xs[1], s = xs.length == 4 ? xs[2] * xs[3] : 1;
        double[] y = new double[x.length];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int j = 0; j < s; j++) {
                    int at = (i * c + ch) * s + j;
                    y[at] = gamma[ch] * (x[at] - mean[ch]) / Math.sqrt(var[ch] + eps) + beta[ch];
                }
            }
        }
        return y;
    }

    static double[] relu(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.max(0, x[i]);
        }
        return y;
    }

    static double[] add(double[] a, double[] b) {
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            y[i] = a[i] + b[i];
        }
        return y;
    }

    /** Max (max = true) or average (padded places not counted) pooling. */
    static double[] pool(double[] x, int[] xs, int k, int stride, int pad, boolean max) {
        int n = xs[0], c = xs[1], h = xs[2], w = xs[3];
        int oh = (h + 2 * pad - k) / stride + 1, ow = (w + 2 * pad - k) / stride + 1;
        double[] y = new double[n * c * oh * ow];
        for (int p = 0; p < n * c; p++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    double best = Double.NEGATIVE_INFINITY, sum = 0;
                    int count = 0;
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            int iy = oy * stride - pad + ky, ix = ox * stride - pad + kx;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                double v = x[(p * h + iy) * w + ix];
                                best = Math.max(best, v);
                                sum += v;
                                count++;
                            }
                        }
                    }
                    y[(p * oh + oy) * ow + ox] = max ? best : sum / count;
                }
            }
        }
        return y;
    }

    /** x [n, in] W^T + b with W [out, in]. */
    static double[] linear(double[] x, int n, int in, double[] w, int out, double[] b) {
        double[] y = new double[n * out];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < out; o++) {
                double s = b[o];
                for (int j = 0; j < in; j++) {
                    s += x[i * in + j] * w[o * in + j];
                }
                y[i * out + o] = s;
            }
        }
        return y;
    }

    /** The mean softmax cross-entropy of logits [n, k], as a one-element array. */
    static double[] softmaxCrossEntropy(double[] logits, int n, int k, int[] labels) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, logits[i * k + j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(logits[i * k + j] - max);
            }
            total += max + Math.log(sum) - logits[i * k + labels[i]];
        }
        return new double[] {total / n};
    }
}
