package dev.lanes.errors;

import java.util.List;

/**
 * A model uses operators (or operator versions) that Lanes does not implement. Raised at load
 * time and listing every unsupported node at once, each with its node name, op type, domain and
 * opset.
 */
public class UnsupportedOperatorException extends LanesException {
    private static final long serialVersionUID = 1L;

    private final List<String> nodes;

    /** Creates an exception listing each unsupported node as one human-readable line. */
    public UnsupportedOperatorException(List<String> nodes) {
        super(nodes.size() + " unsupported node" + (nodes.size() == 1 ? "" : "s") + ":\n  "
                + String.join("\n  ", nodes));
        this.nodes = List.copyOf(nodes);
    }

    /** One line per unsupported node: node name, op type, domain and opset. */
    public List<String> nodes() {
        return nodes;
    }
}
