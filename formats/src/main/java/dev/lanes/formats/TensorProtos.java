package dev.lanes.formats;

import com.google.protobuf.ByteString;
import dev.lanes.errors.ModelFormatException;
import dev.lanes.formats.onnx.Onnx.StringStringEntryProto;
import dev.lanes.formats.onnx.Onnx.TensorProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Converts between {@code onnx.TensorProto} and {@link TensorData}: {@code raw_data} (little
 * endian) and the typed fields, for every type of {@link ElementType}, and external data stored
 * in a file beside the model. Every size is checked against the declared dimensions before any
 * array is allocated.
 */
public final class TensorProtos {
    private TensorProtos() {
    }

    /** Decodes a tensor whose data is inside the message (external data is an error here). */
    public static TensorData decode(TensorProto proto) {
        return decode(proto, null);
    }

    /**
     * Decodes a tensor. {@code baseDir} is the folder of the model file, used to resolve external
     * data; it may be null when the model did not come from a file.
     */
    public static TensorData decode(TensorProto proto, Path baseDir) {
        String name = proto.getName();
        String where = "tensor '" + name + "'";
        ElementType type = ElementType.fromOnnx(proto.getDataType(), where);
        long[] dims = new long[proto.getDimsCount()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = proto.getDims(i);
        }
        int count = (int) TensorData.elementCount(dims, name);
        if (proto.hasSegment()) {
            throw new ModelFormatException(where + ": segmented tensors are not supported");
        }
        if (proto.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            ByteString raw = readExternal(proto, baseDir, where, (long) count * type.rawBytes());
            return new TensorData(name, type, dims, fromRaw(raw, type, count, where));
        }
        if (proto.hasRawData()) {
            return new TensorData(name, type, dims, fromRaw(proto.getRawData(), type, count, where));
        }
        return new TensorData(name, type, dims, fromTyped(proto, type, count, where));
    }

