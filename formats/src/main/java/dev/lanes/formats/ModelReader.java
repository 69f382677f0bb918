package dev.lanes.formats;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.lanes.errors.ModelFormatException;
import dev.lanes.formats.onnx.Onnx.ModelProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Reads ONNX model files into protobuf messages with bounded allocations: the whole message must
 * fit in {@link #MAX_MODEL_BYTES}, and protobuf's own length checks reject a length prefix that
 * runs past the end of the data. Bad bytes give a {@link ModelFormatException}.
 */
public final class ModelReader {
    /** The largest model (protobuf's own limit for one message is 2 GiB). */
    public static final long MAX_MODEL_BYTES = Integer.MAX_VALUE - 8;

    private ModelReader() {
    }

    /** Reads a model file; external tensor data is resolved later against its folder. */
    public static ModelProto read(Path file) {
        return parse(FileBytes.read(file, MAX_MODEL_BYTES,
                "an ONNX protobuf may have (use external data)"), file.toString());
    }

    /** Parses a model held in memory; {@code source} names it in errors. */
    public static ModelProto read(byte[] bytes, String source) {
        return parse(bytes, source);
    }

    /** Reads a whole stream (at most {@link #MAX_MODEL_BYTES}) and parses it. */
    public static ModelProto read(InputStream in, String source) {
        try {
            byte[] bytes = in.readNBytes((int) MAX_MODEL_BYTES);
            if (in.read() >= 0) {
                throw new ModelFormatException(source + ": stream is longer than the "
                        + MAX_MODEL_BYTES + " bytes an ONNX protobuf may have");
            }
            return parse(bytes, source);
        } catch (IOException e) {
            throw new ModelFormatException(source + ": cannot read (" + e + ")", e);
        }
    }

    private static ModelProto parse(byte[] bytes, String source) {
        if (bytes.length == 0) {
            throw new ModelFormatException(source + ": empty file, not an ONNX model");
        }
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setSizeLimit(bytes.length);
            in.setRecursionLimit(64);
            ModelProto model = ModelProto.parseFrom(in);
            in.checkLastTagWas(0);
            if (!model.hasGraph()) {
                throw new ModelFormatException(source + ": parsed as protobuf but has no graph;"
                        + " not an ONNX model");
            }
            return model;
        } catch (InvalidProtocolBufferException e) {
            throw new ModelFormatException(source + ": not a valid ONNX model (" + e.getMessage()
                    + ")", e);
        } catch (IOException e) {
            throw new ModelFormatException(source + ": cannot parse (" + e + ")", e);
        }
    }
}
