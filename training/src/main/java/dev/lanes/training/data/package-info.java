/**
 * Data for training: IDX files (MNIST, Fashion-MNIST) read with bounded memory, a
 * {@link dev.lanes.training.data.Dataset} of images scaled to [0, 1] and optionally normalized,
 * seeded shuffled mini-batches ({@link dev.lanes.training.data.Batches}) and augmentations
 * ({@link dev.lanes.training.data.RandomCrop}, {@link dev.lanes.training.data.HorizontalFlip}).
 *
 * <p>Randomness comes from {@link dev.lanes.training.data.SeededRandom}, a generator defined here
 * rather than by the JDK, with one stream per (seed, purpose, epoch, example): a seeded run gives
 * the same batches everywhere, and a resumed run needs only the seed and the epoch number.
 * Fashion-MNIST's default location is Debian's {@code dataset-fashion-mnist} package,
 * {@link dev.lanes.training.data.DatasetFiles#FASHION_MNIST}.
 */
package dev.lanes.training.data;
