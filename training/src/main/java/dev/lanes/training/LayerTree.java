package dev.lanes.training;

import java.util.ArrayList;
import java.util.List;

/** The layers inside a model: what code that looks for a kind of layer walks. */
public final class LayerTree {
    private LayerTree() {
    }

    /**
     * The leaf layers under {@code root} in forward order: the layers of a Sequential, a
     * residual block's main path then its shortcut, recursively; a leaf is its own list.
     */
    public static List<Layer> leaves(Layer root) {
        List<Layer> out = new ArrayList<>();
        collect(root, out);
        return out;
    }

    private static void collect(Layer layer, List<Layer> out) {
        if (layer instanceof Sequential s) {
            for (Layer l : s.layers()) {
                collect(l, out);
            }
        } else if (layer instanceof Residual r) {
            collect(r.main(), out);
            if (r.shortcut() != null) {
                collect(r.shortcut(), out);
            }
        } else {
            out.add(layer);
        }
    }
}
