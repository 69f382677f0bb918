package dev.lanes.runtime.plan;

import dev.lanes.errors.LanesException;
import dev.lanes.formats.TensorData;
import dev.lanes.formats.TensorProtos;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.SessionOptions;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.ValueInfo;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a saved plan on a test data set with the runtime alone, no compiler on the class path:
 * {@code java --add-modules jdk.incubator.vector -cp RUNTIME:FORMATS:PROTOBUF
 * dev.lanes.runtime.plan.CheckPlan MODEL.lanes DATA_SET_DIR [THREADS]}. The folder holds
 * {@code input_K.pb} and {@code output_K.pb} (ONNX TensorProto, the backend-test layout); each
 * output must match with {@code |got - want| <= 1e-4 + 1e-3 |want|}. Prints the load time, the
 * largest error of each output and PASS or FAIL; exits 0 when all pass, 1 when one fails or
 * the plan cannot load or run, 2 for a bad command line. It is how the tests prove that a plan
 * needs nothing but the runtime.
 */
public final class CheckPlan {
    private static final double ATOL = 1e-4;
    private static final double RTOL = 1e-3;

    private CheckPlan() {
    }

    /** Runs the check; see the class comment. */
    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) {
        if (args.length < 2 || args.length > 3) {
            out.println("usage: CheckPlan MODEL.lanes DATA_SET_DIR [THREADS]");
            return 2;
        }
        out.println("compiler on the class path: " + (compilerPresent() ? "yes" : "no"));
        try {
            long t0 = System.nanoTime();
            SavedPlan saved = PlanReader.read(Path.of(args[0]));
            out.printf("loaded %s in %.1f ms (%d steps)%n", args[0],
                    (System.nanoTime() - t0) / 1e6, saved.plan().steps().size());
            SessionOptions options = args.length == 3
                    ? new SessionOptions(Integer.parseInt(args[2])) : saved.sessionOptions();
            Path set = Path.of(args[1]);
            try (Session s = new Session(saved.plan(), options)) {
                Map<String, Tensor> got = s.run(inputs(s.inputs(), set));
                boolean ok = true;
                List<ValueInfo> outs = s.outputs();
                for (int k = 0; k < outs.size(); k++) {
                    Path file = set.resolve("output_" + k + ".pb");
                    if (!Files.exists(file)) {
                        continue;
                    }
                    ok &= compare(outs.get(k).name(), Tensor.from(TensorProtos.read(file)),
                            got.get(outs.get(k).name()), out);
                }
                out.println(ok ? "PASS" : "FAIL");
                return ok ? 0 : 1;
            }
        } catch (LanesException | NumberFormatException e) {
            out.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static boolean compilerPresent() {
        try {
            Class.forName("dev.lanes.compiler.Compiler", false, CheckPlan.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** input_K.pb bound by its name when the plan has it, else to input K. */
    private static Map<String, Tensor> inputs(List<ValueInfo> declared, Path set) {
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (int k = 0; Files.exists(set.resolve("input_" + k + ".pb")); k++) {
            TensorData d = TensorProtos.read(set.resolve("input_" + k + ".pb"));
            String name = declared.stream().anyMatch(v -> v.name().equals(d.name())) ? d.name()
                    : k < declared.size() ? declared.get(k).name() : d.name();
            in.put(name, Tensor.from(d));
        }
        return in;
    }

    private static boolean compare(String name, Tensor want, Tensor got, PrintStream out) {
        if (got == null || !java.util.Arrays.equals(want.shapeView(), got.shapeView())
                || want.dtype() != got.dtype()) {
            out.println("output '" + name + "': expected " + want + ", got " + got);
            return false;
        }
        double worst = 0;
        int bad = 0;
        for (int i = 0; i < want.size(); i++) {
            double w = want.getDouble(i);
            double d = Math.abs(got.getDouble(i) - w);
            worst = Math.max(worst, d);
            if (!(d <= ATOL + RTOL * Math.abs(w))) {
                bad++;
            }
        }
        out.printf("output '%s': max abs diff %.3g, %d values out of tolerance%n", name, worst,
                bad);
        return bad == 0;
    }
}
