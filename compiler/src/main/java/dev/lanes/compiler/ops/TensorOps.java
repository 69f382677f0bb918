package dev.lanes.compiler.ops;

/** Operator handlers of this family. */
final class TensorOps {
    private TensorOps() {
    }

    static void register(OpRegistry r) {
        // Handlers are added here.
    }
}
