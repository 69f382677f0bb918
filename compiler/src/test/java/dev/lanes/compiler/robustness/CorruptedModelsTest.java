package dev.lanes.compiler.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Damaged model files: truncated at many offsets, bits flipped and bytes overwritten at seeded
 * random positions. Every variant must load and run, or end in a {@code LanesException}; never
 * another exception, an Error or a hang. Positions are seeded, so a failing variant's label
 * (model, kind, offset) reproduces it.
 */
class CorruptedModelsTest {
    /** Small shared models: corrupted in many ways. */
    private static final List<String> SMALL = List.of("lenet_bn", "seed_ops", "mnist-8",
            "tribuo-cnn-mnist");
    /** Large shared models: truncated at a few offsets only, to bound the time. */
    private static final List<String> LARGE = List.of("resnet18", "mobilenet_v2",
            "squeezenet1_1");
    private static final Duration SMALL_LIMIT = Duration.ofSeconds(10);
    private static final Duration LARGE_LIMIT = Duration.ofSeconds(30);

    private static final Map<Attempt.Result, AtomicInteger> TALLY = new ConcurrentHashMap<>();

    private static void attempt(String label, byte[] bytes, Duration limit) {
        Attempt.Outcome o = Attempt.of(label, bytes, limit);
        TALLY.computeIfAbsent(o.result(), k -> new AtomicInteger()).incrementAndGet();
    }

    @AfterAll
    static void jvmIsStillFine() {
        System.out.println("corrupted-model outcomes: " + new TreeMap<>(TALLY));
        Attempt.assertJvmHealthy();
    }

    @Test
    void undamagedTinyModelsRun() {
        for (TinyModels.Named m : TinyModels.all()) {
            Attempt.Outcome o = Attempt.of(m.name(), m.model().toByteArray(), SMALL_LIMIT);
            assertEquals(Attempt.Result.RAN, o.result(), m.name() + ": " + o.error());
        }
    }

    @Test
    void undamagedCnnRunsOnceItsOperatorsExist() {
        Attempt.Outcome o = Attempt.of("mini_cnn", TinyModels.cnn().toByteArray(), SMALL_LIMIT);
        assertTrue(o.result() == Attempt.Result.RAN
                || o.error() instanceof dev.lanes.errors.UnsupportedOperatorException,
                () -> "mini_cnn: " + o.result() + " " + o.error());
    }

    @Test
    void undamagedSharedModelsLoadOrNameWhatIsMissing() {
        for (String m : SMALL) {
            attempt(m, SharedModels.bytes(m), SMALL_LIMIT);
        }
    }

