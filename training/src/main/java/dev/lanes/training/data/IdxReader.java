package dev.lanes.training.data;

import dev.lanes.errors.ModelFormatException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX files of MNIST and Fashion-MNIST (LeCun's format: a big-endian header of a magic
 * number and the dimensions, then unsigned bytes), gzip-compressed or plain: the first two bytes
 * decide, not the file name.
 *
 * <p>Reading is bounded: the header's sizes are checked against {@link #MAX_DIMENSION} and
 * {@link #MAX_BYTES}, and the buffer grows only as bytes actually arrive, so a header that
 * claims 2^31 images on a small file is an error saying how many bytes were promised and how
 * many there were, never an {@code OutOfMemoryError}. Data past what the header declares is an
 * error too: it means the header does not describe the file. Every error is a
 * {@link ModelFormatException} naming the file.
 */
public final class IdxReader {
    /** Magic number of an image file: unsigned bytes ({@code 0x08}), three dimensions. */
    public static final int IMAGES_MAGIC = 0x0803;
    /** Magic number of a label file: unsigned bytes, one dimension. */
    public static final int LABELS_MAGIC = 0x0801;
    /** The largest image side accepted; MNIST's is 28. */
    public static final int MAX_DIMENSION = 4096;
    /** The most data bytes one file may hold (1 GiB; the full Fashion-MNIST training set is 47 MB). */
    public static final long MAX_BYTES = 1L << 30;

    private static final int FIRST_CHUNK = 1 << 20;

    private IdxReader() {
    }

    /** Reads an image file (magic 2051). */
    public static IdxImages readImages(Path file) {
        try (InputStream in = open(file)) {
            return readImages(in, file.toString());
        } catch (IOException e) {
            throw failure(file.toString(), e);
        }
    }

    /** Reads a label file (magic 2049). */
    public static IdxLabels readLabels(Path file) {
        try (InputStream in = open(file)) {
            return readLabels(in, file.toString());
        } catch (IOException e) {
            throw failure(file.toString(), e);
        }
    }

    /**
     * Reads an image file from {@code in} (plain or gzip); {@code source} names it in errors.
     * The stream is read to its end but not closed.
     */
    public static IdxImages readImages(InputStream in, String source) {
        try {
            InputStream data = decompressed(in);
            int[] dims = header(data, source, IMAGES_MAGIC, "image", 3);
            int count = dims[0];
            int rows = dims[1];
            int cols = dims[2];
            for (int d = 1; d < 3; d++) {
                if (dims[d] < 1 || dims[d] > MAX_DIMENSION) {
                    throw new ModelFormatException(source + ": image side " + dims[d]
                            + " is outside 1.." + MAX_DIMENSION);
                }
            }
            long bytes = (long) count * rows * cols;
            checkSize(source, bytes, count + " images of " + rows + "x" + cols);
            byte[] pixels = payload(data, source, (int) bytes, count + " images of " + rows + "x" + cols);
            return new IdxImages(count, rows, cols, pixels);
        } catch (IOException e) {
            throw failure(source, e);
        }
    }

    /**
     * Reads a label file from {@code in} (plain or gzip); {@code source} names it in errors.
     * The stream is read to its end but not closed.
     */
    public static IdxLabels readLabels(InputStream in, String source) {
        try {
            InputStream data = decompressed(in);
            int count = header(data, source, LABELS_MAGIC, "label", 1)[0];
            checkSize(source, count, count + " labels");
            return new IdxLabels(payload(data, source, count, count + " labels"));
        } catch (IOException e) {
            throw failure(source, e);
        }
    }

    private static InputStream open(Path file) {
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(file + ": no such file", e);
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read (" + e + ")", e);
        }
    }

    /** Wraps {@code in} in a gzip decoder when it starts with the gzip magic bytes 1f 8b. */
    private static InputStream decompressed(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16);
        }
        return buffered;
    }

    /**
     * Reads the magic number and the dimensions; checks the magic and that each dimension,
     * unsigned as the format stores it, fits an int.
     */
    private static int[] header(InputStream in, String source, int magic, String kind, int rank)
            throws IOException {
        byte[] h = new byte[4 * (1 + rank)];
        int got = in.readNBytes(h, 0, h.length);
        if (got < 4) {
            throw new ModelFormatException(source + ": " + got + " bytes, too short for an IDX "
                    + kind + " file (a " + h.length + "-byte header)");
        }
        int found = readInt(h, 0);
        if (found != magic) {
            String hint = found == IMAGES_MAGIC ? " (that is an image file)"
                    : found == LABELS_MAGIC ? " (that is a label file)" : "";
            throw new ModelFormatException(source + ": magic number " + found + " (0x"
                    + Integer.toHexString(found) + ") is not that of an IDX " + kind + " file ("
                    + magic + ")" + hint);
        }
        if (got < h.length) {
            throw new ModelFormatException(source + ": header truncated after " + got + " of "
                    + h.length + " bytes");
        }
        int[] dims = new int[rank];
        for (int d = 0; d < rank; d++) {
            long value = readInt(h, 4 + 4 * d) & 0xffffffffL;
            if (value > Integer.MAX_VALUE) {
                throw new ModelFormatException(source + ": dimension " + d + " of the header is "
                        + value + ", more than any IDX file this reader accepts");
            }
            dims[d] = (int) value;
        }
        return dims;
    }

    private static void checkSize(String source, long bytes, String what) {
        if (bytes > MAX_BYTES) {
            throw new ModelFormatException(source + ": header declares " + what + " (" + bytes
                    + " bytes), more than the " + MAX_BYTES + " bytes an IDX file may hold here");
        }
    }

    /**
     * Reads exactly {@code expected} bytes and checks that nothing follows. The buffer starts
     * at a megabyte at most and doubles as data arrives, so memory follows the bytes present,
     * not the bytes claimed.
     */
    private static byte[] payload(InputStream in, String source, int expected, String what)
            throws IOException {
        byte[] buf = new byte[Math.min(expected, FIRST_CHUNK)];
        int filled = 0;
        while (filled < expected) {
            if (filled == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(expected, 2L * buf.length));
            }
            int n = in.read(buf, filled, buf.length - filled);
            if (n < 0) {
                throw new ModelFormatException(source + ": truncated: the header declares " + what
                        + " (" + expected + " bytes of data) but only " + filled + " follow");
            }
            filled += n;
        }
        if (in.read() >= 0) {
            throw new ModelFormatException(source + ": more data than the header's " + what
                    + " (" + expected + " bytes): the header does not describe this file");
        }
        return buf;
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static ModelFormatException failure(String source, IOException e) {
        if (e instanceof EOFException || e instanceof ZipException) {
            return new ModelFormatException(source + ": damaged gzip data (" + e.getMessage() + ")", e);
        }
        return new ModelFormatException(source + ": cannot read (" + e + ")", e);
    }
}
