package dev.lanes.formats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.lanes.errors.ModelFormatException;
import dev.lanes.formats.onnx.Onnx.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Decoding and encoding of TensorProto for every element type and both storage forms. */
class TensorProtosTest {
    private static final long[] DIMS = {2, 3};

    /** Six values that every type can hold exactly, chosen to exercise sign and range. */
    static TensorData sample(ElementType type) {
        return switch (type) {
            case FLOAT -> TensorData.ofFloats("t", DIMS,
                    new float[] {0f, -1.5f, 3.25e-3f, Float.MAX_VALUE, Float.MIN_VALUE, -0f});
            case FLOAT16 -> new TensorData("t", type, DIMS,
                    new float[] {0f, -1.5f, 65504f, 6.1035156e-5f, 5.9604645e-8f, -2f});
            case BFLOAT16 -> new TensorData("t", type, DIMS,
                    new float[] {0f, -1.5f, 3.3895314e38f, 1.0f / 1024, -9.183549615799121e-41f,
                        256f});
            case DOUBLE -> new TensorData("t", type, DIMS,
                    new double[] {0, -1.5, 1e300, Double.MIN_VALUE, -7, Math.PI});
            case INT8 -> longs(type, -128, 127, 0, -1, 5, 42);
            case UINT8 -> longs(type, 0, 255, 128, 1, 7, 200);
            case INT16 -> longs(type, -32768, 32767, 0, -1, 1000, -1000);
            case UINT16 -> longs(type, 0, 65535, 32768, 1, 2, 40000);
            case INT32 -> longs(type, Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1, 7, 8);
            case UINT32 -> longs(type, 0, 0xFFFFFFFFL, 0x80000000L, 1, 2, 3);
            case INT64 -> longs(type, Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, 1L << 40, 9);
            case UINT64 -> longs(type, -1L, Long.MIN_VALUE, 0, 1, Long.MAX_VALUE, 12345);
            case BOOL -> longs(type, 0, 1, 1, 0, 0, 1);
            case STRING -> new TensorData("t", type, DIMS, new byte[][] {
                "a".getBytes(), new byte[0], "ünïcode".getBytes(), {0, -1}, "x".getBytes(),
                "yy".getBytes()});
        };
    }

    private static TensorData longs(ElementType type, long... v) {
        return new TensorData("t", type, DIMS, v);
    }

    @ParameterizedTest
    @EnumSource(ElementType.class)
    void encodeThenDecodeGivesTheSameTensor(ElementType type) {
        TensorData t = sample(type);
        TensorProto p = TensorProtos.encode(t);
        assertEquals(type.onnxCode(), p.getDataType());
        if (type != ElementType.STRING) {
            assertTrue(p.hasRawData());
            assertEquals(6L * type.rawBytes(), p.getRawData().size());
        }
        assertEquals(t, TensorProtos.decode(p));
    }

    @ParameterizedTest
    @EnumSource(ElementType.class)
    void typedFieldsDecodeToTheSameValuesAsRawData(ElementType type) {
        TensorData t = sample(type);
        TensorProto.Builder b = TensorProto.newBuilder().setName("t")
                .setDataType(type.onnxCode()).addDims(2).addDims(3);
        switch (type) {
            case FLOAT -> {
                for (float f : t.floats()) {
                    b.addFloatData(f);
                }
            }
            case DOUBLE -> {
                for (double d : t.doubles()) {
                    b.addDoubleData(d);
                }
            }
            case INT64 -> {
                for (long l : t.longs()) {
                    b.addInt64Data(l);
                }
            }
            case UINT32, UINT64 -> {
                for (long l : t.longs()) {
                    b.addUint64Data(l);
                }
            }
            case STRING -> {
                for (byte[] s : (byte[][]) t.values()) {
                    b.addStringData(ByteString.copyFrom(s));
                }
            }
            case FLOAT16 -> {
                for (float f : t.floats()) {
                    b.addInt32Data(Float.floatToFloat16(f) & 0xFFFF);
                }
            }
            case BFLOAT16 -> {
                for (float f : t.floats()) {
                    b.addInt32Data(Float.floatToRawIntBits(f) >>> 16);
                }
            }
            default -> {
                for (long l : t.longs()) {
                    b.addInt32Data((int) l);
                }
            }
        }
        assertEquals(t, TensorProtos.decode(b.build()));
    }

