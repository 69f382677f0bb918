package dev.lanes.compiler.conformance;

import dev.lanes.compiler.CompileOptions;
import dev.lanes.compiler.Compiler;
import dev.lanes.compiler.conformance.TestRules.Tolerance;
import dev.lanes.formats.ModelReader;
import dev.lanes.formats.TensorData;
import dev.lanes.formats.TensorProtos;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.SessionOptions;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.ValueInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One folder in the ONNX backend-test layout ({@code model.onnx}, {@code test_data_set_N/} with
 * {@code input_K.pb} and {@code output_K.pb}): loads it, runs every data set and compares every
 * output with the expected one.
 */
public final class BackendTestCase {
    private BackendTestCase() {
    }

    /** The shared test material folder; see {@link SharedData#shared()}. */
    public static Path shared() {
        return SharedData.shared();
    }

    /**
     * Runs every data set of {@code dir}; returns null on success or a description of the first
     * mismatch. Exceptions from loading or running propagate.
     */
    public static String run(Path dir, double atol, double rtol) throws IOException {
        return run(dir, new Tolerance(atol, rtol, "given"));
    }

    /**
     * Runs every data set of {@code dir}; returns null on success or a description of the first
     * mismatch. Exceptions from loading or running propagate.
     */
    public static String run(Path dir, Tolerance tol) throws IOException {
        Session s = load(dir.resolve("model.onnx"), 1);
        List<Path> sets = dataSets(dir);
        if (sets.isEmpty()) {
            return "no test_data_set_* folder in " + dir;
        }
        // Twice: a session's first run of an input signature recycles arrays by length and
        // plans the memory; the second takes its arrays from that plan.
        for (int pass = 0; pass < 2; pass++) {
            for (Path set : sets) {
                String diff = check(s, set, tol);
                if (diff != null) {
                    return (pass == 0 ? "" : "planned run: ") + diff;
                }
            }
        }
        // And every pass off gives the same outputs as every pass on.
        Session off = load(dir.resolve("model.onnx"), 1, CompileOptions.allPassesOff());
        for (Path set : sets) {
            Map<String, Tensor> in = inputs(s, set);
            Map<String, Tensor> on = s.run(in);
            Map<String, Tensor> plain = off.run(in);
            for (Map.Entry<String, Tensor> e : on.entrySet()) {
                String diff = compare(plain.get(e.getKey()), e.getValue(), tol.atol(), tol.rtol());
                if (diff != null) {
                    return set.getFileName() + " output '" + e.getKey()
                            + "', every pass on against every pass off: " + diff + " (" + tol
                            + ")";
                }
            }
        }
        return null;
    }

    /** Compiles a model file into a session with the given number of threads. */
    public static Session load(Path model, int threads) {
        return load(model, threads, CompileOptions.defaults());
    }

    /** Compiles a model file with the given options into a session. */
    public static Session load(Path model, int threads, CompileOptions options) {
        var compiler = new Compiler(options);
        return new Session(compiler.compile(ModelReader.read(model),
                model.toAbsolutePath().getParent()), new SessionOptions(threads));
    }

    /** The {@code test_data_set_*} folders of a test, in order. */
    public static List<Path> dataSets(Path dir) throws IOException {
        try (Stream<Path> st = Files.list(dir)) {
            return st.filter(p -> p.getFileName().toString().startsWith("test_data_set_")
                    && Files.isDirectory(p)).sorted().toList();
        }
    }

    /**
     * Runs one data set and compares every expected output; returns null when all match, else
     * a description naming the data set, the output and what differs.
     */
    public static String check(Session s, Path set, Tolerance tol) throws IOException {
        Map<String, Tensor> out = s.run(inputs(s, set));
        List<ValueInfo> outs = s.outputs();
        String where = set.getFileName().toString();
        for (int i = 0; Files.exists(set.resolve("output_" + i + ".pb")); i++) {
            TensorData d = TensorProtos.read(set.resolve("output_" + i + ".pb"));
            String name = outputName(outs, d.name(), i);
            if (name == null) {
                return where + ": expected output " + i + " '" + d.name() + "' but the model has"
                        + " only " + outs.size() + " outputs " + outs;
            }
            String diff = compare(Tensor.from(d), out.get(name), tol.atol(), tol.rtol());
            if (diff != null) {
                return where + " output " + i + " '" + name + "': " + diff + " (" + tol + ")";
            }
        }
        return null;
    }

