package dev.lanes.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.lanes.runtime.kernels.elementwise.BinaryKernel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One session used from many threads at once gives every caller its own right answer. */
class SessionConcurrencyTest {
    @Test
    void concurrentRunsDoNotInterfere() throws Exception {
        // y = x + x, with a symbolic batch so callers may use different batch sizes.
        Plan plan = new Plan(2,
                List.of(new Plan.Step("add", "Add", new BinaryKernel(BinaryKernel.Op.ADD),
                        new int[] {0, 0}, new int[] {1})),
                new Tensor[2],
                List.of(new ValueInfo("x", DType.FLOAT, new int[] {-1, 3}, new String[] {"N", null})),
                new int[] {0},
                List.of(new ValueInfo("y", DType.FLOAT, new int[] {-1, 3}, new String[] {"N", null})),
                new int[] {1});
        Session s = new Session(plan, new SessionOptions(2));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < 64; t++) {
                int batch = 1 + t % 5;
                float base = t;
                results.add(pool.submit(() -> {
                    for (int rep = 0; rep < 50; rep++) {
                        float[] x = new float[batch * 3];
                        float[] want = new float[x.length];
                        for (int i = 0; i < x.length; i++) {
                            x[i] = base + i + rep;
                            want[i] = 2 * x[i];
                        }
                        Tensor y = s.run(Tensor.of(x, batch, 3)).get("y");
                        assertArrayEquals(want, y.floats());
                    }
                    return null;
                }));
            }
            for (Future<?> f : results) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
