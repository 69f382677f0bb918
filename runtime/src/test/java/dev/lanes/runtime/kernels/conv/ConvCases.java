package dev.lanes.runtime.kernels.conv;

import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.gemm.Activation;
import dev.lanes.runtime.kernels.gemm.Epilogue;
import dev.lanes.runtime.kernels.spatial.ConvAttributes;
import dev.lanes.runtime.kernels.spatial.ConvReference;
import java.util.Random;

/** What the convolution kernel tests share: random tensors, epilogues and the reference. */
final class ConvCases {
    private ConvCases() {
    }

    /** Values uniform in [-1, 1). */
    static Tensor random(Random rnd, int... shape) {
        float[] v = new float[Tensor.checkedSize(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextFloat() * 2 - 1;
        }
        return Tensor.of(v, shape);
    }

    /** The reference: ConvReference, then the epilogue one value at a time. */
    static Tensor reference(ConvAttributes a, Tensor x, Tensor w, Tensor b, Epilogue ep,
            Tensor residual) {
        Tensor y = new ConvReference(a).run(new Tensor[] {x, w, b}, RunContext.serial())[0];
        float[] v = y.floats();
        int m = y.dim(1);
        int sp = v.length / (y.dim(0) * m);
        for (int i = 0; i < v.length; i++) {
            v[i] = ep.apply(v[i], (i / sp) % m, residual == null ? 0f : residual.floats()[i]);
        }
        return y;
    }

    /** An epilogue of this activation kind, with random scale and shift (each maybe absent). */
    static Epilogue randomEpilogue(Random rnd, int m, Activation.Kind kind) {
        float[] scale = rnd.nextBoolean() ? random(rnd, m).floats() : null;
        float[] shift = rnd.nextBoolean() ? random(rnd, m).floats() : null;
        Activation act = switch (kind) {
            case CLIP -> new Activation(kind, -0.5f, 0.75f);
            case LEAKY_RELU -> new Activation(kind, 0.1f, 0f);
            case HARD_SIGMOID -> new Activation(kind, 0.2f, 0.5f);
            default -> Activation.of(kind);
        };
        return new Epilogue(scale, shift, act);
    }
}
