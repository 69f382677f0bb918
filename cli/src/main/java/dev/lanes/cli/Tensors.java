package dev.lanes.cli;

import dev.lanes.runtime.Tensor;
import java.util.Arrays;
import java.util.Locale;

/** How the commands print tensors: type, shape and the first values. */
final class Tensors {
    private Tensors() {
    }

    /** "FLOAT[1,10]". */
    static String typeAndShape(Tensor t) {
        return t.dtype() + Arrays.toString(t.shapeView()).replace(" ", "");
    }

    /** The first {@code limit} values, "[0.1, 0.2, ...]" with the count when there are more. */
    static String firstValues(Tensor t, int limit) {
        StringBuilder b = new StringBuilder("[");
        int n = Math.min(limit, t.size());
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(t.dtype().isFloat() ? number(t.getDouble(i)) : Long.toString(t.getLong(i)));
        }
        if (t.size() > n) {
            b.append(", ... (").append(t.size()).append(" values)");
        }
        return b.append(']').toString();
    }

    /** A float printed with 6 significant digits. */
    static String number(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return v == 0 ? "0" : Double.toString(v);
        }
        return String.format(Locale.ROOT, "%.6g", v).replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2")
                .replaceFirst("\\.(e|$)", "$1");
    }

    /** Milliseconds from nanoseconds, "12.34 ms". */
    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }
}
