package dev.lanes.cli;

import java.util.List;
import java.util.Map;

/**
 * Writes JSON from maps (objects, in their iteration order), lists, strings, numbers, booleans
 * and null. Strings are escaped per RFC 8259; a non-finite number is written as null, which JSON
 * has no literal for.
 */
final class Json {
    private Json() {
    }

    /** The JSON text of a value, indented by two spaces per level. */
    static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(value, b, 0);
        return b.toString();
    }

    private static void write(Object value, StringBuilder b, int indent) {
        switch (value) {
            case null -> b.append("null");
            case String s -> quote(s, b);
            case Boolean v -> b.append(v);
            case Double d -> b.append(Double.isFinite(d) ? d.toString() : "null");
            case Float f -> b.append(Float.isFinite(f) ? f.toString() : "null");
            case Number n -> b.append(n);
            case Map<?, ?> m -> {
                if (m.isEmpty()) {
                    b.append("{}");
                    return;
                }
                b.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    b.append(first ? "\n" : ",\n");
                    first = false;
                    pad(b, indent + 1);
                    quote(String.valueOf(e.getKey()), b);
                    b.append(": ");
                    write(e.getValue(), b, indent + 1);
                }
                b.append('\n');
                pad(b, indent);
                b.append('}');
            }
            case List<?> l -> {
                if (l.isEmpty()) {
                    b.append("[]");
                    return;
                }
                boolean scalars = l.stream().noneMatch(x -> x instanceof Map || x instanceof List);
                b.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (scalars) {
                        b.append(i == 0 ? "" : ", ");
                    } else {
                        b.append(i == 0 ? "\n" : ",\n");
                        pad(b, indent + 1);
                    }
                    write(l.get(i), b, indent + 1);
                }
                if (!scalars) {
                    b.append('\n');
                    pad(b, indent);
                }
                b.append(']');
            }
            default -> quote(value.toString(), b);
        }
    }

    private static void pad(StringBuilder b, int indent) {
        b.append("  ".repeat(indent));
    }

    /** Appends {@code s} as a JSON string literal. */
    static void quote(String s, StringBuilder b) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
