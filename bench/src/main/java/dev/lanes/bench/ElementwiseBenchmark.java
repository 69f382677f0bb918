package dev.lanes.bench;

import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.elementwise.BinaryKernel;
import dev.lanes.runtime.kernels.elementwise.UnaryKernel;
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
 * Element-wise Add (a residual connection: two tensors of the same shape) and Relu on ResNet-50
 * activation shapes; one FLOP per output element.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ElementwiseBenchmark {
    /** The operator: {@code add} or {@code relu}. */
    @Param({"add", "relu"})
    public String op;

    /** Channels x height x width of the activation, batch 1. */
    @Param({"256x56x56", "1024x14x14"})
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

    /** Makes the operands and the kernel. */
    @Setup
    public void setup() {
        if (!variant.equals("kernel")) {
            throw new IllegalArgumentException("no element-wise variant '" + variant + "'");
        }
        int[] dims = dims(shape);
        runner = new KernelRunner(threads);
        switch (op) {
            case "add" -> {
                kernel = new BinaryKernel(BinaryKernel.Op.ADD);
                inputs = new Tensor[] {BenchData.tensor(1, dims), BenchData.tensor(2, dims)};
            }
            case "relu" -> {
                kernel = new UnaryKernel(UnaryKernel.Op.RELU);
                inputs = new Tensor[] {BenchData.tensor(1, dims)};
            }
            default -> throw new IllegalArgumentException("no element-wise op '" + op + "'");
        }
    }

    /** One application. */
    @Benchmark
    public Tensor apply() {
        return runner.run(kernel, inputs);
    }

    private static int[] dims(String shape) {
        String[] parts = shape.split("x");
        int[] d = new int[parts.length + 1];
        d[0] = 1;
        for (int i = 0; i < parts.length; i++) {
            d[i + 1] = Integer.parseInt(parts[i]);
        }
        return d;
    }

    /** Output elements of one application on a shape. */
    static double flops(String shape) {
        return Tensor.checkedSize(dims(shape));
    }
}
