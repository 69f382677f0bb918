package dev.lanes.training.data;

/**
 * A small random generator whose sequence is fixed by this file, not by the JDK: SplitMix64
 * (Steele, Lea and Flood, 2014). A seeded run shuffles and augments the same way on every JDK
 * and every machine, which a checkpoint resume and a repeatable CPU run rely on.
 *
 * <p>{@link #derive} gives independent streams for (seed, purpose, epoch, index), so an epoch's
 * order or one example's augmentation can be recomputed without replaying what came before.
 */
public final class SeededRandom {
    private static final long GOLDEN = 0x9e3779b97f4a7c15L;
    private long state;

    /** A generator starting from {@code seed}. */
    public SeededRandom(long seed) {
        this.state = seed;
    }

    /** A generator for one stream of {@code seed}, keyed by any number of longs. */
    public static SeededRandom derive(long seed, long... keys) {
        long s = mix(seed + GOLDEN);
        for (long k : keys) {
            s = mix(s ^ mix(k + GOLDEN));
        }
        return new SeededRandom(s);
    }

    /** The next 64 random bits. */
    public long nextLong() {
        state += GOLDEN;
        return mix(state);
    }

    /** A uniform int in [0, bound), without the bias of a plain modulo. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        // Rejection on 63 bits, as java.util.Random.nextLong(bound) does: redraw the few values
        // in the incomplete last block so every residue is equally likely.
        while (true) {
            long u = nextLong() >>> 1;
            long r = u % bound;
            if (u - r + (bound - 1) >= 0) {
                return (int) r;
            }
        }
    }

    /** A uniform double in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
