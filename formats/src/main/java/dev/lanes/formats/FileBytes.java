package dev.lanes.formats;

import dev.lanes.errors.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a whole model or plan file, refusing one larger than its format allows before reading
 * a byte of it, with errors that name the file.
 */
public final class FileBytes {
    private FileBytes() {
    }

    /**
     * The bytes of {@code file}, which may hold at most {@code maxBytes}; {@code limitNote}
     * says why in the error (e.g. "an ONNX protobuf may have (use external data)").
     */
    public static byte[] read(Path file, long maxBytes, String limitNote) {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(file + ": no such file", e);
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read (" + e + ")", e);
        }
        if (size > maxBytes) {
            throw new ModelFormatException(file + ": " + size + " bytes is larger than the "
                    + maxBytes + " " + limitNote);
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read (" + e + ")", e);
        }
    }
}
