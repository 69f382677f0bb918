package dev.lanes.compiler.ops;

import dev.lanes.compiler.ir.Node;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.kernels.elementwise.BinaryKernel;
import dev.lanes.runtime.kernels.elementwise.UnaryKernel;

/** Element-wise unary and broadcasting binary operators. */
final class ElementwiseOps {
    private ElementwiseOps() {
    }

    static void register(OpRegistry r) {
        r.register("Relu", new OpHandler() {
            @Override
            public void inferTypes(Node n) {
                Types.sameAsInput(n);
            }

            @Override
            public Kernel lower(Node n) {
                return new UnaryKernel(UnaryKernel.Op.RELU);
            }
        });
        r.register("Add", new OpHandler() {
            @Override
            public void inferTypes(Node n) {
                n.output(0).setType(Types.broadcast(n, null));
            }

            @Override
            public Kernel lower(Node n) {
                return new BinaryKernel(BinaryKernel.Op.ADD);
            }
        });
    }
}
