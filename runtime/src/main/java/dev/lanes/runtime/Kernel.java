package dev.lanes.runtime;

/**
 * One executable step of a {@link Plan}: computes its outputs from its inputs. Output shapes are
 * derived from the actual inputs at run time, so one kernel serves every batch size and every
 * value of a symbolic dimension. Implementations are immutable and safe to call from many
 * threads at once.
 */
public interface Kernel {
    /**
     * Runs the kernel.
     *
     * @param inputs the node's inputs in order; an absent optional input is {@code null}
     * @param ctx    the run's context (threads, options)
     * @return the outputs, one per declared output of the node
     */
    Tensor[] run(Tensor[] inputs, RunContext ctx);
}
