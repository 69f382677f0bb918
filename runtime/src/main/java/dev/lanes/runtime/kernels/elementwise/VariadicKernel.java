package dev.lanes.runtime.kernels.elementwise;

import dev.lanes.runtime.DType;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;

/**
 * Sum, Mean, Max and Min over one or more inputs with numpy broadcasting: folds the inputs
 * pairwise with a {@link BinaryKernel}; Mean then divides by the input count.
 */
public final class VariadicKernel implements Kernel {
    private final BinaryKernel fold;
    private final boolean mean;

    /**
     * A kernel folding with {@code op} (ADD, MAX or MIN); {@code mean} divides the ADD result by
     * the number of inputs.
     */
    public VariadicKernel(BinaryKernel.Op op, boolean mean) {
        this.fold = new BinaryKernel(op);
        this.mean = mean;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putEnum("op", fold.op()).putBool("mean", mean);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters. */
    static VariadicKernel readParams(ParamReader in) {
        return new VariadicKernel(in.getEnum("op", BinaryKernel.Op.class), in.getBool("mean"));
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor acc = in[0];
        for (int i = 1; i < in.length; i++) {
            Tensor next = fold.run(new Tensor[] {acc, in[i]}, ctx)[0];
            if (i > 1 && acc.dtype().isFloat()) {
                // A partial result of this step, dead now: its array goes back to the run.
                ctx.releaseScratch(acc.floats());
            }
            acc = next;
        }
        if (mean && in.length > 1) {
            if (acc.dtype().isFloat()) {
                float[] v = acc.floats();
                float k = in.length;
                for (int i = 0, n = acc.size(); i < n; i++) {
                    v[i] /= k;
                }
            } else {
                long[] v = acc.longs();
                DType t = acc.dtype();
                for (int i = 0; i < v.length; i++) {
                    v[i] = t.wrap(v[i] / in.length);
                }
            }
        }
        return new Tensor[] {acc};
    }
}
