package dev.lanes.training.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPOutputStream;

/** Hand-made IDX file contents for the reader's tests. */
final class IdxBytes {
    private IdxBytes() {
    }

    /** A header of the magic and the dimensions (as unsigned 32-bit values), then the data. */
    static byte[] idx(int magic, long[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(magic);
        for (long d : dims) {
            b.putInt((int) d);
        }
        b.put(data);
        return b.array();
    }

    static byte[] images(long count, long rows, long cols, byte[] data) {
        return idx(IdxReader.IMAGES_MAGIC, new long[] {count, rows, cols}, data);
    }

    static byte[] labels(long count, byte[] data) {
        return idx(IdxReader.LABELS_MAGIC, new long[] {count}, data);
    }

    static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
