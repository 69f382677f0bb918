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
 * Dense 2-D convolutions of ResNet-50 and MobileNetV2 (batch 1), by implementation. Variants are the names of {@link ConvVariants}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ConvBenchmark {
    /** A layer of {@link LayerShapes}. */
    @Param({"r50.conv1", "r50.l1.1x1a", "r50.l1.3x3", "r50.l1.1x1b", "r50.l2.3x3", "r50.l2.down",
        "r50.l3.1x1a", "r50.l3.3x3", "r50.l4.3x3", "r50.l4.1x1b", "mv2.stem", "mv2.b2.expand",
        "mv2.b3.project", "mv2.last"})
    public String shape;

    /** A name of {@link ConvVariants}. */
    @Param({"reference", "kernel"})
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