    @Test
    void int32DataHoldsNarrowTypesAsTheirBitPatterns() {
        // Writers differ: some store uint8 255 as 255, some as -1 (the signed byte). Both mean
        // 255; a uint16 65535 may likewise arrive as -1.
        assertArrayEquals(new long[] {255, 255, 0},
                decodeInt32(ElementType.UINT8, 255, -1, 256).longs());
        assertArrayEquals(new long[] {65535, 65535, 1},
                decodeInt32(ElementType.UINT16, 65535, -1, 65537).longs());
        assertArrayEquals(new long[] {-1, 127, -128},
                decodeInt32(ElementType.INT8, -1, 127, -128).longs());
        assertArrayEquals(new long[] {1, 0, 1}, decodeInt32(ElementType.BOOL, 7, 0, -1).longs());
        // Out-of-range values keep their low bits: every value stays within its type.
        assertArrayEquals(new long[] {44, -1},
                decodeInt32(ElementType.INT8, 300, 0xFFFF).longs());
        assertArrayEquals(new long[] {-32768, 1},
                decodeInt32(ElementType.INT16, 32768, 65537).longs());
        TensorProto wide = TensorProto.newBuilder().setName("u32")
                .setDataType(ElementType.UINT32.onnxCode()).addDims(2).addUint64Data(1L << 32 | 5)
                .addUint64Data(-1L).build();
        assertArrayEquals(new long[] {5, 0xFFFFFFFFL}, TensorProtos.decode(wide).longs());
        assertArrayEquals(new float[] {1f, -2f, Float.POSITIVE_INFINITY},
                decodeInt32(ElementType.FLOAT16, 0x3C00, 0xC000, 0x7C00).floats());
        assertArrayEquals(new float[] {1f, -2f, Float.NEGATIVE_INFINITY},
                decodeInt32(ElementType.BFLOAT16, 0x3F80, 0xC000, 0xFF80).floats());
    }

    private static TensorData decodeInt32(ElementType type, int... v) {
        TensorProto.Builder b = TensorProto.newBuilder().setName("n")
                .setDataType(type.onnxCode()).addDims(v.length);
        for (int x : v) {
            b.addInt32Data(x);
        }
        return TensorProtos.decode(b.build());
    }

