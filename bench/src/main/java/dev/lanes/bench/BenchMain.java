package dev.lanes.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Runs the JMH benchmarks (any JMH command line: a regex, -wi, -i, -w, -r, -f, -p name=v,...)
 * and then prints one summary table: family, variant, shape, time per operation and GFLOP/s.
 */
public final class BenchMain {
    private BenchMain() {
    }

    /** Runs JMH with {@code args} and prints the GFLOP/s table. */
    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions options = new CommandLineOptions(args);
        if (options.shouldHelp() || options.shouldList() || options.shouldListWithParams()
                || options.shouldListProfilers() || options.shouldListResultFormats()) {
            new Runner(options).list();
            return;
        }
        Collection<RunResult> results = new Runner(options).run();
        printTable(results, System.out);
    }

    /** One row of the table. */
    record Row(String family, String variant, String shape, double msPerOp, double gflops) {
    }

    /** The rows of JMH results, in the order JMH ran them. */
    static List<Row> rows(Collection<RunResult> results) {
        List<Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            BenchmarkParams p = r.getParams();
            String benchmark = p.getBenchmark();
            String cls = benchmark.substring(0, benchmark.lastIndexOf('.'));
            String simple = cls.substring(cls.lastIndexOf('.') + 1);
            String family = simple.replace("Benchmark", "");
            String shape = p.getParam("shape");
            String variant = p.getParam("variant");
            if (p.getParam("op") != null) {
                variant = p.getParam("op") + "/" + variant;
            }
            if (p.getParam("threads") != null && !p.getParam("threads").equals("1")) {
                variant = variant + " x" + p.getParam("threads");
            }
            double ms = r.getPrimaryResult().getScore();
            rows.add(new Row(family, variant, shape, ms, flops(family, shape) / (ms * 1e6)));
        }
        return rows;
    }

    /** Floating-point operations of one benchmark operation of a family on a shape. */
    static double flops(String family, String shape) {
        return switch (family) {
            case "Gemm" -> GemmBenchmark.flops(shape);
            case "Conv" -> ConvBenchmark.flops(shape);
            case "Depthwise" -> DepthwiseBenchmark.flops(shape);
            case "Pooling" -> PoolingBenchmark.flops(shape);
            case "Elementwise" -> ElementwiseBenchmark.flops(shape);
            default -> Double.NaN;
        };
    }

    /** Prints the summary table. */
    static void printTable(Collection<RunResult> results, PrintStream out) {
        out.println();
        out.printf("%-12s %-16s %-16s %12s %10s%n", "family", "variant", "shape", "ms/op",
                "GFLOP/s");
        for (Row row : rows(results)) {
            out.printf("%-12s %-16s %-16s %12.4f %10.2f%n", row.family(), row.variant(),
                    row.shape(), row.msPerOp(), row.gflops());
        }
    }
}
