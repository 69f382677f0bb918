package dev.lanes.compiler.ops;

import dev.lanes.compiler.ir.Node;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.kernels.tensor.DropoutKernel;
import dev.lanes.runtime.kernels.tensor.IdentityKernel;

/**
 * Identity and inference-mode Dropout. The cleanup pass removes them from the graph; these
 * handlers cover what is left (a graph output that is an Identity of an input, a Dropout whose
 * mask is used).
 */
final class IdentityOps {
    private IdentityOps() {
    }

    static void register(OpRegistry r) {
        r.register("Identity", new OpHandler() {
            @Override
            public void inferTypes(Node n) {
                n.output(0).setType(n.input(0).type());
            }

            @Override
            public Kernel lower(Node n) {
                return new IdentityKernel();
            }
        });
        r.register("Dropout", new OpHandler() {
            @Override
            public void inferTypes(Node n) {
                n.output(0).setType(n.input(0).type());
                if (n.outputs().size() > 1) {
                    n.output(1).setType(n.input(0).type().withDType(DType.BOOL));
                }
            }

            @Override
            public Kernel lower(Node n) {
                if (Dropouts.isTraining(n)) {
                    throw n.error("training-mode Dropout is not supported (inference only)");
                }
                return new DropoutKernel();
            }
        });
    }

    /** When a Dropout node is in training mode (then it is not an identity). */
    static final class Dropouts {
        private Dropouts() {
        }

        /** True if the node's training_mode input is present and not a constant false. */
        static boolean isTraining(Node n) {
            if (n.opset() < 12) {
                // Before opset 12 the mode was a property of the run, not the node (is_test
                // in opset < 7 only chose an output); an inference runtime runs inference.
                return false;
            }
            var mode = n.input(2);
            if (mode == null) {
                return false;
            }
            return !mode.isConstant() || mode.constant().getLong(0) != 0;
        }
    }
}
