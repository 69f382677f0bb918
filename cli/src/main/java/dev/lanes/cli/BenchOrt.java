package dev.lanes.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.lanes.errors.LanesException;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Tensor;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONNX Runtime as a {@link BenchEngine}: only this class refers to ONNX Runtime, so the rest of
 * the CLI loads and runs without its jar. Uses all graph optimizations, {@code threads} intra-op
 * threads and one inter-op thread.
 */
final class BenchOrt implements BenchEngine {
    private final OrtSession session;
    private final Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
    private final String label;

    private BenchOrt(OrtSession session, String label) {
        this.session = session;
        this.label = label;
    }

    /** Loads the model into ONNX Runtime and converts the inputs once. */
    static BenchOrt open(Path model, int threads, Map<String, Tensor> inputs) {
        try {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            BenchOrt ort;
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                options.setIntraOpNumThreads(threads);
                options.setInterOpNumThreads(1);
                ort = new BenchOrt(env.createSession(model.toString(), options),
                        "ORT " + env.getVersion());
            }
            for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                ort.inputs.put(e.getKey(), toOrt(env, e.getValue()));
            }
            return ort;
        } catch (OrtException e) {
            throw new LanesException("ONNX Runtime cannot load " + model + ": " + e.getMessage(),
                    e);
        }
    }

    private static OnnxTensor toOrt(OrtEnvironment env, Tensor t) throws OrtException {
        long[] shape = Arrays.stream(t.shapeView()).asLongStream().toArray();
        if (t.dtype() == DType.FLOAT) {
            return OnnxTensor.createTensor(env, FloatBuffer.wrap(t.floats()), shape);
        }
        if (t.dtype() == DType.INT64) {
            return OnnxTensor.createTensor(env, LongBuffer.wrap(t.longs()), shape);
        }
        throw new LanesException("--compare ort supports FLOAT and INT64 inputs, not "
                + t.dtype());
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public Map<String, Tensor> run() {
        try (OrtSession.Result result = session.run(inputs)) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Map.Entry<String, OnnxValue> e : result) {
                out.put(e.getKey(), fromOrt(e.getKey(), e.getValue()));
            }
            return out;
        } catch (OrtException e) {
            throw new LanesException("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }

    private static Tensor fromOrt(String name, OnnxValue value) {
        if (!(value instanceof OnnxTensor t)) {
            throw new LanesException("ONNX Runtime output '" + name + "' is not a tensor");
        }
        int[] shape = Arrays.stream(t.getInfo().getShape()).mapToInt(Math::toIntExact).toArray();
        return switch (t.getInfo().type) {
            case FLOAT -> {
                FloatBuffer b = t.getFloatBuffer();
                float[] f = new float[b.remaining()];
                b.get(f);
                yield Tensor.of(f, shape);
            }
            case INT64 -> {
                LongBuffer b = t.getLongBuffer();
                long[] l = new long[b.remaining()];
                b.get(l);
                yield Tensor.ofLongs(l, shape);
            }
            default -> throw new LanesException("ONNX Runtime output '" + name + "' has type "
                    + t.getInfo().type + ", which the comparison does not read");
        };
    }

    @Override
    public void close() {
        for (OnnxTensor t : inputs.values()) {
            t.close();
        }
        try {
            session.close();
        } catch (OrtException e) {
            throw new LanesException("ONNX Runtime cannot close its session: " + e.getMessage(),
                    e);
        }
    }
}
