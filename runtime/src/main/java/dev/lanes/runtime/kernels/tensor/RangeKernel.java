package dev.lanes.runtime.kernels.tensor;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;

/**
 * The sequence {@code start, start + delta, ...} up to (excluding) {@code limit} (Range), of
 * the inputs' dtype; its length is {@code max(ceil((limit - start) / delta), 0)}.
 */
public final class RangeKernel implements Kernel {
    /** The most elements a Range may produce, to keep a bad delta from exhausting memory. */
    static final long MAX_LENGTH = Integer.MAX_VALUE - 8;

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Elements.sameDType(in, "Range");
        for (int i = 0; i < 3; i++) {
            if (in[i] == null || in[i].size() != 1) {
                throw new ShapeException("Range input " + i + " must be a scalar");
            }
        }
        if (in[0].dtype().isFloat()) {
            float start = in[0].floats()[0];
            float delta = in[2].floats()[0];
            int n = length(Math.ceil(((double) in[1].floats()[0] - start) / delta), delta == 0);
            // Every element is written, so the output may be a recycled array.
            Tensor out = ctx.output(n);
            float[] v = out.floats();
            for (int i = 0; i < n; i++) {
                v[i] = start + i * delta;
            }
            return new Tensor[] {out};
        }
        long start = in[0].longs()[0];
        long limit = in[1].longs()[0];
        long delta = in[2].longs()[0];
        if (delta == 0) {
            throw new ShapeException("Range delta is 0");
        }
        long span = limit - start;
        long count = delta > 0 ? Math.ceilDiv(span, delta) : Math.ceilDiv(-span, -delta);
        int n = length(count, false);
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = in[0].dtype().wrap(start + i * delta);
        }
        return new Tensor[] {Tensor.ofLongs(in[0].dtype(), v, n)};
    }

    private static int length(double count, boolean zeroDelta) {
        if (zeroDelta || Double.isNaN(count)) {
            throw new ShapeException("Range delta is 0 or the bounds are not numbers");
        }
        if (count > MAX_LENGTH) {
            throw new ShapeException("Range would produce " + (long) count + " elements");
        }
        return (int) Math.max(0, count);
    }
}
