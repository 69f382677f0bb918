package dev.lanes.compiler.ops;

import dev.lanes.compiler.ir.Node;
import dev.lanes.runtime.Kernel;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An {@link OpHandler} made of two functions, for the tensor and shape operators whose
 * inference and lowering are short.
 *
 * @param infer sets the node's output types
 * @param lower builds the node's kernel
 */
record TensorHandler(Consumer<Node> infer, Function<Node, Kernel> lower) implements OpHandler {
    @Override
    public void inferTypes(Node node) {
        infer.accept(node);
    }

    @Override
    public Kernel lower(Node node) {
        return lower.apply(node);
    }
}
