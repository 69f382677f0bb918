package dev.lanes.compiler.ops;

import dev.lanes.compiler.ir.Node;
import dev.lanes.runtime.Kernel;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An {@link OpHandler} assembled from a type-inference function and a lowering function, so
 * the element-wise, reduction and matrix families can declare many small handlers compactly.
 */
final class MathHandler implements OpHandler {
    private final Consumer<Node> infer;
    private final Function<Node, Kernel> lower;
    private final int minOpset;

    private MathHandler(Consumer<Node> infer, Function<Node, Kernel> lower, int minOpset) {
        this.infer = infer;
        this.lower = lower;
        this.minOpset = minOpset;
    }

    /** A handler for every opset. */
    static OpHandler of(Consumer<Node> infer, Function<Node, Kernel> lower) {
        return new MathHandler(infer, lower, 1);
    }

    /** A handler for opsets from {@code minOpset} on (ops introduced later). */
    static OpHandler since(int minOpset, Consumer<Node> infer, Function<Node, Kernel> lower) {
        return new MathHandler(infer, lower, minOpset);
    }

    @Override
    public int minOpset() {
        return minOpset;
    }

    @Override
    public void inferTypes(Node node) {
        infer.accept(node);
    }

    @Override
    public Kernel lower(Node node) {
        return lower.apply(node);
    }
}
