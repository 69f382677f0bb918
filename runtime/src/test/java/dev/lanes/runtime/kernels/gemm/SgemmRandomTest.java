package dev.lanes.runtime.kernels.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanes.runtime.RunContext;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast path against {@link Sgemm#reference} over random shapes, epilogues and threads. */
class SgemmRandomTest {
    private static final int[] EDGE = {1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 48, 49, 63, 64,
        65, 95, 96, 97, 191, 192, 193};

    static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return v;
    }

    private static int size(Random r, int max) {
        return r.nextInt(3) == 0 ? 1 + r.nextInt(max) : EDGE[r.nextInt(EDGE.length)];
    }

    private static Activation activation(Random r) {
        Activation.Kind kind = Activation.Kind.values()[r.nextInt(Activation.Kind.values().length)];
        return switch (kind) {
            case CLIP -> new Activation(kind, -0.3f, 0.7f);
            case LEAKY_RELU -> new Activation(kind, 0.1f, 0f);
            case HARD_SIGMOID -> new Activation(kind, 0.2f, 0.5f);
            default -> Activation.of(kind);
        };
    }

    private static void check(Random r, int m, int n, int k, int threads, boolean offsets) {
        float[] a = random(r, m * k);
        float[] b = random(r, k * n);
        boolean scaled = r.nextBoolean();
        boolean shifted = r.nextBoolean();
        boolean withResidual = r.nextBoolean();
        Epilogue ep = new Epilogue(scaled ? random(r, m) : null, shifted ? random(r, m) : null,
                activation(r));
        float[] res = withResidual ? random(r, m * n) : null;
        float[] want = new float[m * n];
        Sgemm.reference(a, m, k, b, n, want, ep, res);
        // C and R inside larger arrays with their own row strides, so offsets and ld matter.
        int pad = offsets ? 3 : 0;
        int ldc = n + pad;
        int ldr = n + 2 * pad;
        float[] got = new float[pad + m * ldc];
        float[] resWide = null;
        if (res != null) {
            resWide = new float[pad + m * ldr];
            for (int i = 0; i < m; i++) {
                System.arraycopy(res, i * n, resWide, pad + i * ldr, n);
            }
        }
        boolean transposedB = r.nextBoolean();
        BSource bs;
        if (transposedB) {
            float[] bt = new float[1 + k * n];
            for (int kk = 0; kk < k; kk++) {
                for (int j = 0; j < n; j++) {
                    bt[1 + j * k + kk] = b[kk * n + j];
                }
            }
            bs = new RowMajorB(bt, 1, k, k, n, true);
        } else if (offsets) {
            // B inside a larger array too, rows apart by more than n: the tiles read a
            // row-major B in place for few rows of A.
            int ldb = n + 5;
            float[] wide = new float[2 + k * ldb];
            for (int kk = 0; kk < k; kk++) {
                System.arraycopy(b, kk * n, wide, 2 + kk * ldb, n);
            }
            bs = new RowMajorB(wide, 2, ldb, k, n, false);
        } else {
            bs = new RowMajorB(b, 0, n, k, n, false);
        }
        Sgemm.multiply(PackedA.pack(a, 0, k, m, k, false), bs, got, pad, ldc, ep, resWide, pad,
                ldr, new RunContext(threads));
        String what = m + "x" + n + "x" + k + " threads " + threads + " " + ep.activation()
                + (transposedB ? " B^T" : "") + (res != null ? " residual" : "");
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float w = want[i * n + j];
                // float32 sums of k products in another order; vector exp/erf within 1e-5 rel.
                double tol = 2e-6 * Math.sqrt(k + 1) * 4 + 1e-5 * Math.abs(w);
                assertEquals(w, got[pad + i * ldc + j], tol, what + " at " + i + "," + j);
            }
        }
    }

    @Test
    void randomShapesMatchReference() {
        Random r = new Random(42);
        for (int trial = 0; trial < 150; trial++) {
            int m = size(r, 100);
            int n = size(r, 200);
            int k = trial % 10 == 0 ? 385 + r.nextInt(300) : size(r, 200);
            check(r, m, n, k, 1 + r.nextInt(2), r.nextBoolean());
        }
    }

    @Test
    void largeAndConvShapedMatchReference() {
        Random r = new Random(7);
        int[][] shapes = {{64, 196, 576}, {130, 49, 700}, {16, 700, 65}, {700, 3, 40},
            {9, 1, 700}, {1000, 1, 33}, {3, 2, 1}, {24, 97, 193}};
        for (int[] s : shapes) {
            for (int threads = 1; threads <= 2; threads++) {
                check(r, s[0], s[1], s[2], threads, threads == 2);
            }
        }
    }

    @Test
    void vectorActivationsMatchScalarDefinition() {
        Random r = new Random(3);
        var species = Sgemm.SPECIES;
        float[] x = new float[species.length()];
        float[] y = new float[species.length()];
        for (Activation.Kind kind : Activation.Kind.values()) {
            Activation act = new Activation(kind, kind == Activation.Kind.CLIP ? -1f : 0.2f,
                    kind == Activation.Kind.CLIP ? 2f : 0.5f);
            for (int rep = 0; rep < 200; rep++) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = (r.nextFloat() * 2 - 1) * (rep < 100 ? 8 : 40);
                }
                act.apply(jdk.incubator.vector.FloatVector.fromArray(species, x, 0))
                        .intoArray(y, 0);
                for (int i = 0; i < x.length; i++) {
                    float want = act.apply(x[i]);
                    boolean exact = switch (kind) {
                        case SIGMOID, SILU, GELU, TANH -> false;
                        default -> true;
                    };
                    // exp/tanh of the Vector API and the erf polynomial: 1e-6 abs + 1e-5 rel.
                    double tol = exact ? 0 : 1e-6 + 1e-5 * Math.abs(want);
                    assertEquals(want, y[i], tol, kind + " at " + x[i]);
                }
            }
        }
    }
}
