package dev.lanes.runtime;

import java.util.Arrays;

/**
 * The declared signature of a model input or output: its name, element type and dimensions.
 * A dimension is either fixed ({@code dims[i] >= 0}) or free ({@code dims[i] == -1}); a free
 * dimension may carry a symbol ({@code symbols[i]}, such as "N"): every dimension with the same
 * symbol must have the same size in one run.
 *
 * @param name    the graph's name for the value
 * @param dtype   the element type
 * @param dims    each dimension, -1 where free; null when even the rank is unknown
 * @param symbols the symbol of each free dimension, or null entries where it has none
 */
public record ValueInfo(String name, DType dtype, int[] dims, String[] symbols) {

    /** The dimensions written the way ONNX tools print them: [N,3,224,224]. */
    public String shapeString() {
        if (dims == null) {
            return "[?]";
        }
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            if (dims[i] >= 0) {
                b.append(dims[i]);
            } else {
                b.append(symbols != null && symbols[i] != null ? symbols[i] : "?");
            }
        }
        return b.append(']').toString();
    }

    @Override
    public String toString() {
        return name + ": " + dtype + shapeString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ValueInfo v && name.equals(v.name) && dtype == v.dtype
                && Arrays.equals(dims, v.dims) && Arrays.equals(symbols, v.symbols);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(dims);
    }
}
