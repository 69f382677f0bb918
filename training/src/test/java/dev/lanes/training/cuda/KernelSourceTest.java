package dev.lanes.training.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kernels.cu compiles, and defines every kernel the backend launches. Without a GPU the backend
 * never compiles it at run time, so this test does it with the CUDA compiler when one is
 * installed (nvcc; skipped with the reason otherwise): a typo in the source or a kernel name
 * would otherwise wait for the first machine with a GPU.
 */
class KernelSourceTest {
    private static final Pattern LAUNCH = Pattern.compile("(?:launch|launchBlocks|binary)\\(\"(\\w+)\"");
    private static final Pattern ENTRY = Pattern.compile("\\.entry\\s+(\\w+)");
    private static final Pattern KERNEL = Pattern.compile("__global__\\s+void\\s+(\\w+)\\s*\\(");

    private static String source() throws Exception {
        try (InputStream in = CudaDevice.class.getResourceAsStream("kernels.cu")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Set<String> all(Pattern p, String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void everyLaunchedKernelIsDefined() throws Exception {
        Path backend = Path.of("src/main/java/dev/lanes/training/cuda/CudaBackend.java");
        Assumptions.assumeTrue(Files.isRegularFile(backend), "sources not found from " + Path.of("").toAbsolutePath());
        Set<String> launched = all(LAUNCH, Files.readString(backend));
        Set<String> defined = all(KERNEL, source());
        assertTrue(launched.size() >= 20, launched::toString);
        assertEquals(launched, defined, "kernels launched vs defined");
    }

    @Test
    void theSourceCompilesToPtxWithEveryKernel(@TempDir Path dir) throws Exception {
        Path nvcc = null;
        for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!p.isEmpty() && Files.isExecutable(Path.of(p, "nvcc"))) {
                nvcc = Path.of(p, "nvcc");
                break;
            }
        }
        Assumptions.assumeTrue(nvcc != null, "no nvcc on PATH to compile kernels.cu with");
        Path cu = Files.writeString(dir.resolve("kernels.cu"), source());
        Path ptx = dir.resolve("kernels.ptx");
        Process p = new ProcessBuilder(nvcc.toString(), "-ptx", "--fmad=false", "-o", ptx.toString(), cu.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "nvcc did not finish");
        assertEquals(0, p.exitValue(), log);
        assertEquals(all(KERNEL, source()), all(ENTRY, Files.readString(ptx)), "kernels in the PTX");
    }
}
