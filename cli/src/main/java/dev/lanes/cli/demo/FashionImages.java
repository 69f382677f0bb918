package dev.lanes.cli.demo;

import dev.lanes.errors.ModelFormatException;
import dev.lanes.training.data.Dataset;
import dev.lanes.training.data.DatasetFiles;
import dev.lanes.training.data.IdxReader;
import dev.lanes.training.data.Split;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The Fashion-MNIST images the demo classifies, from the first place that has them: Debian's
 * {@code dataset-fashion-mnist} test set, the shared test material's copy of it, or the 20
 * samples bundled in the jar (two per class, from the end of the training set).
 *
 * @param data   the images and labels, scaled to [0, 1] as the model was trained
 * @param source where they came from, for the user
 */
public record FashionImages(Dataset data, String source) {
    /** The class names in label order. */
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private static final String SAMPLES = "samples-%s-idx%d-ubyte";
    /** The images' side. */
    public static final int SIDE = 28;

    /** The test set of the first folder found, else the bundled samples. */
    public static FashionImages find() {
        Path debian = DatasetFiles.FASHION_MNIST;
        if (hasTestSet(debian)) {
            return fromFolder(debian);
        }
        Path shared = SharedData.folder();
        if (shared != null) {
            Path dir = shared.resolve("datasets").resolve("fashion-mnist-t10k");
            if (hasTestSet(dir)) {
                return fromFolder(dir);
            }
        }
        return bundled();
    }

    private static boolean hasTestSet(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try {
            DatasetFiles.find(dir, Split.TEST);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The test set (t10k files) of an MNIST-style folder. */
    public static FashionImages fromFolder(Path dir) {
        DatasetFiles files = DatasetFiles.find(dir, Split.TEST);
        Dataset d = checked(Dataset.read(files), files.images().toString());
        return new FashionImages(d, files.images().toString() + " (" + d.count() + " test images)");
    }

    /** The demo's model takes 28x28 images of 10 classes; anything else is a clear error. */
    private static Dataset checked(Dataset d, String source) {
        if (d.count() == 0) {
            throw new ModelFormatException(source + ": no images");
        }
        if (d.rows() != SIDE || d.cols() != SIDE) {
            throw new ModelFormatException(source + ": images are " + d.rows() + "x" + d.cols() + ", the demo's"
                    + " model takes " + SIDE + "x" + SIDE);
        }
        for (int i = 0; i < d.count(); i++) {
            if (d.label(i) < 0 || d.label(i) >= CLASSES.size()) {
                throw new ModelFormatException(source + ": label " + d.label(i) + " of image " + i
                        + " is not one of the " + CLASSES.size() + " Fashion-MNIST classes");
            }
        }
        return d;
    }

    /** The 20 images bundled with the demo. */
    public static FashionImages bundled() {
        try (InputStream images = open(String.format(SAMPLES, "images", 3));
                InputStream labels = open(String.format(SAMPLES, "labels", 1))) {
            Dataset d = Dataset.of(IdxReader.readImages(images, "bundled samples"),
                    IdxReader.readLabels(labels, "bundled samples"), "bundled samples");
            return new FashionImages(d, "the " + d.count() + " samples bundled with the demo (from the training set;"
                    + " install Debian's dataset-fashion-mnist for the 10,000 test images)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String name) {
        InputStream in = FashionImages.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is missing from the lanes jar");
        }
        return in;
    }

    /** Image {@code i} as text, two characters per pixel from light to dark. */
    public static String ascii(Dataset d, int i) {
        float[] px = new float[d.rows() * d.cols()];
        d.copyScaled(i, px, 0);
        String ramp = " .:-=+*#%@";
        StringBuilder b = new StringBuilder();
        for (int y = 0; y < d.rows(); y++) {
            b.append("  ");
            for (int x = 0; x < d.cols(); x++) {
                char c = ramp.charAt(Math.min(ramp.length() - 1, (int) (px[y * d.cols() + x] * ramp.length())));
                b.append(c).append(c);
            }
            b.append('\n');
        }
        return b.toString();
    }
}