    /**
     * Reads the {@code input_K.pb} files of a data set, each bound to the model input of its
     * name, or, when the file names none the model has, to the K-th input.
     */
    public static Map<String, Tensor> inputs(Session s, Path set) throws IOException {
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        List<ValueInfo> ins = s.inputs();
        int count = 0;
        while (Files.exists(set.resolve("input_" + count + ".pb"))) {
            count++;
        }
        if (count != ins.size()) {
            throw new IllegalStateException(set + " holds " + count + " input files but the"
                    + " model takes " + ins.size() + " inputs " + ins);
        }
        for (int i = 0; i < count; i++) {
            TensorData d = TensorProtos.read(set.resolve("input_" + i + ".pb"));
            String name = ins.stream().anyMatch(v -> v.name().equals(d.name())) ? d.name()
                    : ins.get(i).name();
            inputs.put(name, Tensor.from(d));
        }
        return inputs;
    }

    private static String outputName(List<ValueInfo> outs, String fileName, int i) {
        for (ValueInfo v : outs) {
            if (v.name().equals(fileName)) {
                return v.name();
            }
        }
        return i < outs.size() ? outs.get(i).name() : null;
    }

    /**
     * Null if {@code got} has the shape and type of {@code want} and every value satisfies
     * {@code |got - want| <= atol + rtol * |want|} (NaN matches NaN, infinities match exactly);
     * else what differs, with the first few bad values and the largest difference.
     */
    public static String compare(Tensor want, Tensor got, double atol, double rtol) {
        if (got == null) {
            return "output missing";
        }
        if (!Arrays.equals(want.shapeView(), got.shapeView())) {
            return "shape " + Arrays.toString(got.shapeView()) + ", expected "
                    + Arrays.toString(want.shapeView());
        }
        if (want.dtype() != got.dtype()) {
            return "type " + got.dtype() + ", expected " + want.dtype();
        }
        List<String> bad = new ArrayList<>();
        int count = 0;
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < want.size(); i++) {
            double w = want.getDouble(i);
            double g = got.getDouble(i);
            boolean ok = Double.isNaN(w) ? Double.isNaN(g)
                    : w == g || Math.abs(g - w) <= atol + rtol * Math.abs(w);
            if (!ok) {
                if (bad.size() < 3) {
                    bad.add("[" + i + "] " + g + " vs " + w);
                }
                double d = Double.isNaN(g) ? Double.POSITIVE_INFINITY : Math.abs(g - w);
                if (worstAt < 0 || d > worst) {
                    worst = d;
                    worstAt = i;
                }
                count++;
            }
        }
        return count == 0 ? null : count + " of " + want.size() + " values differ: " + bad
                + ", largest difference " + worst + " at [" + worstAt + "]";
    }

    /** The largest |got - want| over all values (same shape assumed), for reports. */
    public static double maxAbsDiff(Tensor want, Tensor got) {
        double m = 0;
        for (int i = 0; i < want.size(); i++) {
            m = Math.max(m, Math.abs(got.getDouble(i) - want.getDouble(i)));
        }
        return m;
    }

    /**
     * The smallest relative tolerance that would let {@code got} pass with absolute tolerance
     * {@code atol}: max over values of {@code (|got - want| - atol) / |want|}; for measuring how
     * much a model needs.
     */
    public static double neededRtol(Tensor want, Tensor got, double atol) {
        double m = 0;
        for (int i = 0; i < want.size(); i++) {
            double w = want.getDouble(i);
            double d = Math.abs(got.getDouble(i) - w) - atol;
            if (d > 0) {
                m = Math.max(m, w == 0 ? Double.POSITIVE_INFINITY : d / Math.abs(w));
            }
        }
        return m;
    }
}
