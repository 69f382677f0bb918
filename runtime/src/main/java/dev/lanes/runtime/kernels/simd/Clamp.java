package dev.lanes.runtime.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Clamping and maxima of float vectors as a compare and a blend each. {@code FloatVector.max}
 * and {@code min} keep Java's {@code Math.max} rules for NaN and signed zeros, which AVX2's
 * {@code vmaxps} lacks, so C2 emits five instructions for each (three blends, the max and an
 * unordered compare); in a depthwise convolution's store or a pooling window they cost more
 * than the arithmetic. These forms give the same values except that a zero keeps its sign
 * ({@code clamp(-0.0, 0, 6)} is {@code -0.0}, which compares equal to {@code 0.0}).
 */
public final class Clamp {
    private Clamp() {
    }

    /** {@code lo} where {@code v < lo}, {@code hi} where {@code v > hi}, else v; NaN stays. */
    public static FloatVector clamp(FloatVector v, FloatVector lo, FloatVector hi) {
        FloatVector up = v.blend(lo, v.compare(VectorOperators.LT, lo));
        return up.blend(hi, up.compare(VectorOperators.GT, hi));
    }

    /** {@link #clamp(FloatVector, FloatVector, FloatVector)} with scalar bounds. */
    public static FloatVector clamp(FloatVector v, float lo, float hi) {
        return clamp(v, FloatVector.broadcast(v.species(), lo),
                FloatVector.broadcast(v.species(), hi));
    }

    /**
     * The lane-wise larger of {@code acc} and {@code v}, NaN if either is (as {@code Math.max}):
     * {@code v} where {@code acc < v} or {@code v} is NaN, else {@code acc}.
     */
    public static FloatVector max(FloatVector acc, FloatVector v) {
        return acc.blend(v, acc.compare(VectorOperators.LT, v).or(v.test(VectorOperators.IS_NAN)));
    }
}
