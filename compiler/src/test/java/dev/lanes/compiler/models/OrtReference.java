package dev.lanes.compiler.models;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Tensor;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs a model with ONNX Runtime (Java API, test scope only) to get reference outputs for
 * models that come without expected outputs. Graph optimizations are limited to ORT's basic,
 * semantics-preserving level so the reference computes the graph as written.
 */
final class OrtReference {
    private OrtReference() {
    }

    /** Runs a serialized model on FLOAT inputs and returns every output by name, in order. */
    static Map<String, Tensor> run(byte[] model, Map<String, Tensor> inputs) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
            opts.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model, opts)) {
                Map<String, OnnxTensor> feed = new LinkedHashMap<>();
                try {
                    for (var e : inputs.entrySet()) {
                        Tensor t = e.getValue();
                        long[] shape = new long[t.rank()];
                        for (int i = 0; i < shape.length; i++) {
                            shape[i] = t.dim(i);
                        }
                        feed.put(e.getKey(), OnnxTensor.createTensor(env,
                                FloatBuffer.wrap(t.floats()), shape));
                    }
                    Map<String, Tensor> out = new LinkedHashMap<>();
                    try (OrtSession.Result r = session.run(feed)) {
                        for (Map.Entry<String, OnnxValue> e : r) {
                            out.put(e.getKey(), toTensor((OnnxTensor) e.getValue()));
                        }
                    }
                    return out;
                } finally {
                    feed.values().forEach(OnnxTensor::close);
                }
            }
        }
    }

    private static Tensor toTensor(OnnxTensor t) {
        long[] s = t.getInfo().getShape();
        int[] shape = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            shape[i] = Math.toIntExact(s[i]);
        }
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
                yield Tensor.ofLongs(DType.INT64, l, shape);
            }
            default -> throw new IllegalStateException("ORT output of type " + t.getInfo().type
                    + " is not compared by these tests");
        };
    }
}
