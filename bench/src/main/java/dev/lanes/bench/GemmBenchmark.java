package dev.lanes.bench;

import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.kernels.gemm.Epilogue;
import dev.lanes.runtime.kernels.gemm.PackedA;
import dev.lanes.runtime.kernels.gemm.RowMajorB;
import dev.lanes.runtime.kernels.gemm.Sgemm;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * C = A * B in single precision: the packed {@link Sgemm} against the plain triple loop, on
 * square matrices ({@code sqN}) and on the im2col GEMMs of real conv layers (M filters, K = C *
 * kernel area, N output pixels; see {@link LayerShapes}). A is packed once, as weights are.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class GemmBenchmark {
    /** {@code sqN} for N x N x N, or a conv layer of {@link LayerShapes}. */
    @Param({"sq256", "sq512", "sq1024", "r50.l1.3x3", "r50.l3.1x1a", "r50.l4.3x3",
        "mv2.b2.expand"})
    public String shape;

    /** {@code sgemm} (packed, blocked) or {@code reference} (triple loop). */
    @Param({"sgemm", "reference"})
    public String variant;

    /** Threads of the run context (Sgemm only; the reference is serial). */
    @Param({"1"})
    public int threads;

    private int m;
    private int k;
    private int n;
    private float[] a;
    private float[] b;
    private float[] c;
    private PackedA packed;
    private RowMajorB source;
    private RunContext ctx;

    /** Makes the operands and packs A. */
    @Setup
    public void setup() {
        int[] mkn = dimensions(shape);
        m = mkn[0];
        k = mkn[1];
        n = mkn[2];
        a = BenchData.floats(m * k, 1);
        b = BenchData.floats(k * n, 2);
        c = new float[m * n];
        packed = PackedA.pack(a, 0, k, m, k, false);
        source = new RowMajorB(b, 0, n, k, n, false);
        ctx = new RunContext(threads);
    }

    /** One multiplication. */
    @Benchmark
    public float[] multiply() {
        switch (variant) {
            case "sgemm" -> Sgemm.multiply(packed, source, c, 0, n, Epilogue.NONE, null, 0, 0,
                    ctx);
            case "reference" -> Sgemm.reference(a, m, k, b, n, c, Epilogue.NONE, null);
            default -> throw new IllegalArgumentException("no GEMM variant '" + variant + "'");
        }
        return c;
    }

    /** M, K, N of a shape name. */
    static int[] dimensions(String shape) {
        if (shape.startsWith("sq")) {
            int s = Integer.parseInt(shape.substring(2));
            return new int[] {s, s, s};
        }
        LayerShapes.Conv conv = LayerShapes.conv(shape);
        return new int[] {conv.gemmM(), conv.gemmK(), conv.gemmN()};
    }

    /** Floating-point operations of one multiplication of a shape. */
    static double flops(String shape) {
        int[] mkn = dimensions(shape);
        return 2.0 * mkn[0] * mkn[1] * mkn[2];
    }
}
