package dev.lanes.cli;

import dev.lanes.runtime.Tensor;
import java.util.Arrays;

/**
 * How far a computed tensor is from the expected one. An element passes when
 * {@code |got - want| <= atol + rtol * |want|}; NaN must meet NaN and an infinity the same
 * infinity.
 *
 * @param maxAbs   the largest absolute difference
 * @param maxRel   the largest {@code |got - want| / |want|} over the elements where want is not 0
 * @param failures how many elements are out of tolerance
 * @param problem  a shape or type mismatch that prevents comparing values, or null
 */
record Comparison(double maxAbs, double maxRel, int failures, String problem) {

    /** True when the shapes and types agree and every element is within tolerance. */
    boolean passed() {
        return problem == null && failures == 0;
    }

    /** Compares {@code got} with {@code want}. */
    static Comparison of(Tensor want, Tensor got, double atol, double rtol) {
        if (!Arrays.equals(want.shapeView(), got.shapeView())) {
            return new Comparison(Double.NaN, Double.NaN, 0, "shape "
                    + Arrays.toString(got.shapeView()) + ", expected "
                    + Arrays.toString(want.shapeView()));
        }
        if (want.dtype() != got.dtype()) {
            return new Comparison(Double.NaN, Double.NaN, 0, "type " + got.dtype()
                    + ", expected " + want.dtype());
        }
        double maxAbs = 0;
        double maxRel = 0;
        int failures = 0;
        for (int i = 0; i < want.size(); i++) {
            double w = want.getDouble(i);
            double g = got.getDouble(i);
            if (Double.isNaN(w) || Double.isNaN(g) || Double.isInfinite(w)
                    || Double.isInfinite(g)) {
                boolean same = Double.isNaN(w) ? Double.isNaN(g) : w == g;
                if (!same) {
                    failures++;
                    maxAbs = Double.POSITIVE_INFINITY;
                }
                continue;
            }
            double diff = Math.abs(g - w);
            maxAbs = Math.max(maxAbs, diff);
            if (w != 0) {
                maxRel = Math.max(maxRel, diff / Math.abs(w));
            }
            if (diff > atol + rtol * Math.abs(w)) {
                failures++;
            }
        }
        return new Comparison(maxAbs, maxRel, failures, null);
    }
}