    @TestFactory
    Stream<DynamicTest> truncatedSmallModels() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String m : SMALL) {
            byte[] full = SharedModels.bytes(m);
            for (int cut : cuts(full.length, 24, m.hashCode())) {
                String label = m + " truncated to " + cut + " of " + full.length + " bytes";
                tests.add(DynamicTest.dynamicTest(label,
                        () -> attempt(label, Arrays.copyOf(full, cut), SMALL_LIMIT)));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> truncatedLargeModels() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String m : LARGE) {
            byte[] full = SharedModels.bytes(m);
            for (int cut : new int[] {full.length / 3, full.length - 100, full.length - 1}) {
                String label = m + " truncated to " + cut + " of " + full.length + " bytes";
                tests.add(DynamicTest.dynamicTest(label,
                        () -> attempt(label, Arrays.copyOf(full, cut), LARGE_LIMIT)));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> bitFlippedSmallModels() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String m : SMALL) {
            byte[] full = SharedModels.bytes(m);
            Random r = new Random(31L * m.hashCode() + 1);
            for (int i = 0; i < 24; i++) {
                int pos = structuralPosition(r, full.length);
                int bit = r.nextInt(8);
                String label = m + " bit " + bit + " of byte " + pos + " flipped";
                tests.add(DynamicTest.dynamicTest(label, () -> {
                    byte[] b = full.clone();
                    b[pos] ^= (byte) (1 << bit);
                    attempt(label, b, SMALL_LIMIT);
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> overwrittenSmallModels() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String m : SMALL) {
            byte[] full = SharedModels.bytes(m);
            Random r = new Random(17L * m.hashCode() + 5);
            for (int i = 0; i < 14; i++) {
                int pos = structuralPosition(r, full.length);
                // Values that protobuf finds interesting: varint continuation, max, zero,
                // length-delimited tags, and a run that makes a huge varint.
                byte[][] patterns = {{(byte) 0xFF}, {0}, {(byte) 0x80}, {0x0A}, {0x3A},
                    {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F},
                    {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                        (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01}};
                byte[] p = patterns[i % patterns.length];
                String label = m + " bytes " + pos + ".." + (pos + p.length) + " overwritten with "
                        + hex(p);
                tests.add(DynamicTest.dynamicTest(label, () -> {
                    byte[] b = full.clone();
                    System.arraycopy(p, 0, b, pos, Math.min(p.length, b.length - pos));
                    attempt(label, b, SMALL_LIMIT);
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> damagedTinyModels() {
        // Tiny models are mostly structure (names, shapes, attributes), so nearly every byte
        // changed here reaches the importer and the passes rather than weight values.
        List<DynamicTest> tests = new ArrayList<>();
        List<TinyModels.Named> models = new ArrayList<>(TinyModels.all());
        models.add(new TinyModels.Named("mini_cnn", TinyModels.cnn()));
        for (TinyModels.Named m : models) {
            byte[] full = m.model().toByteArray();
            for (int cut = 1; cut < full.length; cut += 3) {
                int c = cut;
                String label = m.name() + " truncated to " + c + " of " + full.length;
                tests.add(DynamicTest.dynamicTest(label,
                        () -> attempt(label, Arrays.copyOf(full, c), SMALL_LIMIT)));
            }
            Random r = new Random(m.name().hashCode());
            for (int i = 0; i < 70; i++) {
                int pos = r.nextInt(full.length);
                int bit = r.nextInt(8);
                String label = m.name() + " bit " + bit + " of byte " + pos + " flipped";
                tests.add(DynamicTest.dynamicTest(label, () -> {
                    byte[] b = full.clone();
                    b[pos] ^= (byte) (1 << bit);
                    attempt(label, b, SMALL_LIMIT);
                }));
            }
            for (int i = 0; i < 30; i++) {
                int pos = r.nextInt(full.length);
                byte value = (byte) r.nextInt(256);
                String label = m.name() + " byte " + pos + " set to " + hex(new byte[] {value});
                tests.add(DynamicTest.dynamicTest(label, () -> {
                    byte[] b = full.clone();
                    b[pos] = value;
                    attempt(label, b, SMALL_LIMIT);
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void tinyModelBitFlipsSometimesStillRun() {
        // Guards the generator: if no damaged tiny model ever ran, the runs above would only be
        // testing the reader. Flipping a bit in a weight value keeps the model valid.
        byte[] full = TinyModels.addRelu().toByteArray();
        int runs = 0;
        for (int pos = 0; pos < full.length; pos++) {
            byte[] b = full.clone();
            b[pos] ^= 0x01;
            if (Attempt.of("add_relu bit 0 of " + pos, b, SMALL_LIMIT).result()
                    == Attempt.Result.RAN) {
                runs++;
            }
        }
        assertTrue(runs > 0, "no single-bit variant of add_relu ran");
        assertTrue(runs < full.length, "every single-bit variant of add_relu ran");
    }

    /** {@code n} distinct cut points: the first bytes, the last bytes, and seeded ones. */
    private static int[] cuts(int length, int n, long seed) {
        java.util.TreeSet<Integer> s = new java.util.TreeSet<>(List.of(1, 2, 3, 5, 8, 16,
                length / 2, length - 2, length - 1));
        Random r = new Random(seed);
        while (s.size() < n) {
            s.add(1 + r.nextInt(length - 1));
        }
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * A position biased toward structure: exporters write nodes before initializers and the
     * graph inputs and outputs after them, so a third of the positions fall in the first 4 KiB,
     * a third in the last 1 KiB, the rest anywhere (mostly weights).
     */
    private static int structuralPosition(Random r, int length) {
        return switch (r.nextInt(3)) {
            case 0 -> r.nextInt(Math.min(length, 4096));
            case 1 -> length - 1 - r.nextInt(Math.min(length, 1024));
            default -> r.nextInt(length);
        };
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02X", x));
        }
        return s.toString();
    }
}
