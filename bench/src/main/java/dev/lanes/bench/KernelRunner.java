package dev.lanes.bench;

import dev.lanes.runtime.BufferPool;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;

/**
 * Runs one kernel the way a session does: its outputs and scratch come from a buffer pool that
 * gets them back after each run. Without it every run allocated its output (a fresh, zeroed
 * array: a 56x56x144 output is 1.8 MB of memset and page faults), which measured up to a sixth
 * of a 1x1 convolution's time, none of which a model run pays.
 */
final class KernelRunner {
    private final BufferPool buffers = new BufferPool();
    private final RunContext ctx;

    KernelRunner(int threads) {
        ctx = new RunContext(threads, buffers);
    }

    /** The first output of one run; its array is reused by the next run. */
    Tensor run(Kernel kernel, Tensor[] inputs) {
        Tensor out = kernel.run(inputs, ctx)[0];
        buffers.releaseAll();
        return out;
    }
}
