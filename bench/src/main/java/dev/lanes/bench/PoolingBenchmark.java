package dev.lanes.bench;

import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.spatial.AutoPad;
import dev.lanes.runtime.kernels.spatial.GlobalPoolKernel;
import dev.lanes.runtime.kernels.spatial.PoolKernel;
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
 * Pooling layers of ResNet-50 and MobileNetV2 (batch 1). "FLOP" counts one operation per
 * window element read (a max or an add), so GFLOP/s compares like with like across shapes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class PoolingBenchmark {
    /**
     * {@code r50.maxpool}: MaxPool 3x3 stride 2 pad 1 over 64x112x112; {@code r50.avgpool2x2}:
     * AveragePool 2x2 stride 2 over 256x56x56; {@code r50.gap} and {@code mv2.gap}: global
     * average pools over 2048x7x7 and 1280x7x7.
     */
    @Param({"r50.maxpool", "r50.avgpool2x2", "r50.gap", "mv2.gap"})
    public String shape;

    /** The implementation; {@code kernel} is the runtime's current one. */
    @Param({"kernel"})
    public String variant;

    /** Threads of the run context. */
    @Param({"1"})
    public int threads;

    private Kernel kernel;
    private Tensor[] inputs;
    private KernelRunner runner;

    /** Makes the input and the kernel. */
    @Setup
    public void setup() {
        if (!variant.equals("kernel")) {
            throw new IllegalArgumentException("no pooling variant '" + variant + "'");
        }
        int[] in = inputShape(shape);
        inputs = new Tensor[] {BenchData.tensor(1, in)};
        runner = new KernelRunner(threads);
        kernel = switch (shape) {
            case "r50.maxpool" -> new PoolKernel(PoolKernel.Type.MAX, new int[] {3, 3},
                    new int[] {2, 2}, null, new int[] {1, 1, 1, 1}, AutoPad.NOTSET, false, false,
                    2, false, false);
            case "r50.avgpool2x2" -> new PoolKernel(PoolKernel.Type.AVERAGE, new int[] {2, 2},
                    new int[] {2, 2}, null, null, AutoPad.NOTSET, false, false, 2, false, false);
            default -> new GlobalPoolKernel(PoolKernel.Type.AVERAGE, 2);
        };
    }

    /** One pooling. */
    @Benchmark
    public Tensor pool() {
        return runner.run(kernel, inputs);
    }

    private static int[] inputShape(String shape) {
        return switch (shape) {
            case "r50.maxpool" -> new int[] {1, 64, 112, 112};
            case "r50.avgpool2x2" -> new int[] {1, 256, 56, 56};
            case "r50.gap" -> new int[] {1, 2048, 7, 7};
            case "mv2.gap" -> new int[] {1, 1280, 7, 7};
            default -> throw new IllegalArgumentException("no pooling shape '" + shape + "'");
        };
    }

    /** Window elements read by one pooling of a shape. */
    static double flops(String shape) {
        int[] in = inputShape(shape);
        double elements = (double) in[1] * in[2] * in[3];
        return switch (shape) {
            case "r50.maxpool" -> 64.0 * 56 * 56 * 9;
            // A 2x2 stride-2 window reads each input once, as a global pool does.
            default -> elements;
        };
    }
}
