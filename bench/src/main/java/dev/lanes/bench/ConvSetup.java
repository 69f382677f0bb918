package dev.lanes.bench;

import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.spatial.AutoPad;
import dev.lanes.runtime.kernels.spatial.ConvAttributes;

/** The operands and kernel of one conv layer benchmark: input, weights, bias, batch 1. */
final class ConvSetup {
    private final Kernel kernel;
    private final Tensor[] inputs;
    private final KernelRunner runner;

    ConvSetup(LayerShapes.Conv s, String variant, int threads) {
        ConvAttributes attrs = ConvAttributes.conv(new int[] {s.kernel(), s.kernel()},
                new int[] {s.stride(), s.stride()}, new int[] {1, 1},
                new int[] {s.pad(), s.pad(), s.pad(), s.pad()}, AutoPad.NOTSET, s.group());
        Tensor weights = BenchData.tensor(2, s.outChannels(), s.inChannels() / s.group(),
                s.kernel(), s.kernel());
        kernel = ConvVariants.create(variant, attrs, weights);
        inputs = new Tensor[] {
            BenchData.tensor(1, 1, s.inChannels(), s.height(), s.width()),
            weights,
            BenchData.tensor(3, s.outChannels())};
        runner = new KernelRunner(threads);
    }

    /** Runs the conv once. */
    Tensor run() {
        return runner.run(kernel, inputs);
    }
}
