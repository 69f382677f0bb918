package dev.lanes.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {
    @Test
    void everyTaskRunsExactlyOnce() {
        WorkerPool pool = WorkerPool.shared(2);
        // Task counts around the chunk sizes (about 8 chunks per thread, the last one short).
        for (int tasks : new int[] {1, 2, 3, 15, 16, 17, 33, 1000, 4099}) {
            AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
            for (int rep = 0; rep < 50; rep++) {
                pool.parallelFor(tasks, runs::incrementAndGet);
            }
            for (int i = 0; i < tasks; i++) {
                assertEquals(50, runs.get(i), "task " + i + " of " + tasks);
            }
        }
    }

    @Test
    void aFailingTaskFailsTheLoopAndThePoolStaysUsable() {
        WorkerPool pool = WorkerPool.shared(2);
        var e = assertThrows(IllegalArgumentException.class, () -> pool.parallelFor(8, i -> {
            if (i == 5) {
                throw new IllegalArgumentException("task 5");
            }
        }));
        assertEquals("task 5", e.getMessage());
        // Inside a chunk of many tasks too.
        var e2 = assertThrows(IllegalArgumentException.class, () -> pool.parallelFor(1000,
                i -> {
                    if (i == 777) {
                        throw new IllegalArgumentException("task 777");
                    }
                }));
        assertEquals("task 777", e2.getMessage());
        AtomicIntegerArray runs = new AtomicIntegerArray(8);
        pool.parallelFor(8, runs::incrementAndGet);
        for (int i = 0; i < 8; i++) {
            assertEquals(1, runs.get(i));
        }
    }

    @Test
    void nestedAndConcurrentLoopsComplete() throws Exception {
        WorkerPool pool = WorkerPool.shared(2);
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                results.add(callers.submit(() -> {
                    AtomicIntegerArray runs = new AtomicIntegerArray(16 * 16);
                    for (int rep = 0; rep < 20; rep++) {
                        pool.parallelFor(16, i -> pool.parallelFor(16,
                                j -> runs.incrementAndGet(i * 16 + j)));
                    }
                    int total = 0;
                    for (int i = 0; i < runs.length(); i++) {
                        total += runs.get(i);
                    }
                    return total;
                }));
            }
            for (Future<Integer> f : results) {
                assertEquals(20 * 16 * 16, f.get());
            }
        } finally {
            callers.shutdownNow();
        }
    }
}
