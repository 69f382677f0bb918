package dev.lanes.compiler.ops;

import dev.lanes.compiler.ir.Node;
import dev.lanes.runtime.Kernel;

/**
 * Everything the compiler knows about one operator type: which opset versions it supports, how
 * its outputs' types and shapes follow from its inputs, and how a node becomes a runtime
 * {@link Kernel}. Attribute forms that changed between opsets (attributes that became inputs,
 * changed defaults) are resolved here, so kernels see one form.
 */
public interface OpHandler {
    /** The oldest opset version of the default domain this handler implements. */
    default int minOpset() {
        return 1;
    }

    /** The newest opset version this handler implements. */
    default int maxOpset() {
        return 25;
    }

    /**
     * Sets the types of the node's outputs from what is known of its inputs (and constant
     * inputs). May leave an output unknown; must not throw for unknown inputs. Throws
     * {@link dev.lanes.errors.ShapeException} or {@link dev.lanes.errors.ModelFormatException}
     * when the known shapes cannot work.
     */
    void inferTypes(Node node);

    /**
     * Builds the kernel for the node, validating its attributes; a bad attribute is a
     * {@link dev.lanes.errors.ModelFormatException} naming the node.
     */
    Kernel lower(Node node);
}
