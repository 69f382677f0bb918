package dev.lanes.compiler.ops;

import dev.lanes.compiler.ir.Dim;
import dev.lanes.compiler.ir.Value;
import dev.lanes.runtime.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What is known of the contents of small integer vectors that carry shapes (the output of Shape
 * and what Gather, Slice, Unsqueeze, Squeeze and Concat make of it): each element is a known
 * number, a symbolic dimension such as the batch "N", or unknown. Shape inference of Reshape,
 * Expand, Tile and ConstantOfShape reads it, so a shape computed at run time from a symbolic
 * batch still gives static sizes for every other dimension; when every element is known the
 * value can be folded to a constant.
 *
 * <p>The knowledge is derived (recomputed by every inference run) and kept beside the graph, in
 * a map keyed by value identity that does not keep values alive.
 */
public final class ShapeValues {
    /** Vectors longer than this are not tracked (shapes are short). */
    static final int MAX_LENGTH = 64;

    private static final Map<Value, List<Elem>> KNOWN =
            Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * One element of a tracked vector.
     *
     * @param value  the number, when {@code symbol} is null and {@code known} is true
     * @param symbol the symbolic dimension this element equals, or null
     * @param known  true when {@code value} holds the number
     */
    public record Elem(long value, String symbol, boolean known) {
        private static final Elem UNKNOWN = new Elem(0, null, false);

        /** A known number. */
        public static Elem of(long v) {
            return new Elem(v, null, true);
        }

        /** The element a dimension describes. */
        public static Elem of(Dim d) {
            return d.isKnown() ? of(d.value()) : d.symbol() != null ? new Elem(0, d.symbol(),
                    false) : UNKNOWN;
        }

        /** Nothing known. */
        public static Elem unknown() {
            return UNKNOWN;
        }

        /** The dimension this element describes when used as a size. */
        public Dim asDim() {
            return known && value >= 0 ? Dim.of(value) : symbol != null ? Dim.symbol(symbol)
                    : Dim.unknown();
        }

        @Override
        public String toString() {
            return known ? Long.toString(value) : symbol != null ? symbol : "?";
        }
    }

    private ShapeValues() {
    }

    /**
     * The elements of a 0-D or 1-D integer value: from its constant, or from what inference
     * recorded; null when nothing is known.
     */
    public static List<Elem> of(Value v) {
        if (v == null) {
            return null;
        }
        Tensor c = v.constant();
        if (c != null) {
            if (c.dtype().isFloat() || c.rank() > 1 || c.size() > MAX_LENGTH) {
                return null;
            }
            List<Elem> out = new ArrayList<>(c.size());
            for (long x : c.longs()) {
                out.add(Elem.of(x));
            }
            return out;
        }
        return KNOWN.get(v);
    }

    /** Records what is known of a value's elements (null forgets it). */
    public static void set(Value v, List<Elem> elems) {
        if (elems == null || elems.size() > MAX_LENGTH) {
            KNOWN.remove(v);
        } else {
            KNOWN.put(v, List.copyOf(elems));
        }
    }

    /** The numbers when every element is known, else null. */
    public static long[] numbers(List<Elem> elems) {
        if (elems == null) {
            return null;
        }
        long[] out = new long[elems.size()];
        for (int i = 0; i < out.length; i++) {
            if (!elems.get(i).known()) {
                return null;
            }
            out[i] = elems.get(i).value();
        }
        return out;
    }

    /** The constant integers of a value, or null when it is not a constant integer tensor. */
    public static long[] constant(Value v) {
        if (v == null || !v.isConstant() || v.constant().dtype().isFloat()) {
            return null;
        }
        return v.constant().longs();
    }
}
