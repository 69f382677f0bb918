package dev.lanes.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Central finite differences in double precision on a reference forward pass, compared with a
 * layer's analytic (float) gradient.
 *
 * <p>The scalar checked is L(p) = sum_i r_i f(p)_i for fixed random weights r; the layer's
 * backward gets r as its output gradient, so its result must be dL/dp. With step 1e-6 on a
 * double function the truncation error is about 1e-12 times the third derivative and the
 * rounding error about 1e-16 / 1e-6 = 1e-10: both far below the tolerance. What remains is the
 * float rounding of the analytic gradient: relative errors near 1e-7 per operation, growing with
 * the square root of the terms summed (a few thousand here), so about 1e-5 of the largest entry
 * at worst. The tolerance, 1e-4 of the largest entry, leaves a margin of ten over that and is
 * still a thousand times below the error of a missing term or a wrong index.
 */
final class GradCheck {
    static final double STEP = 1e-6;
    static final double TOLERANCE = 1e-4;

    private GradCheck() {
    }

    /** Values uniform in [-1, 1). */
    static float[] uniform(SplittableRandom rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return a;
    }

    /** Values at least 0.05 away from zero, so a finite step never crosses ReLU's kink. */
    static float[] awayFromZero(SplittableRandom rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            double m = 0.05 + 0.95 * rng.nextDouble();
            a[i] = (float) (rng.nextBoolean() ? m : -m);
        }
        return a;
    }

    /**
     * Distinct values spaced 0.01 apart in random order: no two are within a finite step, so
     * the maximum of a window does not change under the step.
     */
    static float[] distinct(SplittableRandom rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (0.01 * (i - n / 2));
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            float t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    /** Checks that {@code analytic} is dL/dp at {@code point} for L(p) = r . f(p). */
    static void check(String what, float[] point, Function<double[], double[]> f, float[] r, float[] analytic) {
        double[] p = Ref.toDouble(point);
        assertEquals(p.length, analytic.length, what + ": gradient size");
        double[] numeric = new double[p.length];
        double scale = 1e-3; // gradients this small everywhere are compared absolutely
        for (int j = 0; j < p.length; j++) {
            double keep = p[j];
            p[j] = keep + STEP;
            double up = dot(r, f.apply(p));
            p[j] = keep - STEP;
            double down = dot(r, f.apply(p));
            p[j] = keep;
            numeric[j] = (up - down) / (2 * STEP);
            scale = Math.max(scale, Math.abs(numeric[j]));
        }
        for (int j = 0; j < p.length; j++) {
            double err = Math.abs(analytic[j] - numeric[j]);
            if (err > TOLERANCE * scale) {
                fail(what + ": gradient entry " + j + " is " + analytic[j] + ", finite differences give "
                        + numeric[j] + " (error " + err + ", allowed " + TOLERANCE * scale + ")");
            }
        }
    }

    /** Checks a float forward result against the double reference, relative to its largest entry. */
    static void checkForward(String what, double[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": output size");
        double scale = 1e-3;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i] - actual[i]) > TOLERANCE * scale) {
                fail(what + ": output " + i + " is " + actual[i] + ", the reference " + expected[i]);
            }
        }
    }

    private static double dot(float[] r, double[] y) {
        assertEquals(r.length, y.length, "output size");
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += r[i] * y[i];
        }
        return s;
    }
}
