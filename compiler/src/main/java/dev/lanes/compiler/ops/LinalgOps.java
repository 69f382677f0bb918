package dev.lanes.compiler.ops;

import dev.lanes.compiler.ir.Dim;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.TensorType;
import dev.lanes.compiler.ir.Value;
import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.gemm.Activation;
import dev.lanes.runtime.kernels.linalg.GemmKernel;
import dev.lanes.runtime.kernels.linalg.MatMulKernel;
import java.util.ArrayList;
import java.util.List;

/**
 * Gemm and MatMul. Gemm's C is optional from opset 11 and broadcast to [M, N] in every opset
 * (the opset 1..6 {@code broadcast} attribute only allowed what numpy allows). A constant B
 * (the weights) is handed to the kernel to be packed once.
 */
final class LinalgOps {
    private LinalgOps() {
    }

    static void register(OpRegistry r) {
        r.register("Gemm", MathHandler.of(LinalgOps::inferGemm,
                n -> gemm(n, Activation.NONE)));
        r.register("MatMul", MathHandler.of(LinalgOps::inferMatMul,
                n -> new MatMulKernel(constantWeights(n))));
    }

    /** A Gemm whose epilogue applies the activation the fusion pass gave it. */
    static OpHandler fusedGemm() {
        return MathHandler.of(LinalgOps::inferGemm, n -> gemm(n, FusedOps.activationOf(n)));
    }

    private static Kernel gemm(Node n, Activation activation) {
        if (n.opset() < 11 && n.input(2) == null) {
            throw n.error("input C is required before opset 11");
        }
        return new GemmKernel(n.getFloat("alpha", 1f), n.getFloat("beta", 1f),
                n.getInt("transA", 0) != 0, n.getInt("transB", 0) != 0, constantWeights(n),
                activation);
    }

    /** B when it is a FLOAT matrix known at compile time (weights, packed once), else null. */
    private static Tensor constantWeights(Node n) {
        Value b = n.input(1);
        if (b == null || !b.isConstant()) {
            return null;
        }
        Tensor t = b.constant();
        return t.dtype() == DType.FLOAT && t.rank() == 2 ? t : null;
    }

    private static void inferGemm(Node n) {
        TensorType a = Types.in(n, 0);
        TensorType b = Types.in(n, 1);
        Dim m = Dim.unknown();
        Dim k1 = Dim.unknown();
        Dim k2 = Dim.unknown();
        Dim cols = Dim.unknown();
        boolean ta = n.getInt("transA", 0) != 0;
        boolean tb = n.getInt("transB", 0) != 0;
        if (a.hasRank() && a.rank() == 2) {
            m = a.dims().get(ta ? 1 : 0);
            k1 = a.dims().get(ta ? 0 : 1);
        }
        if (b.hasRank() && b.rank() == 2) {
            k2 = b.dims().get(tb ? 1 : 0);
            cols = b.dims().get(tb ? 0 : 1);
        }
        if (k1.isKnown() && k2.isKnown() && k1.value() != k2.value()) {
            throw new ShapeException(n.describe() + ": inner dimensions differ (" + k1.value()
                    + " vs " + k2.value() + ")");
        }
        n.output(0).setType(new TensorType(a.dtype() != null ? a.dtype() : b.dtype(),
                List.of(m, cols)));
    }

    private static void inferMatMul(Node n) {
        TensorType a = Types.in(n, 0);
        TensorType b = Types.in(n, 1);
        var dtype = a.dtype() != null ? a.dtype() : b.dtype();
        if (!a.hasRank() || !b.hasRank() || a.rank() == 0 || b.rank() == 0) {
            n.output(0).setType(new TensorType(dtype, null));
            return;
        }
        List<Dim> ad = new ArrayList<>(a.dims());
        List<Dim> bd = new ArrayList<>(b.dims());
        if (ad.size() == 1) {
            ad.add(0, Dim.of(1));
        }
        if (bd.size() == 1) {
            bd.add(Dim.of(1));
        }
        Dim k1 = ad.get(ad.size() - 1);
        Dim k2 = bd.get(bd.size() - 2);
        if (k1.isKnown() && k2.isKnown() && k1.value() != k2.value()) {
            throw new ShapeException(n.describe() + ": inner dimensions differ (" + k1.value()
                    + " vs " + k2.value() + ")");
        }
        List<Dim> ab = ad.subList(0, ad.size() - 2);
        List<Dim> bb = bd.subList(0, bd.size() - 2);
        int rank = Math.max(ab.size(), bb.size());
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            int ia = i - (rank - ab.size());
            int ib = i - (rank - bb.size());
            Dim x = ia >= 0 ? ab.get(ia) : Dim.of(1);
            Dim y = ib >= 0 ? bb.get(ib) : Dim.of(1);
            out.add(batchDim(n, x, y));
        }
        if (a.rank() != 1) {
            out.add(ad.get(ad.size() - 2));
        }
        if (b.rank() != 1) {
            out.add(bd.get(bd.size() - 1));
        }
        n.output(0).setType(new TensorType(dtype, out));
    }

    private static Dim batchDim(Node n, Dim x, Dim y) {
        if (x.isKnown() && x.value() == 1) {
            return y;
        }
        if (y.isKnown() && y.value() == 1) {
            return x;
        }
        if (x.isKnown() && y.isKnown()) {
            if (x.value() != y.value()) {
                throw new ShapeException(n.describe() + ": batch dimensions " + x.value()
                        + " and " + y.value() + " cannot be broadcast");
            }
            return x;
        }
        if (x.isKnown()) {
            return x;
        }
        if (y.isKnown()) {
            return y;
        }
        return x.symbol() != null && x.symbol().equals(y.symbol()) ? x : Dim.unknown();
    }
}
