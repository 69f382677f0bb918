package dev.lanes.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * Peak Java heap use while the benchmark runs: the JVM tracks each heap pool's peak (eden,
 * survivor, old...); {@link #reset()} starts a new window and {@link #peakBytes()} sums the pools'
 * peaks since. The sum bounds the true peak from above (pools peak at different moments) and
 * covers only the Java heap, not native memory such as ONNX Runtime's.
 */
final class BenchMemory {
    private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans()
            .stream().filter(p -> p.getType() == MemoryType.HEAP && p.isValid()).toList();

    /** Starts a new measuring window. */
    void reset() {
        for (MemoryPoolMXBean p : heapPools) {
            p.resetPeakUsage();
        }
    }

    /** The sum of the heap pools' peak use since the last {@link #reset()}, in bytes. */
    long peakBytes() {
        long sum = 0;
        for (MemoryPoolMXBean p : heapPools) {
            sum += p.getPeakUsage().getUsed();
        }
        return sum;
    }
}
