package dev.lanes.runtime;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A session's memory plans, one per input signature (the element types and shapes of the
 * inputs), made from the first run of each signature. Only the first few signatures get a plan:
 * a server that sees ever new shapes keeps recycling arrays by length instead of holding an
 * arena per shape.
 */
final class MemoryPlans {
    static final int MAX_SIGNATURES = 8;

    private final ConcurrentHashMap<Signature, Entry> bySignature = new ConcurrentHashMap<>();

    /** The plan of these inputs' signature, or null if there is none yet. */
    Entry lookup(Tensor[] inputs) {
        return bySignature.get(Signature.of(inputs));
    }

    /** Whether another signature may get a plan. */
    boolean hasRoom() {
        return bySignature.size() < MAX_SIGNATURES;
    }

    /** Keeps the plan made from a run on these inputs (the first one made wins). */
    void add(Tensor[] inputs, MemoryPlan plan) {
        if (hasRoom()) {
            bySignature.putIfAbsent(Signature.of(inputs), new Entry(plan));
        }
    }

    /** One signature's plan and the arenas of its finished runs. */
    static final class Entry {
        private final MemoryPlan plan;
        private final ConcurrentLinkedQueue<PlannedArena> idle = new ConcurrentLinkedQueue<>();
        private volatile boolean usable = true;

        Entry(MemoryPlan plan) {
            this.plan = plan;
        }

        /** False once a run left the plan: the signature's runs then recycle by length. */
        boolean usable() {
            return usable;
        }

        /** An arena for one run: a finished run's, or a new one. */
        PlannedArena arena() {
            PlannedArena a = idle.poll();
            return a != null ? a : new PlannedArena(plan);
        }

        /** Takes back the arena of a finished run. */
        void finished(PlannedArena a) {
            if (a.diverged()) {
                usable = false;
                idle.clear();
            } else {
                idle.offer(a);
            }
        }
    }

    /** The element types and shapes of a run's inputs. */
    private record Signature(int[] key) {
        static Signature of(Tensor[] inputs) {
            int n = 0;
            for (Tensor t : inputs) {
                n += 2 + t.rank();
            }
            int[] key = new int[n];
            int i = 0;
            for (Tensor t : inputs) {
                key[i++] = t.dtype().ordinal();
                key[i++] = t.rank();
                for (int d : t.shapeView()) {
                    key[i++] = d;
                }
            }
            return new Signature(key);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Signature s && Arrays.equals(key, s.key);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(key);
        }
    }
}
