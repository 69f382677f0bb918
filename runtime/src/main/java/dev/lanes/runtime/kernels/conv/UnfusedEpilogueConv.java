package dev.lanes.runtime.kernels.conv;

import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.gemm.Epilogue;

/**
 * A convolution kernel that has no fused epilogue, followed by the epilogue as a second pass
 * over its output: gives every algorithm the inputs and result of {@link GemmConv}. Inputs:
 * X, W, optional B, and, when built with a residual, R of the output's shape.
 */
public final class UnfusedEpilogueConv implements Kernel {
    private final Kernel conv;
    private final Epilogue epilogue;
    private final boolean hasResidual;

    /**
     * Wraps a convolution.
     *
     * @param conv        computes {@code conv(X, W) + B} from inputs X, W, B
     * @param epilogue    what follows
     * @param hasResidual true when input 3 is a residual added before the activation
     */
    public UnfusedEpilogueConv(Kernel conv, Epilogue epilogue, boolean hasResidual) {
        this.conv = conv;
        this.epilogue = epilogue;
        this.hasResidual = hasResidual;
    }

    @Override
    public Tensor[] run(Tensor[] in, RunContext ctx) {
        Tensor[] convIn = in.length > 3 ? new Tensor[] {in[0], in[1], in[2]} : in;
        Tensor y = conv.run(convIn, ctx)[0];
        int n = y.dim(0);
        int m = y.dim(1);
        ConvEpilogue.check("Conv", epilogue, m);
        float[] res = ConvEpilogue.residual("Conv", hasResidual && in.length > 3 ? in[3] : null,
                y.shapeView());
        int spatial = n * m == 0 ? 0 : y.size() / (n * m);
        ConvEpilogue.applyInPlace(epilogue, y.floats(), n, m, spatial, res);
        return new Tensor[] {y};
    }
}
