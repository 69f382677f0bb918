package dev.lanes.compiler.ops;

import dev.lanes.compiler.ir.Dim;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.TensorType;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.kernels.conv.BlockedMaxPool;
import dev.lanes.runtime.kernels.spatial.GlobalPoolKernel;
import dev.lanes.runtime.kernels.spatial.PoolKernel;
import java.util.ArrayList;
import java.util.List;

/**
 * MaxPool, AveragePool, LpPool and their Global forms. Attributes added by later opsets
 * (storage_order, ceil_mode, dilations, count_include_pad) are simply absent in older models, and
 * LpPool-1's FLOAT p is read like the later INT p.
 */
final class SpatialPoolOps {
    private SpatialPoolOps() {
    }

    static void register(OpRegistry r) {
        r.register("MaxPool", pool(PoolKernel.Type.MAX));
        r.register("AveragePool", pool(PoolKernel.Type.AVERAGE));
        r.register("LpPool", pool(PoolKernel.Type.LP));
        r.register("GlobalMaxPool", global(PoolKernel.Type.MAX));
        r.register("GlobalAveragePool", global(PoolKernel.Type.AVERAGE));
        r.register("GlobalLpPool", global(PoolKernel.Type.LP));
    }

    private static OpHandler pool(PoolKernel.Type type) {
        return new OpHandler() {
            @Override
            public void inferTypes(Node n) {
                TensorType x = Types.in(n, 0);
                TensorType y = SpatialSupport.windowType(x, SpatialSupport.dim(x, 1),
                        n.getIntArray("kernel_shape", null), n.getIntArray("strides", null),
                        n.getIntArray("dilations", null), n.getIntArray("pads", null),
                        SpatialSupport.autoPad(n), n.getInt("ceil_mode", 0) != 0);
                n.output(0).setType(y);
                if (n.outputs().size() > 1) {
                    n.output(1).setType(y.withDType(DType.INT64));
                }
            }

            @Override
            public Kernel lower(Node n) {
                SpatialSupport.requireInputs(n, 1, "X");
                int[] k = n.getIntArray("kernel_shape", null);
                if (k == null) {
                    throw n.error("missing required attribute 'kernel_shape'");
                }
                int r = k.length;
                if (r < 1 || r > 3) {
                    throw n.error("kernel_shape must have 1 to 3 values, got " + r);
                }
                int[] strides = SpatialSupport.ints(n, "strides", r);
                int[] dilations = SpatialSupport.ints(n, "dilations", r);
                int[] pads = SpatialSupport.ints(n, "pads", 2 * r);
                SpatialSupport.positive(n, "kernel_shape", k);
                SpatialSupport.positive(n, "strides", strides);
                SpatialSupport.positive(n, "dilations", dilations);
                SpatialSupport.nonNegative(n, "pads", pads);
                long storage = n.getInt("storage_order", 0);
                if (storage != 0 && storage != 1) {
                    throw n.error("storage_order must be 0 or 1, got " + storage);
                }
                float p = SpatialSupport.number(n, "p", 2f);
                if (type == PoolKernel.Type.LP && !(p > 0)) {
                    throw n.error("p must be positive, got " + p);
                }
                boolean indices = type == PoolKernel.Type.MAX && SpatialSupport.outputUsed(n, 1);
                if (type != PoolKernel.Type.MAX) {
                    SpatialSupport.rejectExtraOutputs(n, 1, "the operator has one output");
                }
                return new PoolKernel(type, k, strides, dilations, pads,
                        SpatialSupport.autoPad(n), n.getInt("ceil_mode", 0) != 0,
                        n.getInt("count_include_pad", 0) != 0, p, storage == 1, indices);
            }
        };
    }

    /**
     * A 2-D MaxPool of channel blocks (see UseChannelBlocks): MaxPool's attributes and output
     * type; its input and output are in blocks.
     */
    static OpHandler blockedMaxPool() {
        OpHandler planar = pool(PoolKernel.Type.MAX);
        return new OpHandler() {
            @Override
            public void inferTypes(Node n) {
                planar.inferTypes(n);
            }

            @Override
            public Kernel lower(Node n) {
                SpatialSupport.requireInputs(n, 1, "X");
                int[] k = n.getIntArray("kernel_shape", null);
                if (k == null || k.length != 2) {
                    throw n.error("a blocked MaxPool needs a 2-D kernel_shape, got " + java.util.Arrays.toString(k));
                }
                int[] strides = SpatialSupport.ints(n, "strides", 2);
                int[] dilations = SpatialSupport.ints(n, "dilations", 2);
                int[] pads = SpatialSupport.ints(n, "pads", 4);
                SpatialSupport.positive(n, "kernel_shape", k);
                SpatialSupport.positive(n, "strides", strides);
                SpatialSupport.positive(n, "dilations", dilations);
                SpatialSupport.nonNegative(n, "pads", pads);
                SpatialSupport.rejectExtraOutputs(n, 1, "a blocked MaxPool has no Indices output");
                return new BlockedMaxPool(k, strides, dilations, pads, SpatialSupport.autoPad(n),
                        n.getInt("ceil_mode", 0) != 0);
            }
        };
    }

    /** A global pool's output type: X's with every spatial size 1. */
    static void globalType(Node n) {
        TensorType x = Types.in(n, 0);
        if (!x.hasRank()) {
            n.output(0).setType(new TensorType(x.dtype(), null));
            return;
        }
        List<Dim> dims = new ArrayList<>(x.dims());
        for (int i = 2; i < dims.size(); i++) {
            dims.set(i, Dim.of(1));
        }
        n.output(0).setType(new TensorType(x.dtype(), dims));
    }

    private static OpHandler global(PoolKernel.Type type) {
        return new OpHandler() {
            @Override
            public void inferTypes(Node n) {
                globalType(n);
            }

            @Override
            public Kernel lower(Node n) {
                SpatialSupport.requireInputs(n, 1, "X");
                float p = SpatialSupport.number(n, "p", 2f);
                if (type == PoolKernel.Type.LP && !(p > 0)) {
                    throw n.error("p must be positive, got " + p);
                }
                return new GlobalPoolKernel(type, p);
            }
        };
    }
}
