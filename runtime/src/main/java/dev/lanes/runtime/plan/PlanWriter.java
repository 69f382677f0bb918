package dev.lanes.runtime.plan;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.lanes.errors.LanesException;
import dev.lanes.formats.plan.LanesPlan;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.Plan;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.ValueInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes a {@link Plan} as a plan file ({@code lanes.proto}): each step's kernel through its
 * {@link KernelCodec}, the constants once each, the signatures. A plan with a kernel that has no
 * codec cannot be saved; the error lists every such step with its node, operator and kernel.
 */
public final class PlanWriter {
    /** What the files say wrote them. */
    static final String PRODUCER = "lanes "
            + (PlanWriter.class.getPackage().getImplementationVersion() != null
            ? PlanWriter.class.getPackage().getImplementationVersion() : "(development build)");

    private PlanWriter() {
    }

    /**
     * Writes the plan to a file, replacing it only once the whole file is written (a failed
     * write leaves no half plan behind).
     */
    public static void write(Plan plan, PlanInfo info, Path file) {
        byte[] bytes = toBytes(plan, info, file.getFileName().toString());
        Path dir = file.toAbsolutePath().getParent();
        try {
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    out.write(bytes);
                }
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The plan file's bytes; {@code name} names the plan in errors. */
    public static byte[] toBytes(Plan plan, PlanInfo info, String name) {
        ByteString body = UnsafeByteOperations.unsafeWrap(body(plan, info, name).toByteArray());
        CRC32C crc = new CRC32C();
        crc.update(body.asReadOnlyByteBuffer());
        return LanesPlan.PlanFile.newBuilder()
                .setMagic(PlanFormat.MAGIC)
                .setFormatVersion(PlanFormat.VERSION)
                .setProducer(PRODUCER)
                .setBody(body)
                .setBodyCrc32C((int) crc.getValue())
                .build().toByteArray();
    }

    private static LanesPlan.PlanBody body(Plan plan, PlanInfo info, String name) {
        LanesPlan.PlanBody.Builder b = LanesPlan.PlanBody.newBuilder()
                .setCompileInfo(LanesPlan.CompileInfo.newBuilder()
                        .setSource(info.source())
                        .setBatch(info.batch())
                        .setThreads(info.threads())
                        .addAllDisabledPasses(info.disabledPasses())
                        .setVectorFloats(info.vectorFloats()))
                .setSlotCount(plan.slotCount());
        for (int i = 0; i < plan.inputs().size(); i++) {
            b.addInputs(signature(plan.inputs().get(i), plan.inputSlot(i)));
        }
        for (int i = 0; i < plan.outputs().size(); i++) {
            b.addOutputs(signature(plan.outputs().get(i), plan.outputSlot(i)));
        }
        ConstantTable constants = new ConstantTable();
        for (int s = 0; s < plan.slotCount(); s++) {
            Tensor t = plan.constant(s);
            if (t != null) {
                constants.addSlot(t, s);
            }
        }
        List<String> unsaved = new ArrayList<>();
        for (int i = 0; i < plan.steps().size(); i++) {
            Plan.Step st = plan.steps().get(i);
            Kernel k = st.kernel();
            KernelCodec<?> codec = KernelCodecs.forKernel(k);
            String step = "step " + i + " '" + st.name() + "' (" + st.opType() + ")";
            if (codec == null) {
                unsaved.add(step + ": kernel " + k.getClass().getName());
                continue;
            }
            ParamWriter params = new ParamWriter(constants, name + ": " + step + ", kernel "
                    + codec.id());
            codec.write(k, params);
            LanesPlan.Step.Builder sb = LanesPlan.Step.newBuilder()
                    .setOpType(st.opType())
                    .setNodeName(st.name())
                    .setKernel(codec.id())
                    .setParams(params.build());
            for (int in : st.inputs()) {
                sb.addInputs(in);
            }
            for (int out : st.outputs()) {
                sb.addOutputs(out);
            }
            b.addSteps(sb);
        }
        if (!unsaved.isEmpty()) {
            throw new LanesException("cannot save " + name + ": " + unsaved.size() + " step"
                    + (unsaved.size() == 1 ? " has a kernel" : "s have kernels")
                    + " without a plan codec (see dev.lanes.runtime.plan.KernelCodecs):\n  "
                    + String.join("\n  ", unsaved));
        }
        b.addAllConstants(constants.entries());
        return b.build();
    }

    private static LanesPlan.ValueSignature signature(ValueInfo v, int slot) {
        LanesPlan.ValueSignature.Builder b = LanesPlan.ValueSignature.newBuilder()
                .setName(v.name())
                .setDtype(Tensors.dataType(v.dtype()))
                .setSlot(slot)
                .setRankKnown(v.dims() != null);
        if (v.dims() != null) {
            for (int i = 0; i < v.dims().length; i++) {
                String sym = v.symbols() == null ? null : v.symbols()[i];
                b.addDims(LanesPlan.Dim.newBuilder().setSize(v.dims()[i])
                        .setSymbol(sym == null ? "" : sym));
            }
        }
        return b.build();
    }
}
