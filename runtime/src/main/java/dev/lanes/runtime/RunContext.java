package dev.lanes.runtime;

/**
 * What a kernel may use during one run besides its inputs: the threads it may split its work
 * across.
 */
public final class RunContext {
    private static final RunContext SERIAL = new RunContext(1);

    private final int threads;
    private final WorkerPool pool;
    private final RunBuffers buffers;
    /** Inputs of the running step whose arrays it may write its output over. */
    private float[][] writable = new float[0][];

    /** A context allowing {@code threads} threads (1 or more), allocating fresh arrays. */
    public RunContext(int threads) {
        this(threads, null);
    }

    /** A context whose output arrays come from {@code buffers} (null: fresh arrays). */
    public RunContext(int threads, BufferPool buffers) {
        this(threads, (RunBuffers) buffers);
    }

    /** A context whose output arrays come from {@code buffers} (null: fresh arrays). */
    RunContext(int threads, RunBuffers buffers) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be 1 or more, got " + threads);
        }
        this.threads = threads;
        this.pool = WorkerPool.shared(threads);
        this.buffers = buffers;
    }

    /**
     * A FLOAT tensor for a kernel's output whose contents are UNDEFINED: the kernel must write
     * every element. In a session run the array is recycled from earlier runs and may be
     * longer than the tensor (see {@link Tensor#floats()}). Called by the thread that runs the
     * kernel, not from its parallel tasks, so that every run takes its arrays in the same order.
     */
    public Tensor output(int... shape) {
        int n = Tensor.checkedSize(shape);
        return buffers == null ? Tensor.zeros(DType.FLOAT, shape)
                : Tensor.ofRecycled(buffers.take(n), shape);
    }

    /**
     * A FLOAT output like {@link #output} that may be the array of {@code donor}, an input of
     * the step, when the session allows it: the donor's value dies at this step and nothing else
     * holds its array. A kernel asks for it only if it reads every element of the donor before
     * it writes the output element at the same index, and reads the donor nowhere else (a
     * residual added in the epilogue of a tile whose other inputs are in registers).
     */
    public Tensor outputOver(Tensor donor, int... shape) {
        if (donor != null && donor.dtype().isFloat()) {
            float[] a = donor.floats();
            for (int i = 0; i < writable.length; i++) {
                if (writable[i] == a && a.length >= Tensor.checkedSize(shape)) {
                    writable[i] = null;
                    return Tensor.ofRecycled(a, shape);
                }
            }
        }
        return output(shape);
    }

    /** Sets the arrays the next step may write over (see outputOver); none when empty. */
    void writableInputs(float[][] arrays) {
        writable = arrays;
    }

    /**
     * At least {@code length} scratch floats with undefined contents, recycled like outputs,
     * valid during the step; taken by the kernel's own thread, like {@link #output}.
     */
    public float[] scratch(int length) {
        if (buffers == null) {
            return new float[length];
        }
        return buffers.take(length);
    }

    /**
     * Hands back an array from {@link #scratch}, or of an {@link #output} the kernel does not
     * return (a partial result), once the kernel is done with it.
     */
    public void releaseScratch(float[] a) {
        if (buffers != null) {
            buffers.retain(a);
            buffers.release(a);
        }
    }

    /** The pool that runs a kernel's parallel tasks. */
    public WorkerPool pool() {
        return pool;
    }

    /** A single-threaded context, as used for constant folding. */
    public static RunContext serial() {
        return SERIAL;
    }

    /** How many threads a kernel may use. */
    public int threads() {
        return threads;
    }
}
