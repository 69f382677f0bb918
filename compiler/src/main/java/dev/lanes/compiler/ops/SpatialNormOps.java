package dev.lanes.compiler.ops;

import dev.lanes.compiler.ir.Node;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.kernels.spatial.BatchNormKernel;
import dev.lanes.runtime.kernels.spatial.InstanceNormKernel;
import dev.lanes.runtime.kernels.spatial.LrnKernel;

/**
 * BatchNormalization (inference), InstanceNormalization and LRN. The legacy BatchNormalization
 * attributes (consumed_inputs, is_test, spatial, momentum) need no handling in inference: the
 * kernel uses the running statistics and accepts per-channel or per-element parameters.
 */
final class SpatialNormOps {
    private SpatialNormOps() {
    }

    static void register(OpRegistry r) {
        r.register("BatchNormalization", new OpHandler() {
            @Override
            public void inferTypes(Node n) {
                Types.sameAsInput(n);
            }

            @Override
            public Kernel lower(Node n) {
                if (n.getInt("training_mode", 0) != 0) {
                    throw n.error("training_mode=1 is not supported (Lanes runs inference only)");
                }
                SpatialSupport.rejectExtraOutputs(n, 1,
                        "the running and saved statistics exist only in training mode");
                SpatialSupport.requireInputs(n, 5, "X, scale, B, mean, var");
                return new BatchNormKernel(n.getFloat("epsilon", 1e-5f));
            }
        });
        r.register("InstanceNormalization", new OpHandler() {
            @Override
            public void inferTypes(Node n) {
                Types.sameAsInput(n);
            }

            @Override
            public Kernel lower(Node n) {
                SpatialSupport.requireInputs(n, 3, "input, scale, B");
                return new InstanceNormKernel(n.getFloat("epsilon", 1e-5f));
            }
        });
        r.register("LRN", new OpHandler() {
            @Override
            public void inferTypes(Node n) {
                Types.sameAsInput(n);
            }

            @Override
            public Kernel lower(Node n) {
                SpatialSupport.requireInputs(n, 1, "X");
                long size = n.requireInt("size");
                if (size < 1 || size > Integer.MAX_VALUE) {
                    throw n.error("size must be positive, got " + size);
                }
                return new LrnKernel(n.getFloat("alpha", 1e-4f), n.getFloat("beta", 0.75f),
                        n.getFloat("bias", 1f), (int) size);
            }
        });
    }
}
