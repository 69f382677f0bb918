package dev.lanes.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.runtime.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

/** Smoke tests: the benchmarks exist, their parameters resolve and one small case of each runs. */
class BenchmarksTest {
    private static final List<Class<?>> BENCHMARKS = List.of(GemmBenchmark.class,
            ConvBenchmark.class, DepthwiseBenchmark.class, PoolingBenchmark.class,
            ElementwiseBenchmark.class);

    @Test
    void theAnnotationProcessorListedEveryBenchmark() throws IOException {
        try (InputStream in = BenchmarksTest.class.getResourceAsStream(
                "/META-INF/BenchmarkList")) {
            assertNotNull(in, "no META-INF/BenchmarkList: jmh-generator-annprocess did not run");
            String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (Class<?> c : BENCHMARKS) {
                assertTrue(list.contains(c.getName()), c.getName() + " missing from " + list);
            }
        }
    }

    @Test
    void everyShapeParameterHasAFlopCount() throws NoSuchFieldException {
        for (Class<?> c : BENCHMARKS) {
            String family = c.getSimpleName().replace("Benchmark", "");
            Field shape = c.getField("shape");
            for (String s : shape.getAnnotation(Param.class).value()) {
                double flops = BenchMain.flops(family, s);
                assertTrue(flops > 0 && Double.isFinite(flops), family + " " + s + ": " + flops);
            }
        }
    }

    @Test
    void layerShapesHaveTheirKnownOutputSizes() {
        LayerShapes.Conv stem = LayerShapes.conv("r50.conv1");
        assertEquals(112, stem.outHeight());
        assertEquals(112, stem.outWidth());
        assertEquals(2.0 * 64 * 3 * 49 * 112 * 112, stem.flops());
        LayerShapes.Conv dw = LayerShapes.conv("mv2.b2.dw");
        assertTrue(dw.depthwise());
        assertEquals(56, dw.outHeight());
        assertEquals(2.0 * 96 * 9 * 56 * 56, dw.flops());
    }

    @Test
    void gemmVariantsAgreeOnASmallShape() {
        float[] sgemm = gemm("sgemm");
        float[] reference = gemm("reference");
        for (int i = 0; i < sgemm.length; i++) {
            assertEquals(reference[i], sgemm[i], 1e-3f * (1 + Math.abs(reference[i])), "at " + i);
        }
    }

    private static float[] gemm(String variant) {
        GemmBenchmark b = new GemmBenchmark();
        b.shape = "sq256";
        b.variant = variant;
        b.threads = 1;
        b.setup();
        return b.multiply().clone();
    }

    @Test
    void convVariantsAgreeOnADepthwiseLayer() {
        float[] reference = depthwise("reference");
        float[] kernel = depthwise("kernel");
        assertEquals(reference.length, kernel.length);
        for (int i = 0; i < kernel.length; i++) {
            assertEquals(reference[i], kernel[i], 1e-4f * (1 + Math.abs(reference[i])), "at " + i);
        }
    }

    private static float[] depthwise(String variant) {
        DepthwiseBenchmark b = new DepthwiseBenchmark();
        b.shape = "mv2.b14.dw";
        b.variant = variant;
        b.threads = 1;
        b.setup();
        Tensor t = b.convolve();
        assertArrayEquals(new int[] {1, 960, 7, 7}, t.shape());
        // A pooled array may be longer than its tensor: only the first size() values count.
        return java.util.Arrays.copyOf(t.floats(), t.size());
    }

    @Test
    void poolingAndElementwiseBenchmarksRun() {
        PoolingBenchmark p = new PoolingBenchmark();
        p.shape = "mv2.gap";
        p.variant = "kernel";
        p.threads = 1;
        p.setup();
        assertArrayEquals(new int[] {1, 1280, 1, 1}, p.pool().shape());
        ElementwiseBenchmark e = new ElementwiseBenchmark();
        e.op = "relu";
        e.shape = "1024x14x14";
        e.variant = "kernel";
        e.threads = 1;
        e.setup();
        Tensor y = e.apply();
        for (int i = 0; i < y.size(); i++) {
            assertTrue(y.floats()[i] >= 0, "at " + i);
        }
    }
}
