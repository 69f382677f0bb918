package dev.lanes.compiler.inspect;

import dev.lanes.compiler.ir.Dim;
import dev.lanes.compiler.ir.TensorType;

/** Shapes written the way ONNX tools print them, the one form every inspect view uses. */
public final class ShapeText {
    private ShapeText() {
    }

    /** [1,64,56,56]; symbols and "?" stand for sizes not known; [?] when the rank is unknown. */
    public static String of(TensorType t) {
        if (!t.hasRank()) {
            return "[?]";
        }
        return "[" + String.join(",", t.dims().stream().map(Dim::toString).toList()) + "]";
    }
}
