package dev.lanes.runtime.plan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Facts of the plan file format ({@code lanes.proto}): its magic, its version, how a plan file
 * is told from an ONNX model by its content.
 */
public final class PlanFormat {
    /** The value of {@code PlanFile.magic}. */
    public static final String MAGIC = "lanes-plan";
    /** The version of {@code PlanBody} this runtime writes and reads. */
    public static final int VERSION = 1;
    /** The usual file extension. */
    public static final String EXTENSION = ".lanes";
    /**
     * The first bytes of every plan file: field 1 (tag 0x0A, length-delimited) holding the
     * magic. An ONNX ModelProto starts with field 1 as a varint (tag 0x08), so no ONNX file
     * starts this way.
     */
    static final byte[] PREFIX = prefix();

    private PlanFormat() {
    }

    private static byte[] prefix() {
        byte[] m = MAGIC.getBytes(StandardCharsets.US_ASCII);
        byte[] p = new byte[m.length + 2];
        p[0] = 0x0A;
        p[1] = (byte) m.length;
        System.arraycopy(m, 0, p, 2, m.length);
        return p;
    }

    /** True when the bytes start like a plan file. */
    public static boolean isPlan(byte[] bytes) {
        return bytes.length >= PREFIX.length
                && Arrays.equals(bytes, 0, PREFIX.length, PREFIX, 0, PREFIX.length);
    }

    /**
     * True when the file starts like a plan file (its content decides, not its name); false
     * when it does not, or cannot be read (the loader then reports why).
     */
    public static boolean isPlan(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return isPlan(in.readNBytes(PREFIX.length));
        } catch (IOException e) {
            return false;
        }
    }
}
