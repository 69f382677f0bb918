package dev.lanes.runtime.kernels.simd;

/**
 * Per-thread float scratch for kernels that need a small working buffer per task: grown on
 * demand and kept, so steady-state runs do not allocate it. A buffer is valid until the same
 * thread asks again; its contents are whatever the last user left.
 */
public final class Scratch {
    private static final ThreadLocal<float[][]> BUFFER =
            ThreadLocal.withInitial(() -> new float[1][0]);

    private Scratch() {
    }

    /** This thread's buffer, at least {@code n} floats long. */
    public static float[] floats(int n) {
        float[][] holder = BUFFER.get();
        if (holder[0].length < n) {
            holder[0] = new float[n];
        }
        return holder[0];
    }
}