    private static Object fromRaw(ByteString raw, ElementType type, int count, String where) {
        if (type == ElementType.STRING) {
            throw new ModelFormatException(where + ": STRING tensors cannot use raw_data");
        }
        long expected = (long) count * type.rawBytes();
        if (raw.size() != expected) {
            throw new ModelFormatException(where + ": raw_data has " + raw.size()
                    + " bytes but " + type + " x " + count + " elements need " + expected);
        }
        ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case FLOAT -> {
                float[] out = new float[count];
                b.asFloatBuffer().get(out);
                return out;
            }
            case FLOAT16, BFLOAT16 -> {
                float[] out = new float[count];
                for (int i = 0; i < count; i++) {
                    out[i] = halfToFloat(type, b.getShort());
                }
                return out;
            }
            case DOUBLE -> {
                double[] out = new double[count];
                b.asDoubleBuffer().get(out);
                return out;
            }
            default -> {
                long[] out = new long[count];
                for (int i = 0; i < count; i++) {
                    out[i] = switch (type) {
                        case INT8 -> b.get();
                        case UINT8 -> b.get() & 0xFF;
                        case BOOL -> b.get() != 0 ? 1 : 0;
                        case INT16 -> b.getShort();
                        case UINT16 -> b.getShort() & 0xFFFF;
                        case INT32 -> b.getInt();
                        case UINT32 -> b.getInt() & 0xFFFFFFFFL;
                        case INT64, UINT64 -> b.getLong();
                        default -> throw new IllegalStateException(type.toString());
                    };
                }
                return out;
            }
        }
    }

    private static Object fromTyped(TensorProto p, ElementType type, int count, String where) {
        int present = switch (type) {
            case FLOAT -> p.getFloatDataCount();
            case DOUBLE -> p.getDoubleDataCount();
            case INT64 -> p.getInt64DataCount();
            case UINT32, UINT64 -> p.getUint64DataCount();
            case STRING -> p.getStringDataCount();
            default -> p.getInt32DataCount();
        };
        if (present != count) {
            throw new ModelFormatException(where + ": has " + present + " " + type
                    + " values in its typed field but its dims need " + count);
        }
        switch (type) {
            case FLOAT -> {
                float[] out = new float[count];
                for (int i = 0; i < count; i++) {
                    out[i] = p.getFloatData(i);
                }
                return out;
            }
            case FLOAT16, BFLOAT16 -> {
                float[] out = new float[count];
                for (int i = 0; i < count; i++) {
                    out[i] = halfToFloat(type, (short) p.getInt32Data(i));
                }
                return out;
            }
            case DOUBLE -> {
                double[] out = new double[count];
                for (int i = 0; i < count; i++) {
                    out[i] = p.getDoubleData(i);
                }
                return out;
            }
            case STRING -> {
                byte[][] out = new byte[count][];
                for (int i = 0; i < count; i++) {
                    out[i] = p.getStringData(i).toByteArray();
                }
                return out;
            }
            default -> {
                long[] out = new long[count];
                for (int i = 0; i < count; i++) {
                    out[i] = switch (type) {
                        case INT64 -> p.getInt64Data(i);
                        // Values wider than the type keep their low bits, as raw_data would.
                        case UINT32 -> p.getUint64Data(i) & 0xFFFFFFFFL;
                        case UINT64 -> p.getUint64Data(i);
                        case BOOL -> p.getInt32Data(i) != 0 ? 1 : 0;
                        case UINT8 -> p.getInt32Data(i) & 0xFF;
                        case UINT16 -> p.getInt32Data(i) & 0xFFFF;
                        case INT8 -> (byte) p.getInt32Data(i);
                        case INT16 -> (short) p.getInt32Data(i);
                        default -> p.getInt32Data(i);
                    };
                }
                return out;
            }
        }
    }

    private static ByteString readExternal(TensorProto p, Path baseDir, String where, long needed) {
        String location = null;
        long offset = 0;
        Long length = null;
        for (StringStringEntryProto e : p.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = parseLong(e.getValue(), "offset", where);
                case "length" -> length = parseLong(e.getValue(), "length", where);
                default -> { }
            }
        }
        if (location == null || location.isEmpty()) {
            throw new ModelFormatException(where + ": external data without a 'location'");
        }
        if (baseDir == null) {
            throw new ModelFormatException(where + ": external data '" + location
                    + "' but the model was not read from a file, so there is no folder to find it in");
        }
        if (offset < 0) {
            throw new ModelFormatException(where + ": external data offset " + offset
                    + " is negative");
        }
        if (needed > ModelReader.MAX_MODEL_BYTES) {
            throw new ModelFormatException(where + ": external data of " + needed
                    + " bytes is more than one tensor can hold");
        }
        Path base = baseDir.toAbsolutePath().normalize();
        Path file;
        try {
            file = base.resolve(location).normalize();
        } catch (InvalidPathException e) {
            throw new ModelFormatException(where + ": external data location '" + location
                    + "' is not a valid path (" + e.getMessage() + ")", e);
        }
        if (!file.startsWith(base) || file.equals(base)) {
            throw new ModelFormatException(where + ": external data location '" + location
                    + "' points outside the model's folder");
        }
        if (length != null && length != needed) {
            throw new ModelFormatException(where + ": external data length " + length
                    + " but its dims and type need " + needed + " bytes");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            // A symbolic link inside the folder may still lead out of it.
            if (!file.toRealPath().startsWith(base.toRealPath())) {
                throw new ModelFormatException(where + ": external data location '" + location
                        + "' leads outside the model's folder through a link");
            }
            long size = ch.size();
            if (offset > size || needed > size - offset) {
                throw new ModelFormatException(where + ": external data needs bytes " + offset
                        + ".." + (offset + needed) + " of '" + location + "' which has " + size);
            }
            ByteBuffer buf = ByteBuffer.allocate((int) needed);
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) {
                    throw new ModelFormatException(where + ": external data file '" + location
                            + "' ended early");
                }
            }
            buf.flip();
            return ByteString.copyFrom(buf);
        } catch (IOException e) {
            throw new ModelFormatException(where + ": cannot read external data '" + location
                    + "' (" + (Files.exists(file) ? e.getMessage() : "no such file") + ")", e);
        }
    }

    private static long parseLong(String s, String key, String where) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new ModelFormatException(where + ": external data " + key + " '" + s
                    + "' is not a number");
        }
    }

    private static float halfToFloat(ElementType type, short bits) {
        if (type == ElementType.BFLOAT16) {
            return Float.intBitsToFloat((bits & 0xFFFF) << 16);
        }
        return Float.float16ToFloat(bits);
    }

    /** Encodes a tensor with its values in {@code raw_data}, as exporters write weights. */
    public static TensorProto encode(TensorData t) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(t.name())
                .setDataType(t.type().onnxCode());
        for (long d : t.dims()) {
            b.addDims(d);
        }
        if (t.type() == ElementType.STRING) {
            for (byte[] s : (byte[][]) t.values()) {
                b.addStringData(ByteString.copyFrom(s));
            }
            return b.build();
        }
        int n = t.size();
        ByteBuffer buf = ByteBuffer.allocate(n * t.type().rawBytes()).order(ByteOrder.LITTLE_ENDIAN);
        switch (t.type()) {
            case FLOAT -> buf.asFloatBuffer().put(t.floats());
            case FLOAT16 -> Arrays.stream(boxedRange(n)).forEach(i -> buf.putShort(i * 2,
                    Float.floatToFloat16(t.floats()[i])));
            case BFLOAT16 -> Arrays.stream(boxedRange(n)).forEach(i -> buf.putShort(i * 2,
                    (short) (Float.floatToRawIntBits(t.floats()[i]) >>> 16)));
            case DOUBLE -> buf.asDoubleBuffer().put(t.doubles());
            default -> {
                long[] v = t.longs();
                for (int i = 0; i < n; i++) {
                    switch (t.type()) {
                        case INT8, UINT8, BOOL -> buf.put(i, (byte) v[i]);
                        case INT16, UINT16 -> buf.putShort(i * 2, (short) v[i]);
                        case INT32, UINT32 -> buf.putInt(i * 4, (int) v[i]);
                        default -> buf.putLong(i * 8, v[i]);
                    }
                }
            }
        }
        return b.setRawData(ByteString.copyFrom(buf.array())).build();
    }

    private static int[] boxedRange(int n) {
        int[] r = new int[n];
        Arrays.setAll(r, i -> i);
        return r;
    }

    /** Reads a serialized TensorProto file (the {@code input_0.pb} of ONNX test data). */
    public static TensorData read(Path file) {
        try {
            long size = Files.size(file);
            if (size > ModelReader.MAX_MODEL_BYTES) {
                throw new ModelFormatException(file + ": " + size + " bytes is larger than the "
                        + ModelReader.MAX_MODEL_BYTES + " a tensor file may have");
            }
            return decode(TensorProto.parseFrom(Files.readAllBytes(file)), file.getParent());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new ModelFormatException(file + ": not a valid TensorProto (" + e.getMessage()
                    + ")", e);
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read (" + e + ")", e);
        }
    }

    /** Writes a tensor as a serialized TensorProto file. */
    public static void write(TensorData t, Path file) {
        try {
            Files.write(file, encode(t).toByteArray());
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot write (" + e + ")", e);
        }
    }
}
