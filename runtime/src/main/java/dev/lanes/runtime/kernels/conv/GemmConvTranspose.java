package dev.lanes.runtime.kernels.conv;

import dev.lanes.errors.ShapeException;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.gemm.Epilogue;
import dev.lanes.runtime.kernels.gemm.PackedA;
import dev.lanes.runtime.kernels.gemm.RowMajorB;
import dev.lanes.runtime.kernels.gemm.Sgemm;
import dev.lanes.runtime.kernels.spatial.ConvAttributes;
import dev.lanes.runtime.kernels.spatial.ConvTransposeGeometry;
import dev.lanes.runtime.kernels.spatial.ConvTransposeKernel;
import dev.lanes.runtime.kernels.spatial.Window;
import dev.lanes.runtime.plan.ParamReader;
import dev.lanes.runtime.plan.ParamWriter;
import java.util.Arrays;

/**
 * ConvTranspose (1-D to 3-D, groups, strides, dilations, pads, output padding) as one packed
 * GEMM per image and group, {@code col = W_g^T x X_g} ([M/group * kernel x input cells]),
 * followed by col2im, which adds each column cell into the output cell it lands on; then the
 * bias. The transposed weights are packed once when given at construction.
 *
 * <p>Inputs: X [N, C, spatial...], W [C, M/group, k...], optional B [M].
 */
public final class GemmConvTranspose implements Kernel {
    private final ConvAttributes attrs;
    private final Tensor weights;
    private final PackedA[] packed;

    /**
     * A transposed convolution.
     *
     * @param attrs   the resolved attributes
     * @param weights the constant weights (packed now), or null when W comes at run time
     */
    public GemmConvTranspose(ConvAttributes attrs, Tensor weights) {
        this.attrs = attrs;
        this.weights = weights;
        this.packed = GemmConv.packable(weights, attrs.group()) ? pack(weights, attrs.group())
                : null;
    }

    /** Writes what {@link #readParams} needs to rebuild this kernel (plan files). */
    void writeParams(ParamWriter out) {
        out.putRecord("attrs", attrs, ConvAttributes::writeTo).putTensor("weights", weights);
    }

    /** Rebuilds a kernel from {@link #writeParams}'s parameters, packing its weights again. */
    static GemmConvTranspose readParams(ParamReader in) {
        return new GemmConvTranspose(in.requireRecord("attrs", ConvAttributes::readFrom),
                in.tensor("weights"));
    }

    /** Each group's weights [C/group x M/group * kernel] packed transposed. */
    static PackedA[] pack(Tensor w, int groups) {
        int[] ws = w.shapeView();
        if (ws.length < 3 || ws[0] % groups != 0) {
            throw new ShapeException("ConvTranspose: W " + Arrays.toString(ws)
                    + " must have rank 3 to 5 and a multiple of group " + groups + " channels");
        }
        int cg = ws[0] / groups;
        int rows = Tensor.checkedSize(Arrays.copyOfRange(ws, 1, ws.length));
        PackedA[] a = new PackedA[groups];
        for (int g = 0; g < groups; g++) {
            a[g] = PackedA.pack(w.floats(), g * cg * rows, rows, rows, cg, true);
        }
        return a;
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor x = in[0];
        Tensor w = in[1];
        Window win = ConvTransposeGeometry.of(attrs, x, w);
        int n = x.dim(0);
        int c = x.dim(1);
        int g = attrs.group();
        int cg = c / g;
        int mg = w.dim(1);
        int m = mg * g;
        Tensor b = in.length > 2 ? in[2] : null;
        if (b != null && b.size() != m) {
            throw new ShapeException("ConvTranspose: bias B has " + b.size()
                    + " values, expected " + m);
        }
        Tensor out = ctx.output(ConvTransposeGeometry.outShape(n, m, win));
        if (out.size() == 0) {
            return new Tensor[] {out};
        }
        PackedA[] a = packed != null && (w == weights || w.floats() == weights.floats())
                ? packed : pack(w, g);
        float[] xs = x.floats();
        float[] ys = out.floats();
        // The window's "input" is the output here, and its "output" the input.
        int inSize = win.outSize();
        int outSize = win.inSize();
        int rows = Tensor.checkedSize(mg, win.kernelSize());
        int colSize = Tensor.checkedSize(rows, inSize);
        int tasks = n * g;
        int threads = ctx.threads();
        boolean splitTasks = threads > 1 && tasks >= threads
                && (tasks % threads == 0 || tasks >= 4 * threads || inSize <= Sgemm.NC);
        RunContext inner = splitTasks ? RunContext.serial() : ctx;
        float[] shared = splitTasks ? null : new float[colSize];
        java.util.function.IntConsumer body = t -> {
            int img = t / g;
            int grp = t % g;
            float[] col = shared != null ? shared : new float[colSize];
            // col2im adds into this task's block of the output, which in a recycled array
            // holds anything: the task zeroes it first.
            int block = (img * m + grp * mg) * outSize;
            Arrays.fill(ys, block, block + mg * outSize, 0f);
            Sgemm.multiply(a[grp], new RowMajorB(xs, (img * c + grp * cg) * inSize, inSize, cg,
                    inSize, false), col, 0, inSize, Epilogue.NONE, null, 0, 0, inner);
            ConvTransposeKernel.col2im(col, mg, win, ys, block);
        };
        if (splitTasks) {
            ctx.pool().parallelFor(tasks, body);
        } else {
            for (int t = 0; t < tasks; t++) {
                body.accept(t);
            }
        }
        if (b != null) {
            ConvEpilogue.applyInPlace(Epilogue.bias(b.floats()), ys, n, m, outSize, null);
        }
        return new Tensor[] {out};
    }
}
