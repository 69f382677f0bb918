package dev.lanes.runtime.kernels.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lanes.runtime.RunContext;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SgemmTest {
    @ParameterizedTest
    @CsvSource({"1,1,1,1", "8,48,256,1", "9,49,257,2", "17,1000,3,2", "64,3,600,1", "5,0,7,1",
            "3,7,0,1", "31,130,129,2"})
    void matchesReferenceWithEpilogueAndResidual(int m, int n, int k, int threads) {
        Random r = new Random(m * 31L + n * 7L + k);
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        float[] res = new float[m * n];
        float[] scale = new float[m];
        float[] shift = new float[m];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextFloat() * 2 - 1;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextFloat() * 2 - 1;
        }
        for (int i = 0; i < res.length; i++) {
            res[i] = r.nextFloat() * 2 - 1;
        }
        for (int i = 0; i < m; i++) {
            scale[i] = r.nextFloat() + 0.5f;
            shift[i] = r.nextFloat() - 0.5f;
        }
        Epilogue ep = new Epilogue(scale, shift, new Activation(Activation.Kind.CLIP, -0.5f, 2f));
        float[] want = new float[m * n];
        Sgemm.reference(a, m, k, b, n, want, ep, res);
        float[] got = new float[m * n];
        Sgemm.multiply(PackedA.pack(a, 0, k, m, k, false), new RowMajorB(b, 0, n, k, n, false),
                got, 0, n, ep, res, 0, n, new RunContext(threads));
        for (int i = 0; i < want.length; i++) {
            // float32 sums of up to 600 products in another order: 1e-4 abs + 1e-4 rel.
            assertEquals(want[i], got[i], 1e-4 + 1e-4 * Math.abs(want[i]), "index " + i);
        }
    }
}
