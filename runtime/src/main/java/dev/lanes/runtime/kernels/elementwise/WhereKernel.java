package dev.lanes.runtime.kernels.elementwise;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;

/** Where: {@code cond ? x : y} element-wise with three-way numpy broadcasting. */
public final class WhereKernel implements Kernel {
    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor c = in[0];
        Tensor x = in[1];
        Tensor y = in[2];
        if (x.dtype() != y.dtype()) {
            throw new ShapeException("Where: X is " + x.dtype() + " but Y is " + y.dtype());
        }
        RowPlan p = new RowPlan(c.shapeView(), x.shapeView(), y.shapeView());
        // Every element is written, so a float output may be a recycled array.
        Tensor out = x.dtype().isFloat() ? ctx.output(p.shape)
                : Tensor.zeros(x.dtype(), p.shape);
        long[] cond = c.longs();
        int n = p.length;
        int cs = p.steps[0];
        int xs = p.steps[1];
        int ys = p.steps[2];
        boolean isFloat = x.dtype().isFloat();
        for (int r = 0; r < p.rows; r++) {
            int co = p.starts[0][r];
            int xo = p.starts[1][r];
            int yo = p.starts[2][r];
            int zo = r * n;
            if (isFloat) {
                float[] a = x.floats();
                float[] b = y.floats();
                float[] z = out.floats();
                for (int i = 0; i < n; i++) {
                    z[zo + i] = cond[co + i * cs] != 0 ? a[xo + i * xs] : b[yo + i * ys];
                }
            } else {
                long[] a = x.longs();
                long[] b = y.longs();
                long[] z = out.longs();
                for (int i = 0; i < n; i++) {
                    z[zo + i] = cond[co + i * cs] != 0 ? a[xo + i * xs] : b[yo + i * ys];
                }
            }
        }
        return new Tensor[] {out};
    }
}
