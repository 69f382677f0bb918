package dev.lanes.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.errors.ModelFormatException;
import dev.lanes.formats.onnx.Onnx.AttributeProto;
import dev.lanes.formats.onnx.Onnx.GraphProto;
import dev.lanes.formats.onnx.Onnx.ModelProto;
import dev.lanes.formats.onnx.Onnx.NodeProto;
import dev.lanes.formats.onnx.Onnx.OperatorSetIdProto;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading models from a path, bytes and a stream; bad bytes give ModelFormatException. */
class ModelReaderTest {
    static ModelProto tinyModel() {
        GraphProto g = GraphProto.newBuilder().setName("tiny")
                .addNode(NodeProto.newBuilder().setOpType("Relu").addInput("x").addOutput("y"))
                .build();
        return ModelProto.newBuilder().setIrVersion(8).setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(13)).build();
    }

    static ModelFormatException bad(Supplier<?> read, String... fragments) {
        var e = assertThrows(ModelFormatException.class, read::get);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message lacks '" + f + "': " + e.getMessage());
        }
        return e;
    }

    @Test
    void readsFromPathBytesAndStream(@TempDir Path dir) throws IOException {
        ModelProto m = tinyModel();
        Path f = dir.resolve("m.onnx");
        Files.write(f, m.toByteArray());
        assertEquals(m, ModelReader.read(f));
        assertEquals(m, ModelReader.read(m.toByteArray(), "mem"));
        assertEquals(m, ModelReader.read(new ByteArrayInputStream(m.toByteArray()), "stream"));
    }

    @Test
    void missingFileAndFolder(@TempDir Path dir) {
        bad(() -> ModelReader.read(dir.resolve("absent.onnx")), "absent.onnx", "no such file");
        bad(() -> ModelReader.read(dir), dir.toString());
    }

    @Test
    void emptyInput(@TempDir Path dir) throws IOException {
        Path f = Files.write(dir.resolve("empty.onnx"), new byte[0]);
        bad(() -> ModelReader.read(f), "empty.onnx", "empty");
        bad(() -> ModelReader.read(new byte[0], "mem"), "mem", "empty");
        bad(() -> ModelReader.read(InputStream.nullInputStream(), "stream"), "stream", "empty");
    }

    @Test
    void garbage() {
        bad(() -> ModelReader.read("hello, this is not a model".getBytes(), "text"), "text");
        bad(() -> ModelReader.read(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, "ff"),
                "ff");
        Random r = new Random(7);
        for (int i = 0; i < 200; i++) {
            byte[] b = new byte[1 + r.nextInt(300)];
            r.nextBytes(b);
            try {
                ModelReader.read(b, "random" + i);
            } catch (ModelFormatException expected) {
                assertTrue(expected.getMessage().contains("random" + i));
            }
        }
    }

    @Test
    void validProtobufThatIsNotAModel() {
        // A message with only an unknown field: protobuf accepts it, but there is no graph.
        bad(() -> ModelReader.read(new byte[] {(byte) 0xF8, 0x01, 0x05}, "other"), "other",
                "no graph");
    }

    @Test
    void truncatedAtEveryOffset() {
        byte[] full = tinyModel().toByteArray();
        for (int n = 1; n < full.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(full, n);
            try {
                ModelReader.read(cut, "cut" + n);
            } catch (ModelFormatException expected) {
                assertTrue(expected.getMessage().contains("cut" + n));
            }
        }
        // Cutting inside the graph is always detected (its length prefix overruns).
        bad(() -> ModelReader.read(java.util.Arrays.copyOf(full, full.length - 1), "cut"), "cut",
                "not a valid ONNX model");
    }

    @Test
    void hugeDeclaredLengthIsRejectedWithoutAllocating() {
        // Field 7 (graph), length-delimited, declared length 2^31 - 1 with 3 bytes present.
        byte[] b = {0x3A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 1, 2, 3};
        bad(() -> ModelReader.read(b, "huge"), "huge");
        // Packed dims of an initializer declaring 2^28 varints.
        byte[] packed = {0x3A, 0x0A, 0x2A, 0x08, 0x0A, (byte) 0x80, (byte) 0x80, (byte) 0x80,
            (byte) 0x80, 0x01, 0, 0};
        bad(() -> ModelReader.read(packed, "packed"), "packed");
    }

    @Test
    void deeplyNestedGraphsDoNotOverflowTheStack() {
        // graph -> node -> attribute g -> graph -> node -> ... 20000 levels deep.
        byte[] b = nested(20000);
        bad(() -> ModelReader.read(b, "deep"), "deep");
        bad(() -> ModelReader.read(new ByteArrayInputStream(b), "deepstream"), "deepstream");
    }

    @Test
    void moderatelyNestedGraphsStillParse() {
        ModelProto m = ModelReader.read(nested(10), "ten");
        assertTrue(m.hasGraph());
        assertEquals(1, m.getGraph().getNodeCount());
    }

    /**
     * A model whose graph holds a node whose attribute holds a graph, {@code levels} times. Each
     * message has one field, so the encoding is the headers outermost first, then the innermost
     * message; lengths are computed from the inside out.
     */
    static byte[] nested(int levels) {
        byte[] innermost = GraphProto.newBuilder().setName("leaf").build().toByteArray();
        // Each level is GraphProto.node(1) -> NodeProto.attribute(5) -> AttributeProto.g(6).
        int[] tags = {0x0A, 0x2A, 0x32};
        int count = levels * 3 + 1;
        byte[][] headers = new byte[count][];
        long len = innermost.length;
        for (int i = count - 1; i >= 0; i--) {
            int tag = i == 0 ? 0x3A : tags[(i - 1) % 3];
            headers[i] = header(tag, len);
            len += headers[i].length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] h : headers) {
            out.writeBytes(h);
        }
        out.writeBytes(innermost);
        return out.toByteArray();
    }

    private static byte[] header(int tag, long length) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(tag);
        long v = length;
        while ((v & ~0x7FL) != 0) {
            b.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        b.write((int) v);
        return b.toByteArray();
    }

    @Test
    void fileLargerThanAProtobufCanBe(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("huge.onnx");
        // A sparse file: 3 GiB long, no disk used, never read.
        try (var raf = new java.io.RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(3L << 30);
        }
        bad(() -> ModelReader.read(f), "huge.onnx", "larger than", "external data");
    }

    @Test
    void streamThatFails() {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk on fire");
            }
        };
        bad(() -> ModelReader.read(failing, "flaky"), "flaky", "disk on fire");
    }

    @Test
    void attributeGraphsParseWhenValid() {
        GraphProto inner = GraphProto.newBuilder().setName("body").build();
        ModelProto m = tinyModel().toBuilder().setGraph(tinyModel().getGraph().toBuilder()
                .setNode(0, tinyModel().getGraph().getNode(0).toBuilder().addAttribute(
                        AttributeProto.newBuilder().setName("body").setG(inner)))).build();
        assertEquals(m, ModelReader.read(m.toByteArray(), "m"));
    }
}
