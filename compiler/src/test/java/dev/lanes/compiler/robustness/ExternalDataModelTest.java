package dev.lanes.compiler.robustness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.Lanes;
import dev.lanes.errors.ModelFormatException;
import dev.lanes.formats.onnx.Onnx.ModelProto;
import dev.lanes.formats.onnx.Onnx.StringStringEntryProto;
import dev.lanes.formats.onnx.Onnx.TensorProto;
import dev.lanes.runtime.Session;
import dev.lanes.runtime.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model file whose weights live beside it, loaded through {@link Lanes#load(Path)}. */
class ExternalDataModelTest {
    @TempDir
    Path dir;

    /** add_relu with its bias b in {@code location}; writes the bias bytes to bias.bin. */
    private Path write(String location, String... keyValues) throws IOException {
        ModelProto m = TinyModels.addRelu();
        TensorProto b = m.getGraph().getInitializer(0);
        Files.write(dir.resolve("bias.bin"), b.getRawData().toByteArray());
        TensorProto.Builder ext = b.toBuilder().clearRawData()
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry("location", location));
        for (int i = 0; i < keyValues.length; i += 2) {
            ext.addExternalData(entry(keyValues[i], keyValues[i + 1]));
        }
        ModelProto.Builder mb = m.toBuilder();
        mb.getGraphBuilder().setInitializer(0, ext);
        Path file = dir.resolve("model.onnx");
        Files.write(file, mb.build().toByteArray());
        return file;
    }

    private static StringStringEntryProto entry(String k, String v) {
        return StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }

    private static void bad(Path model, String... fragments) {
        var e = assertThrows(ModelFormatException.class, () -> Lanes.load(model));
        assertTrue(e.getMessage().contains("'b'"), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message lacks '" + f + "': " + e.getMessage());
        }
    }

    @Test
    void loadsAndRuns() throws IOException {
        try (Session s = Lanes.load(write("bias.bin", "length", "12"))) {
            Tensor y = s.run(Tensor.of(new float[] {0, 0, 0}, 1, 3)).get("y");
            assertArrayEquals(new float[] {1, 0, 3}, y.floats());
        }
    }

    @Test
    void missingFile() throws IOException {
        bad(write("gone.bin"), "gone.bin", "no such file");
    }

    @Test
    void escapingTheFolder() throws IOException {
        bad(write("../bias.bin"), "outside");
        bad(write("/etc/hostname"), "outside");
    }

    @Test
    void wrongLengthOrOffset() throws IOException {
        bad(write("bias.bin", "length", "16"), "length 16", "12");
        bad(write("bias.bin", "offset", "4"), "which has 12");
    }
}
