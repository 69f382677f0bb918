package dev.lanes.cli;

import dev.lanes.training.Backend;
import dev.lanes.training.CpuBackend;

/** The training backend a {@code --backend} option names. */
final class Backends {
    private Backends() {
    }

    /** A backend and what to tell the user about the choice; closing it frees its threads. */
    record Chosen(Backend backend, String description, AutoCloseable resource) implements AutoCloseable {
        @Override
        public void close() {
            try {
                resource.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the " + description + " failed", e);
            }
        }
    }

    /** The backend for {@code name}: cpu, cuda or auto. */
    static Chosen choose(String name, int threads) throws UsageException {
        switch (name) {
            case "cpu" -> {
                return cpu(threads, "");
            }
            case "cuda", "auto" -> {
                String why = "this build has no CUDA backend yet";
                if (name.equals("cuda")) {
                    throw new UsageException("--backend cuda: " + why);
                }
                return cpu(threads, " (auto: CUDA not used: " + why + ")");
            }
            default -> throw new UsageException("--backend: '" + name + "' is not one of cpu, cuda, auto");
        }
    }

    private static Chosen cpu(int threads, String note) {
        CpuBackend cpu = new CpuBackend(threads);
        return new Chosen(cpu, "backend: cpu, " + threads + " thread" + (threads == 1 ? "" : "s") + note, cpu);
    }
}
