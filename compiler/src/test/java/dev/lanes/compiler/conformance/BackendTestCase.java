package dev.lanes.compiler.conformance;

import dev.lanes.compiler.CompileOptions;
import dev.lanes.compiler.Compiler;
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
 * {@code input_K.pb} and {@code output_K.pb}): loads it, runs every data set and compares each
 * output with the expected one.
 */
public final class BackendTestCase {
    private BackendTestCase() {
    }

    /** The shared test material folder: -Dlanes.shared, $LANES_SHARED, or ../shared. */
    public static Path shared() {
        String p = System.getProperty("lanes.shared");
        if (p == null || p.isEmpty()) {
            p = System.getenv("LANES_SHARED");
        }
        return Path.of(p == null || p.isEmpty() ? "../shared" : p);
    }

    /**
     * Runs every data set of {@code dir}; returns null on success or a description of the first
     * mismatch. Exceptions from loading or running propagate.
     */
    public static String run(Path dir, double atol, double rtol) throws IOException {
        var compiler = new Compiler(CompileOptions.defaults());
        Session s = new Session(compiler.compile(ModelReader.read(dir.resolve("model.onnx")), dir),
                new SessionOptions(1));
        List<Path> sets;
        try (Stream<Path> st = Files.list(dir)) {
            sets = st.filter(p -> p.getFileName().toString().startsWith("test_data_set_"))
                    .sorted().toList();
        }
        for (Path set : sets) {
            Map<String, Tensor> inputs = new LinkedHashMap<>();
            for (int i = 0; Files.exists(set.resolve("input_" + i + ".pb")); i++) {
                TensorData d = TensorProtos.read(set.resolve("input_" + i + ".pb"));
                String name = d.name().isEmpty() || s.inputs().stream()
                        .noneMatch(v -> v.name().equals(d.name()))
                        ? s.inputs().get(i).name() : d.name();
                inputs.put(name, Tensor.from(d));
            }
            Map<String, Tensor> out = s.run(inputs);
            List<ValueInfo> outs = s.outputs();
            for (int i = 0; Files.exists(set.resolve("output_" + i + ".pb")); i++) {
                TensorData d = TensorProtos.read(set.resolve("output_" + i + ".pb"));
                Tensor expected = Tensor.from(d);
                Tensor got = out.get(outs.get(i).name());
                String diff = compare(expected, got, atol, rtol);
                if (diff != null) {
                    return set.getFileName() + " output " + i + " '" + outs.get(i).name() + "': "
                            + diff;
                }
            }
        }
        return null;
    }

    /** Null if equal within |got - want| <= atol + rtol * |want|, else what differs. */
    public static String compare(Tensor want, Tensor got, double atol, double rtol) {
        if (!Arrays.equals(want.shapeView(), got.shapeView())) {
            return "shape " + Arrays.toString(got.shapeView()) + ", expected "
                    + Arrays.toString(want.shapeView());
        }
        if (want.dtype() != got.dtype()) {
            return "type " + got.dtype() + ", expected " + want.dtype();
        }
        List<String> bad = new ArrayList<>();
        int count = 0;
        for (int i = 0; i < want.size(); i++) {
            double w = want.getDouble(i);
            double g = got.getDouble(i);
            boolean ok = Double.isNaN(w) ? Double.isNaN(g)
                    : w == g || Math.abs(g - w) <= atol + rtol * Math.abs(w);
            if (!ok) {
                if (bad.size() < 3) {
                    bad.add("[" + i + "] " + g + " vs " + w);
                }
                count++;
            }
        }
        return count == 0 ? null : count + " of " + want.size() + " values differ: " + bad;
    }
}