    @Test
    void float16CoversSubnormalsInfinitiesAndNan() {
        short[] bits = {0x0001, 0x03FF, 0x0400, (short) 0x8001, 0x7BFF, 0x7C00, (short) 0xFC00,
            0x7E00, 0x0000, (short) 0x8000};
        float[] expected = {5.9604645e-8f, 6.097555e-5f, 6.1035156e-5f, -5.9604645e-8f, 65504f,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 0f, -0f};
        float[] got = TensorProtos.decode(rawShorts(ElementType.FLOAT16, bits)).floats();
        for (int i = 0; i < bits.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(got[i]),
                    "bits " + Integer.toHexString(bits[i] & 0xFFFF) + " gave " + got[i]);
        }
        // Re-encoding gives the same bits back (NaN stays NaN).
        TensorData back = TensorProtos.decode(TensorProtos.encode(
                new TensorData("h", ElementType.FLOAT16, new long[] {bits.length}, got)));
        for (int i = 0; i < bits.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(back.floats()[i]));
        }
    }

    @Test
    void bfloat16CoversSubnormalsInfinitiesAndNan() {
        short[] bits = {0x0001, (short) 0x807F, 0x0080, 0x7F7F, 0x7F80, (short) 0xFF80, 0x7FC0,
            0x3F80};
        float[] got = TensorProtos.decode(rawShorts(ElementType.BFLOAT16, bits)).floats();
        for (int i = 0; i < bits.length; i++) {
            assertEquals((bits[i] & 0xFFFF) << 16, Float.floatToRawIntBits(got[i]));
        }
        assertTrue(Float.isNaN(got[6]));
        assertEquals(Float.POSITIVE_INFINITY, got[4]);
        assertEquals(Float.MIN_NORMAL, got[2]);
        TensorData back = TensorProtos.decode(TensorProtos.encode(
                new TensorData("h", ElementType.BFLOAT16, new long[] {bits.length}, got)));
        assertArrayEquals(got, back.floats());
    }

    private static TensorProto rawShorts(ElementType type, short[] bits) {
        ByteBuffer b = ByteBuffer.allocate(bits.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : bits) {
            b.putShort(s);
        }
        return TensorProto.newBuilder().setName("h").setDataType(type.onnxCode())
                .addDims(bits.length).setRawData(ByteString.copyFrom(b.array())).build();
    }

    @Test
    void scalarAndEmptyTensors() {
        TensorData scalar = TensorData.ofFloats("s", new long[0], new float[] {4f});
        assertEquals(scalar, TensorProtos.decode(TensorProtos.encode(scalar)));
        TensorData empty = TensorData.ofFloats("e", new long[] {3, 0, 5}, new float[0]);
        assertEquals(empty, TensorProtos.decode(TensorProtos.encode(empty)));
    }

    @Test
    void writeThenReadAFile(@TempDir Path dir) {
        Path f = dir.resolve("input_0.pb");
        TensorData t = sample(ElementType.INT64);
        TensorProtos.write(t, f);
        assertEquals(t, TensorProtos.read(f));
    }

    @Test
    void readingBadTensorFiles(@TempDir Path dir) throws java.io.IOException {
        Path garbage = java.nio.file.Files.write(dir.resolve("garbage.pb"),
                new byte[] {(byte) 0xFF, (byte) 0xFF, 0x01});
        var e = assertThrows(ModelFormatException.class, () -> TensorProtos.read(garbage));
        assertTrue(e.getMessage().contains("garbage.pb"), e.getMessage());
        Path empty = java.nio.file.Files.write(dir.resolve("empty.pb"), new byte[0]);
        e = assertThrows(ModelFormatException.class, () -> TensorProtos.read(empty));
        assertTrue(e.getMessage().contains("UNDEFINED"), e.getMessage());
        e = assertThrows(ModelFormatException.class,
                () -> TensorProtos.read(dir.resolve("absent.pb")));
        assertTrue(e.getMessage().contains("absent.pb"), e.getMessage());
    }

    // ---- bad tensors: each a ModelFormatException naming the tensor and the problem ----

    static ModelFormatException bad(TensorProto p, String... fragments) {
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> TensorProtos.decode(p));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message lacks '" + f + "': " + e.getMessage());
        }
        return e;
    }

    private static TensorProto.Builder floats(String name, long... dims) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name)
                .setDataType(ElementType.FLOAT.onnxCode());
        for (long d : dims) {
            b.addDims(d);
        }
        return b;
    }

    @Test
    void rawDataTooShortOrTooLong() {
        bad(floats("w", 2, 3).setRawData(ByteString.copyFrom(new byte[23])).build(),
                "'w'", "raw_data has 23 bytes", "24");
        bad(floats("w", 2, 3).setRawData(ByteString.copyFrom(new byte[28])).build(),
                "'w'", "raw_data has 28 bytes", "24");
    }

    @Test
    void rawDataOfAMissingTensorIsEmpty() {
        // No data at all for a non-empty shape: zero typed values present.
        bad(floats("w", 4).build(), "'w'", "has 0", "need 4");
    }

    @ParameterizedTest
    @EnumSource(ElementType.class)
    void typedFieldWithTheWrongCount(ElementType type) {
        TensorProto good = typedOf(type);
        TensorProto.Builder b = good.toBuilder().clearDims().addDims(7);
        bad(b.build(), "'t'", "need 7");
    }

    private static TensorProto typedOf(ElementType type) {
        TensorProto raw = TensorProtos.encode(sample(type));
        if (type == ElementType.STRING) {
            return raw;
        }
        TensorProto.Builder b = raw.toBuilder().clearRawData();
        TensorData t = sample(type);
        switch (type) {
            case FLOAT -> {
                for (float f : t.floats()) {
                    b.addFloatData(f);
                }
            }
            case DOUBLE -> {
                for (double d : t.doubles()) {
                    b.addDoubleData(d);
                }
            }
            case INT64 -> {
                for (long l : t.longs()) {
                    b.addInt64Data(l);
                }
            }
            case UINT32, UINT64 -> {
                for (long l : t.longs()) {
                    b.addUint64Data(l);
                }
            }
            case FLOAT16, BFLOAT16 -> {
                for (int i = 0; i < 6; i++) {
                    b.addInt32Data(0);
                }
            }
            default -> {
                for (long l : t.longs()) {
                    b.addInt32Data((int) l);
                }
            }
        }
        return b.build();
    }

    @Test
    void stringTensorsCannotUseRawData() {
        bad(TensorProto.newBuilder().setName("s").setDataType(ElementType.STRING.onnxCode())
                .addDims(1).setRawData(ByteString.copyFromUtf8("abc")).build(), "'s'", "STRING",
                "raw_data");
    }

    @Test
    void unsupportedOrUnknownElementTypes() {
        bad(floats("c").setDataType(14).build(), "'c'", "COMPLEX64");
        bad(floats("u").setDataType(0).build(), "'u'", "UNDEFINED");
        bad(floats("z").setDataType(999).build(), "'z'", "999");
        bad(floats("f8").setDataType(17).build(), "'f8'", "FLOAT8E4M3FN");
    }

    @Test
    void negativeDimension() {
        bad(floats("neg", 2, -1).setRawData(ByteString.EMPTY).build(), "'neg'", "dimension 1",
                "-1");
    }

    @Test
    void hugeDimensionIsRejectedBeforeAnyAllocation() {
        bad(floats("big", 1L << 40).build(), "'big'", "1099511627776");
        // A zero elsewhere makes the product 0 but the dimension itself is still absurd.
        bad(floats("big0", 0, 1L << 40).setRawData(ByteString.EMPTY).build(), "'big0'",
                "1099511627776");
        bad(floats("big0", 1L << 40, 0).setRawData(ByteString.EMPTY).build(), "'big0'",
                "1099511627776");
    }

    @Test
    void productOverflowIsRejected() {
        // 2^21 cubed is 2^63: overflows a long if multiplied naively.
        bad(floats("ovf", 1L << 21, 1L << 21, 1L << 21).build(), "'ovf'", "more than");
        bad(floats("ovf2", 65536, 65536).build(), "'ovf2'", "more than");
        bad(floats("max", Long.MAX_VALUE, 2).build(), "'max'");
    }

    @Test
    void segmentedTensorsAreRejected() {
        bad(floats("seg", 1).addFloatData(1).setSegment(TensorProto.Segment.newBuilder()
                .setBegin(0).setEnd(1)).build(), "'seg'", "segment");
    }

    @Test
    void externalDataWithoutAFolderIsAnError() {
        bad(floats("ext", 2).setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(ExternalDataTest.entry("location", "w.bin")).build(),
                "'ext'", "w.bin", "not read from a file");
    }

    @Test
    void typesThatTheFileCanNameButNotHoldAreListed() {
        Set<Integer> supported = Set.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 16);
        for (int code = 0; code < 30; code++) {
            final int c = code;
            if (supported.contains(code)) {
                assertEquals(code, ElementType.fromOnnx(code, "x").onnxCode());
            } else {
                var e = assertThrows(ModelFormatException.class,
                        () -> ElementType.fromOnnx(c, "tensor 'q'"));
                assertTrue(e.getMessage().contains("tensor 'q'"), e.getMessage());
            }
        }
        assertEquals(EnumSet.allOf(ElementType.class).size(), supported.size());
    }
}
