package dev.lanes.runtime.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.lanes.runtime.DType;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.Plan;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.ValueInfo;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every kernel codec round-trips: a kernel written, read back and written again gives the same
 * bytes, and the kernel read back is of the same class. The ids are pinned, since plan files
 * name kernels by them.
 */
class KernelCodecsTest {
    /** The ids plan files use; renaming one breaks every saved plan that uses it. */
    private static final Set<String> IDS = Set.of("conv.gemm", "conv.implicit_gemm",
            "conv.winograd_f4x4_3x3", "conv.depthwise", "conv.blocked_pointwise",
            "conv_transpose.gemm", "layout.channel_blocks", "conv.blocked_channel_scale",
            "pool.blocked_global_average", "pool.blocked_max", "conv.blocked_direct", "elementwise.binary", "elementwise.variadic",
            "elementwise.clip", "elementwise.unary", "elementwise.cast",
            "elementwise.cast_like", "elementwise.where", "gemm.sgemm", "matmul.sgemm",
            "reduce.reduce", "reduce.arg", "reduce.softmax", "norm.batch", "norm.instance",
            "norm.lrn", "conv.reference", "conv_transpose.direct", "conv_transpose.reference",
            "layout.depth_to_space", "layout.space_to_depth", "layout.pad", "pool.window",
            "pool.global", "resize", "tensor.concat", "tensor.constant",
            "tensor.constant_of_shape", "tensor.eye_like", "tensor.flatten", "tensor.gather",
            "tensor.gather_elements", "tensor.reshape", "tensor.shape", "tensor.slice",
            "tensor.split", "tensor.squeeze", "tensor.unsqueeze", "tensor.tile",
            "tensor.transpose", "tensor.dropout", "tensor.expand", "tensor.identity",
            "tensor.non_zero", "tensor.range", "tensor.size");

    @Test
    void idsAreStable() {
        assertEquals(new TreeSet<>(IDS), new TreeSet<>(KernelCodecs.all().keySet()));
    }

    @Test
    void everyCodecHasASample() {
        Set<String> sampled = new TreeSet<>();
        for (KernelSamples.Sample s : KernelSamples.all()) {
            KernelCodec<?> c = KernelCodecs.forKernel(s.kernel());
            assertNotNull(c, s.kernel().getClass() + " has no codec");
            sampled.add(c.id());
        }
        assertEquals(new TreeSet<>(KernelCodecs.all().keySet()), sampled);
    }

    /**
     * Every kernel class of the runtime has a codec, so that every plan the compiler can make
     * can be saved: a kernel added without one fails here, not in a user's {@code lanes
     * compile}.
     */
    @Test
    void everyKernelClassHasACodec() throws Exception {
        Path classes = Path.of(Kernel.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI());
        List<String> missing = new ArrayList<>();
        int kernels = 0;
        try (Stream<Path> files = Files.walk(classes.resolve("dev/lanes/runtime/kernels"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(f).toString().replace('/', '.')
                        .replace(".class", "");
                Class<?> c = Class.forName(name, false, getClass().getClassLoader());
                if (Kernel.class.isAssignableFrom(c) && !c.isInterface()
                        && !Modifier.isAbstract(c.getModifiers()) && !c.isAnonymousClass()
                        && !c.isSynthetic()) {
                    kernels++;
                    if (KernelCodecs.all().values().stream().noneMatch(k -> k.type() == c)) {
                        missing.add(c.getName());
                    }
                }
            }
        }
        assertEquals(List.of(), missing, "kernel classes without a codec");
        assertEquals(KernelCodecs.all().size(), kernels);
    }

    @Test
    void everySampleRoundTrips() {
        for (KernelSamples.Sample s : KernelSamples.all()) {
            Plan p = oneStep(s.kernel(), s.outputs());
            byte[] first = PlanWriter.toBytes(p, PlanInfo.of("sample"), "sample.lanes");
            Plan back = PlanReader.read(first, "sample.lanes").plan();
            Kernel k = back.steps().get(0).kernel();
            assertSame(s.kernel().getClass(), k.getClass());
            byte[] again = PlanWriter.toBytes(back, PlanInfo.of("sample"), "sample.lanes");
            assertArrayEquals(first, again, "parameters of " + s.kernel().getClass()
                    .getSimpleName() + " change in a round trip");
        }
    }

    /** A plan of one step with no inputs, writing {@code outputs} slots. */
    static Plan oneStep(Kernel k, int outputs) {
        int[] out = new int[outputs];
        List<ValueInfo> infos = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            out[i] = i;
            infos.add(new ValueInfo("y" + i, DType.FLOAT, null, null));
        }
        return new Plan(outputs, List.of(new Plan.Step("n", "Op", k, new int[0], out)),
                new Tensor[outputs], List.of(), new int[0], infos, out);
    }
}
