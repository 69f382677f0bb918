package dev.lanes.compiler.ops;

/**
 * Operator handlers of the spatial family: convolutions, pooling, normalization, padding,
 * resizing and block rearrangements. Each group lives in its own {@code Spatial*Ops} class.
 */
final class SpatialOps {
    private SpatialOps() {
    }

    static void register(OpRegistry r) {
        SpatialConvOps.register(r);
        SpatialPoolOps.register(r);
        SpatialNormOps.register(r);
        SpatialLayoutOps.register(r);
        SpatialResizeOps.register(r);
    }
}
