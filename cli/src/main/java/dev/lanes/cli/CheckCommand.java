package dev.lanes.cli;

import dev.lanes.compiler.CompileOptions;
import dev.lanes.errors.LanesException;
import dev.lanes.formats.TensorData;
import dev.lanes.formats.TensorProtos;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.ValueInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code lanes check}: runs folders in the ONNX backend-test layout and compares every output
 * with the expected one.
 */
final class CheckCommand implements Command {
    static final double DEFAULT_ATOL = 1e-4;
    static final double DEFAULT_RTOL = 1e-3;
    private static final String SET_PREFIX = "test_data_set_";

    @Override
    public String name() {
        return "check";
    }

    @Override
    public String summary() {
        return "run ONNX test folders (model.onnx + test_data_set_*) and compare the outputs";
    }

    @Override
    public String help() {
        return """
                usage: lanes check DIR... [--model FILE] [--atol A] [--rtol R] [--threads N]

                Each DIR holds model.onnx and test_data_set_*/ folders with input_K.pb and
                output_K.pb (the ONNX backend-test layout). For every data set and output, prints
                the largest absolute and relative error and PASS or FAIL. A folder passes when all
                its outputs do; one that fails to load or run fails with the error. Ends with
                "N passed, M failed" and exits with 1 if any folder failed. A folder with a plan
                saved by 'lanes compile' as model.lanes instead of model.onnx runs the plan.

                  --atol A      absolute tolerance (default 1e-4)
                  --rtol R      relative tolerance (default 1e-3): an element passes when
                                |got - want| <= atol + rtol * |want|
                  --model FILE  the model to run on every DIR's data sets instead of the
                                DIR's own: an ONNX model or a plan (told by its content)
                  --threads N   threads the kernels may use (default: 1)
                """;
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("--atol", "--rtol", "--threads", "--model");
    }

    @Override
    public Set<String> flags() {
        return Set.of();
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws UsageException {
        args.expectPositional(1, Integer.MAX_VALUE, "DIR (a test folder)");
        double atol = args.doubleValue("--atol", DEFAULT_ATOL);
        double rtol = args.doubleValue("--rtol", DEFAULT_RTOL);
        int threads = args.intValue("--threads", 1, 1);
        Path given = args.has("--model") ? Path.of(args.value("--model", "")) : null;
        int passed = 0;
        int failed = 0;
        for (String d : args.positional()) {
            Path dir = Path.of(d);
            out.println(dir);
            boolean ok;
            try {
                ok = checkFolder(dir, given, atol, rtol, threads, out);
            } catch (IOException | RuntimeException e) {
                out.println("  error: " + message(e));
                ok = false;
            }
            out.println((ok ? "PASS " : "FAIL ") + dir);
            if (ok) {
                passed++;
            } else {
                failed++;
            }
        }
        out.println(passed + " passed, " + failed + " failed");
        return failed == 0 ? Main.OK : Main.FAILED;
    }

    private static String message(Exception e) {
        // Lanes messages say what and where; other exceptions need their type to make sense.
        return e instanceof LanesException ? e.getMessage() : e.toString();
    }

    private static boolean checkFolder(Path dir, Path given, double atol, double rtol,
            int threads, PrintStream out) throws IOException, UsageException {
        Path model = given != null ? given : dir.resolve("model.onnx");
        if (given == null && !Files.isRegularFile(model)
                && Files.isRegularFile(dir.resolve("model.lanes"))) {
            model = dir.resolve("model.lanes");
        }
        if (!Files.isRegularFile(model)) {
            throw new LanesException(given != null ? "no model file " + given
                    : "no model.onnx in " + dir + " (nor a plan model.lanes)");
        }
        if (given != null || !model.getFileName().toString().equals("model.onnx")) {
            out.println("  model " + model);
        }
        List<Path> sets;
        try (Stream<Path> s = Files.list(dir)) {
            sets = s.filter(p -> p.getFileName().toString().startsWith(SET_PREFIX)
                    && Files.isDirectory(p)).sorted(Comparator.comparingLong(CheckCommand::setNumber)
                    .thenComparing(Path::toString)).toList();
        }
        if (sets.isEmpty()) {
            throw new LanesException("no " + SET_PREFIX + "* folders in " + dir);
        }
        Session session = LoadedModel.load(model, threads, CompileOptions.defaults()).session();
        boolean ok = true;
        for (Path set : sets) {
            String setName = set.getFileName().toString();
            try {
                ok &= checkSet(session, set, setName, atol, rtol, out);
            } catch (LanesException e) {
                out.println("  " + setName + ": error: " + e.getMessage() + "  FAIL");
                ok = false;
            }
        }
        return ok;
    }

    private static boolean checkSet(Session session, Path set, String setName, double atol,
            double rtol, PrintStream out) {
        List<ValueInfo> declared = session.inputs();
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (int k = 0; Files.exists(set.resolve("input_" + k + ".pb")); k++) {
            TensorData d = TensorProtos.read(set.resolve("input_" + k + ".pb"));
            inputs.put(nameOf(d, k, declared, "input"), Tensor.from(d));
        }
        Map<String, Tensor> got = session.run(inputs);
        List<ValueInfo> outputs = session.outputs();
        boolean ok = true;
        int k = 0;
        for (; Files.exists(set.resolve("output_" + k + ".pb")); k++) {
            TensorData d = TensorProtos.read(set.resolve("output_" + k + ".pb"));
            String name = nameOf(d, k, outputs, "output");
            Comparison c = Comparison.of(Tensor.from(d), got.get(name), atol, rtol);
            String detail = c.problem() != null ? c.problem()
                    : "max abs " + Tensors.number(c.maxAbs()) + ", max rel "
                            + Tensors.number(c.maxRel())
                            + (c.failures() > 0 ? ", " + c.failures() + " values out of tolerance"
                                    : "");
            out.println("  " + setName + " output " + k + " '" + name + "': " + detail + "  "
                    + (c.passed() ? "PASS" : "FAIL"));
            ok &= c.passed();
        }
        if (k == 0) {
            throw new LanesException(set + " has no output_0.pb");
        }
        return ok;
    }

    /** The value a test tensor belongs to: its own name if the model has it, else position k. */
    private static String nameOf(TensorData d, int k, List<ValueInfo> declared, String what) {
        if (!d.name().isEmpty() && declared.stream().anyMatch(v -> v.name().equals(d.name()))) {
            return d.name();
        }
        if (k >= declared.size()) {
            throw new LanesException(what + "_" + k + ".pb but the model has only "
                    + declared.size() + " " + what + (declared.size() == 1 ? "" : "s"));
        }
        return declared.get(k).name();
    }

    private static long setNumber(Path p) {
        String s = p.getFileName().toString().substring(SET_PREFIX.length());
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
