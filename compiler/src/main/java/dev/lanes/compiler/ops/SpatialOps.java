package dev.lanes.compiler.ops;

/** Operator handlers of this family. */
final class SpatialOps {
    private SpatialOps() {
    }

    static void register(OpRegistry r) {
        // Handlers are added here.
    }
}
