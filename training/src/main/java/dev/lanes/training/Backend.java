package dev.lanes.training;

/**
 * The array operations the layers are written in, so one layer implementation runs on every
 * backend (the CPU one here; a CUDA one later). Operations return new tensors and never change
 * their arguments. Shapes are checked; a mismatch is a {@link dev.lanes.errors.ShapeException}
 * naming the operation and the shapes.
 *
 * <p>Image tensors are NCHW. "Channel" operations treat a rank-2 tensor [N, C] as NCHW with
 * H = W = 1, so batch normalization of features uses the same operations.
 */
public interface Backend {

    /** y = conv(x, w) (+ bias per output channel when {@code bias} is not null). x [N, C, H, W], w [OC, C / groups, KH, KW]. */
    Tensor conv2d(Tensor x, Tensor w, Tensor bias, ConvSpec spec);

    /** The gradient of a convolution's loss with respect to its input of shape {@code xShape}. */
    Tensor conv2dBackwardInput(Tensor dy, Tensor w, int[] xShape, ConvSpec spec);

    /** The gradient of a convolution's loss with respect to its weight of shape {@code wShape}, summed over the batch. */
    Tensor conv2dBackwardWeight(Tensor dy, Tensor x, int[] wShape, ConvSpec spec);

    /** The product op(a) op(b) of two matrices, op transposing when its flag is set. */
    Tensor matmul(Tensor a, boolean transposeA, Tensor b, boolean transposeB);

    /** a + b, element by element (same shapes). */
    Tensor add(Tensor a, Tensor b);

    /** a * b, element by element (same shapes). */
    Tensor mul(Tensor a, Tensor b);

    /** Adds the vector {@code v} [F] to every row of the matrix {@code m} [N, F]. */
    Tensor addRowVector(Tensor m, Tensor v);

    /** The sums of the columns of {@code m} [N, F]: a vector [F]. */
    Tensor sumRows(Tensor m);

    /** max(x, 0). */
    Tensor relu(Tensor x);

    /** The gradient through a ReLU: dy where the ReLU's output {@code y} is positive, else 0. */
    Tensor reluBackward(Tensor dy, Tensor y);

    /** The sum over batch and space of each channel: a vector [C]. */
    Tensor channelSum(Tensor x);

    /** The mean and the biased variance over batch and space of each channel. */
    ChannelMoments channelMoments(Tensor x);

    /** The sum over batch and space of each channel c of g * (x - centre[c]): a vector [C]. */
    Tensor channelCentredDot(Tensor g, Tensor x, float[] centre);

    /** x * scale[c] + shift[c] on each channel c. */
    Tensor channelAffine(Tensor x, float[] scale, float[] shift);

    /** a * sa[c] + (b - centre[c]) * sb[c] + shift[c] on each channel c (a and b of the same shape). */
    Tensor channelCombine(Tensor a, float[] sa, Tensor b, float[] centre, float[] sb, float[] shift);

    /** Max pooling; the result remembers where each maximum came from for the backward pass. */
    MaxPoolResult maxPool(Tensor x, PoolSpec spec);

    /** The gradient of a max pooling: each dy goes to the input place its maximum came from. */
    Tensor maxPoolBackward(Tensor dy, int[] argmax, int[] xShape);

    /** Average pooling over the in-bounds places of each window. */
    Tensor avgPool(Tensor x, PoolSpec spec);

    /** The gradient of an average pooling over an input of shape {@code xShape}. */
    Tensor avgPoolBackward(Tensor dy, int[] xShape, PoolSpec spec);

    /** The mean over the batch of the softmax cross-entropy of {@code logits} [N, K] and class {@code labels}, and its gradient. */
    LossResult softmaxCrossEntropy(Tensor logits, int[] labels);

    /** The output of {@link #maxPool}: the pooled tensor and, per output, the flat input index of its maximum. */
    record MaxPoolResult(Tensor output, int[] argmax) {
    }

    /** The statistics of {@link #channelMoments}, one entry per channel. */
    record ChannelMoments(float[] mean, float[] variance) {
    }

    /** A loss value and its gradient with respect to the logits. */
    record LossResult(double loss, Tensor gradient) {
    }
}
