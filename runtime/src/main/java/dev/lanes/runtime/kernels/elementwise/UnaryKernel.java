package dev.lanes.runtime.kernels.elementwise;

import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;

/** A float function applied to each element (reference implementation). */
public final class UnaryKernel implements Kernel {
    /** The function applied to each element. */
    public enum Op {
        RELU
    }

    private final Op op;

    /** A kernel applying {@code op}. */
    public UnaryKernel(Op op) {
        this.op = op;
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        float[] x = in[0].floats();
        Tensor out = Tensor.zeros(in[0].dtype(), in[0].shapeView());
        float[] y = out.floats();
        for (int i = 0; i < x.length; i++) {
            y[i] = switch (op) {
                case RELU -> Math.max(x[i], 0f);
            };
        }
        return new Tensor[] {out};
    }
}
