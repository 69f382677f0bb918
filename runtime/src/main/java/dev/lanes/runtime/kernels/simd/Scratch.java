package dev.lanes.runtime.kernels.simd;

/**
 * Per-thread float scratch for kernels that need a small working buffer per task: grown on
 * demand and kept, so steady-state runs do not allocate it. A buffer is valid until the same
 * thread asks again; its contents are whatever the last user left, which a user can rely on
 * only after {@link Slot#claim} says it was the last user.
 */
public final class Scratch {
    private static final ThreadLocal<Slot> SLOT = ThreadLocal.withInitial(Slot::new);

    private Scratch() {
    }

    /** This thread's scratch slot. */
    public static Slot slot() {
        return SLOT.get();
    }

    /** One thread's buffer and the key of its last user. */
    public static final class Slot {
        private float[] buffer = new float[0];
        private Object key;

        private Slot() {
        }

        /** The buffer, at least {@code n} floats long (a new one forgets the last user). */
        public float[] buffer(int n) {
            if (buffer.length < n) {
                buffer = new float[n];
                key = null;
            }
            return buffer;
        }

        /**
         * Records {@code user} as the buffer's user and tells whether it already was (so the
         * buffer still holds what it left). A null user is never the last one.
         */
        public boolean claim(Object user) {
            boolean same = user != null && key == user;
            key = user;
            return same;
        }
    }
}
