package dev.lanes.compiler.ops;

import dev.lanes.runtime.kernels.reduce.SoftmaxKernel;
import dev.lanes.runtime.kernels.reduce.SoftmaxKernel.Mode;

/**
 * Softmax, LogSoftmax and Hardmax. Before opset 13 the input is coerced to 2-D at {@code axis}
 * (default 1); from 13 the function runs along the one axis (default -1).
 */
final class MathOps {
    private MathOps() {
    }

    static void register(OpRegistry r) {
        softmax(r, "Softmax", Mode.SOFTMAX);
        softmax(r, "LogSoftmax", Mode.LOG_SOFTMAX);
        softmax(r, "Hardmax", Mode.HARDMAX);
    }

    private static void softmax(OpRegistry r, String name, Mode mode) {
        r.register(name, MathHandler.of(Types::sameAsInput, n -> {
            boolean legacy = n.opset() < 13;
            int axis = (int) n.getInt("axis", legacy ? 1 : -1);
            return new SoftmaxKernel(mode, axis, legacy);
        }));
    }
}
