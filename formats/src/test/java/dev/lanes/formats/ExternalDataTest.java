package dev.lanes.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.errors.ModelFormatException;
import dev.lanes.formats.onnx.Onnx.StringStringEntryProto;
import dev.lanes.formats.onnx.Onnx.TensorProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tensors whose bytes live in a file beside the model (ONNX external data). */
class ExternalDataTest {
    @TempDir
    Path dir;
    private Path modelDir;

    static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    /** weights.bin: 16 bytes of padding, then the floats 1..6, then 8 bytes of padding. */
    @BeforeEach
    void writeWeights() throws IOException {
        modelDir = Files.createDirectories(dir.resolve("model"));
        ByteBuffer b = ByteBuffer.allocate(16 + 24 + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.position(16);
        for (int i = 1; i <= 6; i++) {
            b.putFloat(i);
        }
        Files.write(modelDir.resolve("weights.bin"), b.array());
        Files.write(dir.resolve("secret.bin"), new byte[24]);
    }

    private static TensorProto ext(String location, String... keyValues) {
        TensorProto.Builder b = TensorProto.newBuilder().setName("w")
                .setDataType(ElementType.FLOAT.onnxCode()).addDims(2).addDims(3)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL);
        if (location != null) {
            b.addExternalData(entry("location", location));
        }
        for (int i = 0; i < keyValues.length; i += 2) {
            b.addExternalData(entry(keyValues[i], keyValues[i + 1]));
        }
        return b.build();
    }

    private ModelFormatException bad(TensorProto p, String... fragments) {
        var e = assertThrows(ModelFormatException.class, () -> TensorProtos.decode(p, modelDir));
        assertTrue(e.getMessage().contains("'w'"), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message lacks '" + f + "': " + e.getMessage());
        }
        return e;
    }

    @Test
    void readsWithOffsetAndLength() {
        TensorData t = TensorProtos.decode(ext("weights.bin", "offset", "16", "length", "24"),
                modelDir);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.floats());
    }

    @Test
    void readsWithOffsetOnly() {
        TensorData t = TensorProtos.decode(ext("weights.bin", "offset", "16"), modelDir);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.floats());
    }

    @Test
    void readsFromASubfolder() throws IOException {
        Files.createDirectories(modelDir.resolve("data"));
        Files.copy(modelDir.resolve("weights.bin"), modelDir.resolve("data/w.bin"));
        TensorData t = TensorProtos.decode(ext("data/../data/w.bin", "offset", "16"), modelDir);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.floats());
    }

    @Test
    void missingFile() {
        bad(ext("nope.bin"), "nope.bin", "no such file");
    }

    @Test
    void missingLocation() {
        bad(ext(null, "offset", "0"), "location");
        bad(ext(""), "location");
    }

    @Test
    void locationEscapingTheFolder() {
        bad(ext("../secret.bin"), "../secret.bin", "outside");
        bad(ext("data/../../secret.bin"), "outside");
        bad(ext(dir.resolve("secret.bin").toString()), "outside");
        bad(ext("."), "outside");
    }

    @Test
    void linkLeadingOutOfTheFolder() throws IOException {
        Files.createSymbolicLink(modelDir.resolve("link.bin"), dir.resolve("secret.bin"));
        bad(ext("link.bin"), "link.bin", "outside");
        // A link that stays inside the folder is fine.
        Files.createSymbolicLink(modelDir.resolve("inner.bin"), modelDir.resolve("weights.bin"));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6},
                TensorProtos.decode(ext("inner.bin", "offset", "16"), modelDir).floats());
    }

    @Test
    void locationThatIsNotAPath() {
        bad(ext("w\0.bin"), "not a valid path");
    }

    @Test
    void locationThatIsAFolder() throws IOException {
        Files.createDirectories(modelDir.resolve("sub"));
        bad(ext("sub"), "sub");
    }

    @Test
    void lengthMismatch() {
        bad(ext("weights.bin", "offset", "16", "length", "20"), "length 20", "24");
        bad(ext("weights.bin", "length", "-5"), "length");
    }

    @Test
    void offsetBeyondTheEnd() {
        bad(ext("weights.bin", "offset", "30"), "which has 48");
        bad(ext("weights.bin", "offset", "4000"), "which has 48");
        bad(ext("weights.bin", "offset", String.valueOf(Long.MAX_VALUE - 3)), "which has 48");
        bad(ext("weights.bin", "offset", "-1"), "negative");
    }

    @Test
    void offsetOrLengthThatIsNotANumber() {
        bad(ext("weights.bin", "offset", "sixteen"), "offset", "sixteen");
        bad(ext("weights.bin", "length", "0x18"), "length", "0x18");
    }

    @Test
    void hugeDeclaredTensorIsRejectedBeforeReading() {
        TensorProto p = ext("weights.bin").toBuilder().clearDims().addDims(1L << 29)
                .addDims(4).build();
        bad(p);
    }
}
