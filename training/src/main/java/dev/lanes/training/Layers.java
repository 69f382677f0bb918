package dev.lanes.training;

import dev.lanes.errors.ShapeException;

/** Checks shared by the layers, so that every error names the layer and the shapes. */
final class Layers {
    private Layers() {
    }

    /** Fails unless {@code x} has rank {@code rank} and, where {@code dims} is not -1, those dimensions. */
    static void expect(String layer, String what, Tensor x, int... dims) {
        boolean ok = x.rank() == dims.length;
        for (int i = 0; ok && i < dims.length; i++) {
            ok = dims[i] < 0 || x.dim(i) == dims[i];
        }
        if (!ok) {
            StringBuilder want = new StringBuilder("[");
            for (int i = 0; i < dims.length; i++) {
                want.append(i == 0 ? "" : ", ").append(dims[i] < 0 ? "*" : Integer.toString(dims[i]));
            }
            throw new ShapeException(layer + ": " + what + " must be " + want + "], got " + x.shapeString());
        }
    }

    /** Fails when backward is called before forward. */
    static void forwardDone(String layer, Object saved) {
        if (saved == null) {
            throw new IllegalStateException(layer + ": backward called before forward");
        }
    }

    /** Fails unless the output gradient has the shape of the last output. */
    static void sameAsOutput(String layer, Tensor dy, int[] outShape) {
        if (!java.util.Arrays.equals(dy.shape(), outShape)) {
            throw new ShapeException(layer + ": output gradient must be " + Tensor.shapeString(outShape) + ", got "
                    + dy.shapeString());
        }
    }
}
