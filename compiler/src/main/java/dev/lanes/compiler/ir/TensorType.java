package dev.lanes.compiler.ir;

import dev.lanes.runtime.DType;
import java.util.Arrays;
import java.util.List;

/**
 * What the compiler knows of a value: its element type (null if unknown) and its dimensions
 * (null if even the rank is unknown).
 *
 * @param dtype the element type, or null
 * @param dims  the dimensions, or null
 */
public record TensorType(DType dtype, List<Dim> dims) {
    /** Nothing known. */
    public static final TensorType UNKNOWN = new TensorType(null, null);

    /** Copies the dimension list. */
    public TensorType {
        dims = dims == null ? null : List.copyOf(dims);
    }

    /** A type with fully known dimensions. */
    public static TensorType of(DType dtype, long... dims) {
        return new TensorType(dtype, Arrays.stream(dims).mapToObj(Dim::of).toList());
    }

    /** A type with known dimensions given as ints. */
    public static TensorType of(DType dtype, int[] dims) {
        return new TensorType(dtype, Arrays.stream(dims).mapToObj(Dim::of).toList());
    }

    /** True when the rank is known. */
    public boolean hasRank() {
        return dims != null;
    }

    /** The rank; only when {@link #hasRank()}. */
    public int rank() {
        return dims.size();
    }

    /** True when every dimension has a known size. */
    public boolean isStatic() {
        return dims != null && dims.stream().allMatch(Dim::isKnown);
    }

    /** The dimensions as ints; only when {@link #isStatic()}. */
    public int[] staticShape() {
        return dims.stream().mapToInt(d -> Math.toIntExact(d.value())).toArray();
    }

    /** The same dimensions with another element type. */
    public TensorType withDType(DType d) {
        return new TensorType(d, dims);
    }

    @Override
    public String toString() {
        return (dtype == null ? "?" : dtype.toString()) + (dims == null ? "[?]" : dims.toString());
    }
}
