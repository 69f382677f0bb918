package dev.lanes.bench;

import dev.lanes.runtime.Tensor;
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
 * Depthwise 3x3 convolutions of MobileNetV2 (batch 1, group = channels), by implementation:
 * the reference, grouped im2col GEMM ("kernel"), the depthwise kernel ("depthwise") and the same
 * with its tensors in channel blocks ("channel-blocks"). Variants are the names of
 * {@link ConvVariants}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
// Five warm-up seconds: with two, C2 had not always compiled the vector loops (12.9 ms against
// 0.3 ms steady for mv2.b7.dw).
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 3, time = 1)
public class DepthwiseBenchmark {
    /** A layer of {@link LayerShapes}. */
    @Param({"mv2.b1.dw", "mv2.b2.dw", "mv2.b3.dw", "mv2.b7.dw", "mv2.b14.dw"})
    public String shape;

    /** A name of {@link ConvVariants}. */
    @Param({"reference", "kernel", "depthwise", "channel-blocks"})
    public String variant;

    /** Threads of the run context. */
    @Param({"1"})
    public int threads;

    private ConvSetup conv;

    /** Makes the operands and the kernel. */
    @Setup
    public void setup() {
        conv = new ConvSetup(LayerShapes.conv(shape), variant, threads);
    }

    /** One convolution. */
    @Benchmark
    public Tensor convolve() {
        return conv.run();
    }

    /** Floating-point operations of one convolution of a shape. */
    static double flops(String shape) {
        return LayerShapes.conv(shape).flops();
    }
}
