package dev.lanes.training;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Builders of the reference models. Every builder takes a seed, so the same seed gives the same
 * initial weights; layer names become parameter names ({@code conv1.weight}).
 */
public final class Models {
    private Models() {
    }

    /**
     * LeNet with batch normalization for [N, 1, 28, 28] images and 10 classes ({@link
     * ModelSpec#LENET_BN}): conv 5x5 (6 channels, pad 2) - BN - ReLU - max pool 2, conv 5x5 (16
     * channels) - BN - ReLU - max pool 2, then fully connected 400 - 120 - 84 - 10 with BN and
     * ReLU between. The output is the logits.
     */
    public static Sequential lenetBn(Backend b, long seed) {
        return ModelSpec.builtIn("lenet-bn").build(b, seed);
    }

    /**
     * A small ResNet for [N, 1, 28, 28] images and 10 classes ({@link ModelSpec#SMALL_RESNET}): a
     * 3x3 stem of 16 channels with BN and ReLU, three basic blocks (16, 32 with stride 2, 64 with
     * stride 2: 28 to 14 to 7), global average pooling and a fully connected layer to the logits.
     */
    public static Sequential smallResNet(Backend b, long seed) {
        return ModelSpec.builtIn("small-resnet").build(b, seed);
    }

    /**
     * A basic residual block: relu(bn(conv3x3(relu(bn(conv3x3(x))))) + shortcut(x)), the first
     * convolution carrying the stride; the shortcut is the identity when shape is kept and a
     * strided 1x1 convolution with BN otherwise.
     */
    public static Sequential basicBlock(Backend b, String name, int in, int out, int stride, SplittableRandom rng) {
        Sequential main = new Sequential(name + ".main", List.of(
                new Conv2d(b, name + ".conv1", in, out, 3, new ConvSpec(stride, 1, 1), false, rng),
                new BatchNorm2d(b, name + ".bn1", out),
                new ReLU(b, name + ".relu1"),
                new Conv2d(b, name + ".conv2", out, out, 3, new ConvSpec(1, 1, 1), false, rng),
                new BatchNorm2d(b, name + ".bn2", out)));
        Layer shortcut = null;
        if (stride != 1 || in != out) {
            shortcut = new Sequential(name + ".shortcut", List.of(
                    new Conv2d(b, name + ".shortcut.conv", in, out, 1, new ConvSpec(stride, 0, 1), false, rng),
                    new BatchNorm2d(b, name + ".shortcut.bn", out)));
        }
        return new Sequential(name, List.of(
                new Residual(b, name + ".add", main, shortcut),
                new ReLU(b, name + ".relu2")));
    }
}
