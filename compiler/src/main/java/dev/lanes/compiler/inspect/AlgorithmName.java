package dev.lanes.compiler.inspect;

import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ops.ConvAlgorithmChooser;
import dev.lanes.errors.LanesException;
import dev.lanes.runtime.kernels.conv.ConvAlgorithm;

/** The convolution algorithm of a node as the inspect views print it. */
final class AlgorithmName {
    private AlgorithmName() {
    }

    /**
     * The {@link ConvAlgorithm} name the compiler picks for the node on this machine, "" when it
     * is not a convolution or its attributes are invalid (an inspect view reports, it does not
     * fail over one node).
     */
    static String of(Node n) {
        try {
            ConvAlgorithm a = ConvAlgorithmChooser.algorithmOf(n);
            return a == null ? "" : a.name();
        } catch (LanesException e) {
            return "";
        }
    }
}
