package dev.lanes.training.run;

import dev.lanes.training.data.Dataset;
import dev.lanes.training.data.DatasetFiles;
import dev.lanes.training.data.Split;
import java.nio.file.Path;

/**
 * The training and test sets of a recipe: {@code fashion-mnist} is Debian's
 * {@code dataset-fashion-mnist} folder, anything else a folder of MNIST-style IDX files
 * ({@code train-images-idx3-ubyte.gz} and so on), cut to the recipe's limits.
 *
 * @param train  the training examples
 * @param test   the examples accuracy is measured on after each epoch
 * @param folder where they were read from
 */
public record TrainingData(Dataset train, Dataset test, Path folder) {
    /** The folder a recipe's {@code data} setting names. */
    public static Path folder(String data) {
        return data.equals("fashion-mnist") ? DatasetFiles.FASHION_MNIST : Path.of(data);
    }

    /** Reads the data of {@code recipe}. */
    public static TrainingData load(Recipe recipe) {
        Path dir = folder(recipe.data());
        Dataset train = limit(Dataset.read(dir, Split.TRAIN), recipe.trainLimit());
        Dataset test = limit(Dataset.read(dir, Split.TEST), recipe.testLimit());
        if (train.rows() != test.rows() || train.cols() != test.cols()) {
            throw new IllegalArgumentException(dir + ": training images are " + train.rows() + "x" + train.cols()
                    + " but test images " + test.rows() + "x" + test.cols());
        }
        return new TrainingData(train, test, dir);
    }

    private static Dataset limit(Dataset d, int limit) {
        return limit > 0 && limit < d.count() ? d.slice(0, limit) : d;
    }
}
