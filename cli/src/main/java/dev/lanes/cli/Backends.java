package dev.lanes.cli;

import dev.lanes.errors.LanesException;
import dev.lanes.training.Backend;
import dev.lanes.training.CpuBackend;
import dev.lanes.training.cuda.CudaBackend;

/** The training backend a {@code --backend} option names, and what to tell the user about it. */
final class Backends {
    private Backends() {
    }

    /** A backend and the line that says which it is; closing it frees its threads or its GPU. */
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

    /**
     * The backend for {@code name}: cpu; cuda (a failure naming the reason when CUDA cannot run
     * here); or auto, cuda when its probe succeeds and cpu otherwise, saying which and why.
     */
    static Chosen choose(String name, int threads) throws UsageException {
        switch (name) {
            case "cpu" -> {
                return cpu(threads, "");
            }
            case "cuda", "auto" -> {
                CudaBackend.Availability a = CudaBackend.probe();
                if (a.available()) {
                    CudaBackend cuda = CudaBackend.open();
                    return new Chosen(cuda, "backend: cuda (" + a.description() + ")"
                            + (name.equals("auto") ? ", picked by auto" : ""), cuda);
                }
                if (name.equals("cuda")) {
                    throw new LanesException("--backend cuda: CUDA cannot be used here: " + a.description());
                }
                return cpu(threads, " (picked by auto: CUDA cannot be used here: " + a.description() + ")");
            }
            default -> throw new UsageException("--backend: '" + name + "' is not one of cpu, cuda, auto");
        }
    }

    private static Chosen cpu(int threads, String note) {
        CpuBackend cpu = new CpuBackend(threads);
        return new Chosen(cpu, "backend: cpu, " + threads + " thread" + (threads == 1 ? "" : "s") + note, cpu);
    }
}
