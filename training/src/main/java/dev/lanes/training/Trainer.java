package dev.lanes.training;

import dev.lanes.training.data.Augmentation;
import dev.lanes.training.data.Batch;
import dev.lanes.training.data.Batches;
import dev.lanes.training.data.Dataset;
import dev.lanes.training.optim.GradientClipping;
import dev.lanes.training.optim.ScheduledOptimizer;
import java.util.List;

/**
 * The training loop of one model: an epoch of shuffled, augmented mini-batches (forward, loss,
 * backward, optional clipping by global norm, a scheduled optimizer step), then the accuracy on
 * a test set in evaluation mode. Repeatable: the batches depend only on the seed and the epoch.
 */
public final class Trainer {
    /**
     * What one epoch did.
     *
     * @param epoch           the epoch, from 1
     * @param trainLoss       the mean loss over the epoch's training examples
     * @param testAccuracy    the fraction of test examples classified right after the epoch
     * @param imagesPerSecond training examples per second of the epoch's training part
     * @param seconds         the epoch's wall time, evaluation included
     */
    public record EpochMetrics(int epoch, double trainLoss, double testAccuracy,
            double imagesPerSecond, double seconds) {
    }

    /** Told after every training step of an epoch, for a progress display. */
    @FunctionalInterface
    public interface Progress {
        /**
         * @param done            steps done in this epoch
         * @param total           steps in the epoch
         * @param meanLoss        the mean training loss of the epoch so far
         * @param imagesPerSecond training examples per second so far
         */
        void step(int done, int total, double meanLoss, double imagesPerSecond);

        /** Tells nothing. */
        Progress NONE = (done, total, meanLoss, imagesPerSecond) -> { };
    }

    private final Sequential model;
    private final ScheduledOptimizer optimizer;
    private final double clipNorm;
    private final Batches batches;
    private final SoftmaxCrossEntropy loss;

    /**
     * A trainer.
     *
     * @param model        the model, trained in place
     * @param backend      the backend the model's layers were built on
     * @param optimizer    the optimizer over the model's parameters, with its schedule
     * @param clipNorm     the largest global gradient norm, or 0 for no clipping
     * @param train        the training examples
     * @param batchSize    examples per step
     * @param seed         the seed of the shuffling and augmentation
     * @param augmentation what is done to each training image
     */
    public Trainer(Sequential model, Backend backend, ScheduledOptimizer optimizer,
            double clipNorm, Dataset train, int batchSize, long seed, Augmentation augmentation) {
        if (clipNorm < 0) {
            throw new IllegalArgumentException("clip norm must be 0 (none) or more, got "
                    + clipNorm);
        }
        this.model = model;
        this.optimizer = optimizer;
        this.clipNorm = clipNorm;
        this.batches = Batches.shuffled(train, batchSize, seed, augmentation);
        this.loss = new SoftmaxCrossEntropy(backend);
    }

    /** Trains epoch {@code epoch} (from 1) and measures the test accuracy after it. */
    public EpochMetrics epoch(int epoch, Dataset test) {
        return epoch(epoch, test, Progress.NONE);
    }

    /** The steps of one epoch. */
    public int stepsPerEpoch() {
        return batches.batchesPerEpoch();
    }

    /** Trains epoch {@code epoch} (from 1), telling {@code progress} after each step, and measures the test accuracy after it. */
    public EpochMetrics epoch(int epoch, Dataset test, Progress progress) {
        long t0 = System.nanoTime();
        int total = batches.batchesPerEpoch();
        int done = 0;
        model.setTraining(true);
        List<Parameter> params = model.parameters();
        double lossSum = 0;
        long seen = 0;
        long step = (long) (epoch - 1) * total;
        for (Batch b : batches.epoch(epoch - 1)) {
            for (Parameter p : params) {
                p.zeroGrad();
            }
            model.setStep(step++);
            double l = loss.forward(model.forward(images(b)), b.labels());
            if (!Double.isFinite(l)) {
                throw new IllegalStateException("epoch " + epoch + ": the loss became " + l
                        + " after " + optimizer.optimizer().steps() + " steps (learning rate "
                        + optimizer.optimizer().learningRate() + ")");
            }
            lossSum += l * b.size();
            seen += b.size();
            model.backwardParametersOnly(loss.backward());
            if (clipNorm > 0) {
                GradientClipping.clipByGlobalNorm(optimizer.optimizer().params(), clipNorm);
            }
            optimizer.step();
            done++;
            progress.step(done, total, lossSum / seen, seen / ((System.nanoTime() - t0) / 1e9));
        }
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        double accuracy = accuracy(model, test, 256);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new EpochMetrics(epoch, lossSum / Math.max(1, seen), accuracy,
                seen / trainSeconds, seconds);
    }

    /** The fraction of {@code data}'s examples whose largest logit is their label. */
    public static double accuracy(Sequential model, Dataset data, int batchSize) {
        model.setTraining(false);
        long right = 0;
        for (Batch b : Batches.inOrder(data, batchSize).epoch(0)) {
            Tensor logits = model.forward(images(b));
            int classes = logits.shape()[1];
            float[] z = logits.data();
            for (int i = 0; i < b.size(); i++) {
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (z[i * classes + c] > z[i * classes + best]) {
                        best = c;
                    }
                }
                right += best == b.labels()[i] ? 1 : 0;
            }
        }
        return data.count() == 0 ? 0 : (double) right / data.count();
    }

    private static Tensor images(Batch b) {
        return new Tensor(new int[] {b.size(), 1, b.rows(), b.cols()}, b.images());
    }
}
