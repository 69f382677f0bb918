package dev.lanes.compiler.ops;

import dev.lanes.compiler.ir.Dim;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.TensorType;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.spatial.DepthToSpaceKernel;
import dev.lanes.runtime.kernels.spatial.PadKernel;
import dev.lanes.runtime.kernels.spatial.SpaceToDepthKernel;
import java.util.ArrayList;
import java.util.List;

/** Pad (attribute form before opset 11, input form after), DepthToSpace and SpaceToDepth. */
final class SpatialLayoutOps {
    private SpatialLayoutOps() {
    }

    static void register(OpRegistry r) {
        r.register("Pad", new OpHandler() {
            @Override
            public void inferTypes(Node n) {
                n.output(0).setType(padType(n));
            }

            @Override
            public Kernel lower(Node n) {
                SpatialSupport.requireInputs(n, 1, "data");
                String m = n.getString("mode", "constant");
                PadKernel.Mode mode = PadKernel.Mode.parse(m);
                if (mode == null) {
                    throw n.error("unknown mode '" + m + "' (expected constant, reflect, edge or"
                            + " wrap)");
                }
                if (n.opset() < 11) {
                    return new PadKernel(mode, attributePads(n), n.getFloat("value", 0f));
                }
                if (!SpatialSupport.present(n, 1)) {
                    throw n.error("input 1 (pads) is missing");
                }
                return new PadKernel(mode);
            }
        });
        r.register("DepthToSpace", new OpHandler() {
            @Override
            public void inferTypes(Node n) {
                long b = n.getInt("blocksize", 0);
                n.output(0).setType(blockType(Types.in(n, 0), b, true));
            }

            @Override
            public Kernel lower(Node n) {
                SpatialSupport.requireInputs(n, 1, "input");
                String mode = n.getString("mode", "DCR");
                if (!mode.equals("DCR") && !mode.equals("CRD")) {
                    throw n.error("mode must be DCR or CRD, got '" + mode + "'");
                }
                return new DepthToSpaceKernel(blocksize(n), mode.equals("CRD"));
            }
        });
        r.register("SpaceToDepth", new OpHandler() {
            @Override
            public void inferTypes(Node n) {
                long b = n.getInt("blocksize", 0);
                n.output(0).setType(blockType(Types.in(n, 0), b, false));
            }

            @Override
            public Kernel lower(Node n) {
                SpatialSupport.requireInputs(n, 1, "input");
                return new SpaceToDepthKernel(blocksize(n));
            }
        });
    }

    private static int blocksize(Node n) {
        long b = n.requireInt("blocksize");
        if (b < 1 || b > 65536) {
            throw n.error("blocksize must be positive, got " + b);
        }
        return (int) b;
    }

    private static TensorType blockType(TensorType x, long b, boolean toSpace) {
        if (!x.hasRank() || x.rank() != 4 || b < 1) {
            return x.hasRank() ? Types.unknownDims(x.dtype(), x.rank())
                    : new TensorType(x.dtype(), null);
        }
        List<Dim> d = x.dims();
        List<Dim> out = new ArrayList<>();
        out.add(d.get(0));
        out.add(scale(d.get(1), toSpace ? 1 : b * b, toSpace ? b * b : 1));
        out.add(scale(d.get(2), toSpace ? b : 1, toSpace ? 1 : b));
        out.add(scale(d.get(3), toSpace ? b : 1, toSpace ? 1 : b));
        return new TensorType(x.dtype(), out);
    }

    private static Dim scale(Dim d, long mul, long div) {
        return d.isKnown() ? Dim.of(d.value() * mul / div) : Dim.unknown();
    }

    /** Pads of the attribute form: Pad-1 calls them 'paddings', Pad-2 'pads'. */
    private static long[] attributePads(Node n) {
        String name = n.has("paddings") ? "paddings" : "pads";
        return n.requireInts(name);
    }

    private static TensorType padType(Node n) {
        TensorType x = Types.in(n, 0);
        if (!x.hasRank()) {
            return new TensorType(x.dtype(), null);
        }
        int rank = x.rank();
        long[] pads;
        int[] axes = null;
        if (n.opset() < 11) {
            String name = n.has("paddings") ? "paddings" : "pads";
            pads = n.getInts(name, null);
        } else {
            Tensor p = SpatialSupport.constant(n, 1);
            pads = p == null || !p.dtype().equals(dev.lanes.runtime.DType.INT64) ? null
                    : p.longs();
            if (SpatialSupport.present(n, 3)) {
                Tensor a = SpatialSupport.constant(n, 3);
                if (a == null) {
                    return Types.unknownDims(x.dtype(), rank);
                }
                axes = new int[a.size()];
                for (int i = 0; i < axes.length; i++) {
                    long v = a.getLong(i);
                    axes[i] = (int) (v < 0 ? v + rank : v);
                }
            }
        }
        if (axes == null) {
            axes = new int[rank];
            for (int i = 0; i < rank; i++) {
                axes[i] = i;
            }
        }
        if (pads == null || pads.length != 2 * axes.length) {
            return Types.unknownDims(x.dtype(), rank);
        }
        List<Dim> out = new ArrayList<>(x.dims());
        for (int i = 0; i < axes.length; i++) {
            if (axes[i] < 0 || axes[i] >= rank) {
                return Types.unknownDims(x.dtype(), rank);
            }
            Dim d = out.get(axes[i]);
            out.set(axes[i], d.isKnown()
                    ? Dim.of(Math.max(0, d.value() + pads[i] + pads[i + axes.length]))
                    : pads[i] == 0 && pads[i + axes.length] == 0 ? d : Dim.unknown());
        }
        return new TensorType(x.dtype(), out);
    }
}
