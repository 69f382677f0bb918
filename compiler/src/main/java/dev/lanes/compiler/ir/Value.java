package dev.lanes.compiler.ir;

import dev.lanes.runtime.Tensor;

/**
 * A value of the graph: a graph input, a constant (initializer or folded), or the output of a
 * node. Mutable while passes run.
 */
public final class Value {
    private final String name;
    private TensorType type = TensorType.UNKNOWN;
    private Tensor constant;
    private Node producer;

    /** A value with the given unique name. */
    public Value(String name) {
        this.name = name;
    }

    /** The graph-unique name. */
    public String name() {
        return name;
    }

    /** What is known of the type and shape. */
    public TensorType type() {
        return type;
    }

    /** Records what is known of the type and shape. */
    public void setType(TensorType type) {
        this.type = type == null ? TensorType.UNKNOWN : type;
    }

    /** The constant value, or null if computed at run time. */
    public Tensor constant() {
        return constant;
    }

    /** True when the value is known at compile time. */
    public boolean isConstant() {
        return constant != null;
    }

    /** Makes the value a constant (its type follows the tensor). */
    public void setConstant(Tensor t) {
        this.constant = t;
        if (t != null) {
            this.type = TensorType.of(t.dtype(), t.shapeView());
            this.producer = null;
        }
    }

    /** The node computing this value, or null for inputs and constants. */
    public Node producer() {
        return producer;
    }

    /** Sets the node computing this value. */
    public void setProducer(Node n) {
        this.producer = n;
    }

    @Override
    public String toString() {
        return name + ":" + type;
    }
}
