package dev.lanes.runtime.plan;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.lanes.errors.ModelFormatException;
import dev.lanes.formats.FileBytes;
import dev.lanes.formats.plan.LanesPlan;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.Kernel;
import dev.lanes.runtime.Plan;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.ValueInfo;
import dev.lanes.runtime.WorkerPool;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Loads a plan file ({@code lanes.proto}) into a {@link Plan} with runtime code alone: no
 * compiler, no passes, each kernel rebuilt by its {@link KernelCodec} (which packs its weights).
 *
 * <p>The file is untrusted. Every problem is a {@link ModelFormatException} naming the file and
 * what is wrong: not a plan, another format version, truncated or damaged bytes (protobuf's own
 * checks and the body's CRC-32C), and in the body every slot, constant reference, dimension and
 * data length is checked before it is used, so that nothing is allocated beyond what the file's
 * own size implies.
 */
public final class PlanReader {
    /** The largest plan file (protobuf's limit for one message is 2 GiB). */
    public static final long MAX_PLAN_BYTES = Integer.MAX_VALUE - 8;

    private PlanReader() {
    }

    /** Reads a plan file. */
    public static SavedPlan read(Path file) {
        return read(FileBytes.read(file, MAX_PLAN_BYTES, "a plan file may have"),
                file.toString());
    }

    /** Reads a plan held in memory; {@code source} names it in errors. */
    public static SavedPlan read(byte[] bytes, String source) {
        Where file = new Where(source);
        if (!PlanFormat.isPlan(bytes)) {
            throw file.error(bytes.length == 0 ? "empty file, not a Lanes plan"
                    : "not a Lanes plan (it does not start with the magic '" + PlanFormat.MAGIC
                    + "')");
        }
        Header h = header(bytes, file);
        if (h.version != PlanFormat.VERSION) {
            throw file.error("plan format version " + h.version + " (written by "
                    + (h.producer.isEmpty() ? "an unknown producer" : h.producer)
                    + "); this Lanes reads version " + PlanFormat.VERSION
                    + ": compile the model again with 'lanes compile'");
        }
        LanesPlan.PlanFile envelope;
        try {
            envelope = LanesPlan.PlanFile.parseFrom(stream(bytes));
        } catch (InvalidProtocolBufferException e) {
            throw file.error("truncated or damaged plan file (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw file.error("cannot parse (" + e + ")", e);
        }
        if (envelope.getBody().isEmpty()) {
            // A plan always has a body (its compile info at least): the file was cut short.
            throw file.error("truncated plan file: it ends before the plan's body");
        }
        CRC32C crc = new CRC32C();
        crc.update(envelope.getBody().asReadOnlyByteBuffer());
        if ((int) crc.getValue() != envelope.getBodyCrc32C()) {
            throw file.error("damaged plan file: the body's CRC-32C is "
                    + Integer.toHexString((int) crc.getValue()) + ", the file says "
                    + Integer.toHexString(envelope.getBodyCrc32C()));
        }
        LanesPlan.PlanBody body;
        try {
            CodedInputStream in = envelope.getBody().newCodedInput();
            // The tensors' bytes stay views of the file's array until they become floats.
            in.enableAliasing(true);
            in.setSizeLimit(envelope.getBody().size());
            in.setRecursionLimit(64);
            body = LanesPlan.PlanBody.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw file.error("damaged plan body (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw file.error("cannot parse the plan body (" + e + ")", e);
        }
        try {
            return new SavedPlan(new Loader(body, file).plan(), info(body.getCompileInfo()),
                    envelope.getProducer());
        } catch (OutOfMemoryError e) {
            // Every allocation is bounded by the file, but a file may still exceed the heap.
            throw file.error(heapMessage(), e);
        }
    }

    private static String heapMessage() {
        return "does not fit in the Java heap (" + Runtime.getRuntime().maxMemory() / (1 << 20)
                + " MiB; see -Xmx)";
    }

    /** The threads that decode tensors and build kernels: one per core. */
    private static WorkerPool pool() {
        return WorkerPool.shared(Runtime.getRuntime().availableProcessors());
    }

    private static CodedInputStream stream(byte[] bytes) {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        // The body stays a view of the array: no copy of the weights before they are read.
        in.enableAliasing(true);
        in.setSizeLimit(bytes.length);
        in.setRecursionLimit(64);
        return in;
    }

    /** The envelope's version and producer, which precede the body. */
    private record Header(int version, String producer) {
    }

    /**
     * Reads the envelope's fields up to the body, so that a file of another version is named as
     * such even when its body would not parse (or is cut off).
     */
    private static Header header(byte[] bytes, Where file) {
        CodedInputStream in = stream(bytes);
        int version = 0;
        String producer = "";
        try {
            while (true) {
                int tag = in.readTag();
                int field = WireFormat.getTagFieldNumber(tag);
                if (tag == 0 || field >= 4) {
                    break;
                }
                if (field == 2 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
                    version = in.readUInt32();
                } else if (field == 3
                        && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    producer = in.readStringRequireUtf8();
                } else if (!in.skipField(tag)) {
                    break;
                }
            }
        } catch (IOException e) {
            throw file.error("truncated or damaged plan file header (" + e.getMessage() + ")",
                    e);
        }
        return new Header(version, producer);
    }

    private static PlanInfo info(LanesPlan.CompileInfo c) {
        return new PlanInfo(c.getSource(), c.getBatch(), c.getThreads(),
                c.getDisabledPassesList(), c.getVectorFloats());
    }

    /** Turns a parsed body into a plan, checking each reference as it goes. */
    private static final class Loader {
        private final LanesPlan.PlanBody body;
        private final Where file;
        private final int slotCount;
        /** What filled each slot so far ("input 0 'x'", "step 3 ..."), null for none yet. */
        private final String[] filledBy;

        Loader(LanesPlan.PlanBody body, Where file) {
            this.body = body;
            this.file = file;
            long refs = (long) body.getInputsCount() + body.getConstantsCount();
            for (LanesPlan.Step s : body.getStepsList()) {
                refs += s.getOutputsCount();
            }
            // Each slot is filled by an input, a constant or a step's output: a larger count
            // is a damaged file, and bounding it bounds the arrays below by the file's size.
            long count = Integer.toUnsignedLong(body.getSlotCount());
            if (count > refs) {
                throw file.error("slot_count is " + count + " but inputs, constants and step"
                        + " outputs fill only " + refs + " slots");
            }
            this.slotCount = (int) count;
            this.filledBy = new String[slotCount];
        }

        Plan plan() {
            List<ValueInfo> inputs = new ArrayList<>();
            int[] inputSlots = new int[body.getInputsCount()];
            for (int i = 0; i < inputSlots.length; i++) {
                LanesPlan.ValueSignature v = body.getInputs(i);
                Where at = file.in("input " + i + " '" + v.getName() + "'");
                inputs.add(signature(v, at));
                inputSlots[i] = fill(v.getSlot(), at);
            }
            List<Tensor> constants = constants();
            Tensor[] slotConstants = new Tensor[slotCount];
            for (int i = 0; i < body.getConstantsCount(); i++) {
                LanesPlan.Constant c = body.getConstants(i);
                if (c.getSlot() != -1) {
                    slotConstants[fill(c.getSlot(), file.in("constant " + i))] = constants.get(i);
                }
            }
            List<Plan.Step> steps = steps(constants);
            List<ValueInfo> outputs = new ArrayList<>();
            int[] outputSlots = new int[body.getOutputsCount()];
            for (int i = 0; i < outputSlots.length; i++) {
                LanesPlan.ValueSignature v = body.getOutputs(i);
                Where at = file.in("output " + i + " '" + v.getName() + "'");
                outputs.add(signature(v, at));
                outputSlots[i] = filled(v.getSlot(), at);
            }
            for (int s = 0; s < slotCount; s++) {
                if (filledBy[s] == null) {
                    throw file.error("slot " + s + " is filled by no input, constant or step");
                }
            }
            return new Plan(slotCount, steps, slotConstants, inputs, inputSlots, outputs,
                    outputSlots);
        }

        /** The constant table's tensors, decoded in parallel; the first failure is reported. */
        private List<Tensor> constants() {
            int n = body.getConstantsCount();
            Tensor[] tensors = new Tensor[n];
            ModelFormatException[] errors = new ModelFormatException[n];
            pool().parallelFor(n, i -> {
                Where at = file.in("constant " + i);
                try {
                    tensors[i] = Tensors.fromProto(body.getConstants(i).getTensor(), at);
                } catch (ModelFormatException e) {
                    errors[i] = e;
                } catch (OutOfMemoryError e) {
                    errors[i] = at.error(heapMessage(), e);
                }
            });
            for (ModelFormatException e : errors) {
                if (e != null) {
                    throw e;
                }
            }
            return List.of(tensors);
        }

        /** A step whose slots are checked and whose kernel is still to be built. */
        private record Pending(LanesPlan.Step proto, Where at, KernelCodec<?> codec, int[] in,
                int[] out) {
        }

        /**
         * The steps: slots checked in order (each read must follow the write), then the kernels
         * built in parallel (packing weights is most of a load's time), and the first failure
         * in step order reported.
         */
        private List<Plan.Step> steps(List<Tensor> constants) {
            List<Pending> pending = new ArrayList<>();
            for (int i = 0; i < body.getStepsCount(); i++) {
                pending.add(pending(i, body.getSteps(i)));
            }
            Kernel[] kernels = new Kernel[pending.size()];
            ModelFormatException[] errors = new ModelFormatException[pending.size()];
            pool().parallelFor(pending.size(), i -> {
                try {
                    kernels[i] = kernel(pending.get(i), constants);
                } catch (ModelFormatException e) {
                    errors[i] = e;
                } catch (OutOfMemoryError e) {
                    errors[i] = pending.get(i).at().error(heapMessage(), e);
                }
            });
            List<Plan.Step> steps = new ArrayList<>();
            for (int i = 0; i < kernels.length; i++) {
                if (errors[i] != null) {
                    throw errors[i];
                }
                Pending p = pending.get(i);
                steps.add(new Plan.Step(p.proto().getNodeName(), p.proto().getOpType(),
                        kernels[i], p.in(), p.out()));
            }
            return steps;
        }

        private Pending pending(int index, LanesPlan.Step s) {
            Where at = file.in("step " + index + " '" + s.getNodeName() + "' (" + s.getOpType()
                    + ", kernel " + s.getKernel() + ")");
            int[] in = new int[s.getInputsCount()];
            for (int i = 0; i < in.length; i++) {
                int slot = s.getInputs(i);
                in[i] = slot == -1 ? -1 : filled(slot, at.in("input " + i));
            }
            KernelCodec<?> codec = KernelCodecs.forId(s.getKernel());
            if (codec == null) {
                throw at.error("unknown kernel id '" + s.getKernel() + "' (this runtime has "
                        + KernelCodecs.all().size() + " kernels; was the plan written by a"
                        + " newer Lanes?)");
            }
            int[] out = new int[s.getOutputsCount()];
            for (int i = 0; i < out.length; i++) {
                out[i] = fill(s.getOutputs(i), at.in("output " + i));
            }
            return new Pending(s, at, codec, in, out);
        }

        /** Builds a step's kernel; any failure is a format error naming the step. */
        private static Kernel kernel(Pending p, List<Tensor> constants) {
            Where at = p.at();
            try {
                ParamReader params = new ParamReader(p.proto().getParams(), constants, at, "",
                        p.out().length);
                Kernel k = p.codec().read(params);
                params.checkAllRead();
                return k;
            } catch (ModelFormatException e) {
                throw e.getMessage().startsWith(at.toString()) ? e : at.error(e.getMessage(), e);
            } catch (RuntimeException e) {
                // A kernel's constructor refusing its parameters (inconsistent sizes, a shape
                // it cannot take): the file is wrong, not the runtime.
                throw at.error("the kernel refuses its parameters (" + e.getMessage() + ")", e);
            }
        }

        /** Marks a slot filled, refusing one out of range or filled before. */
        private int fill(long slot, Where at) {
            int s = inRange(slot, at);
            if (filledBy[s] != null) {
                throw at.error("writes slot " + s + ", which " + filledBy[s] + " already fills");
            }
            filledBy[s] = at.part();
            return s;
        }

        /** A slot read: it must be filled by an input, a constant or an earlier step. */
        private int filled(long slot, Where at) {
            int s = inRange(slot, at);
            if (filledBy[s] == null) {
                throw at.error("reads slot " + s + " before any input, constant or step fills"
                        + " it");
            }
            return s;
        }

        private int inRange(long slot, Where at) {
            if (slot < 0 || slot >= slotCount) {
                throw at.error("slot " + slot + " is out of range (slot_count " + slotCount
                        + ")");
            }
            return (int) slot;
        }

        private ValueInfo signature(LanesPlan.ValueSignature v, Where at) {
            DType dtype = Tensors.dtype(v.getDtype(), at, "dtype");
            if (!v.getRankKnown()) {
                if (v.getDimsCount() > 0) {
                    throw at.error("has dims but rank_known is false");
                }
                return new ValueInfo(v.getName(), dtype, null, null);
            }
            int[] dims = new int[v.getDimsCount()];
            String[] symbols = new String[dims.length];
            for (int i = 0; i < dims.length; i++) {
                LanesPlan.Dim d = v.getDims(i);
                if (d.getSize() < -1 || d.getSize() > Integer.MAX_VALUE) {
                    throw at.error("dims[" + i + "] is " + d.getSize()
                            + " (a size, or -1 when free)");
                }
                dims[i] = (int) d.getSize();
                symbols[i] = d.getSymbol().isEmpty() ? null : d.getSymbol();
            }
            return new ValueInfo(v.getName(), dtype, dims, symbols);
        }
    }
}
