package dev.lanes.training;

import java.util.ArrayList;
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
     * LeNet with batch normalization for [N, 1, 28, 28] images and 10 classes: conv 5x5 (6
     * channels, pad 2, keeping 28x28 as LeNet-5's 32x32 input would) - BN - ReLU - max pool 2,
     * conv 5x5 (16 channels) - BN - ReLU - max pool 2, then fully connected 400 - 120 - 84 - 10
     * with ReLUs between. The output is the logits.
     */
    public static Sequential lenetBn(Backend b, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        PoolSpec pool = new PoolSpec(2, 2, 0);
        return new Sequential("lenet-bn", List.of(
                new Conv2d(b, "conv1", 1, 6, 5, new ConvSpec(1, 2, 1), false, rng),
                new BatchNorm2d(b, "bn1", 6),
                new ReLU(b, "relu1"),
                new MaxPool2d(b, "pool1", pool),
                new Conv2d(b, "conv2", 6, 16, 5, ConvSpec.plain(), false, rng),
                new BatchNorm2d(b, "bn2", 16),
                new ReLU(b, "relu2"),
                new MaxPool2d(b, "pool2", pool),
                new Flatten("flatten"),
                new Linear(b, "fc1", 16 * 5 * 5, 120, rng),
                new ReLU(b, "relu3"),
                new Linear(b, "fc2", 120, 84, rng),
                new ReLU(b, "relu4"),
                new Linear(b, "fc3", 84, 10, rng)));
    }

    /**
     * A small ResNet for [N, 1, 28, 28] images and 10 classes: a 3x3 stem of 16 channels with BN
     * and ReLU, three basic blocks (16, 32 with stride 2, 64 with stride 2: 28 to 14 to 7), global
     * average pooling and a fully connected layer to the logits.
     */
    public static Sequential smallResNet(Backend b, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Layer> layers = new ArrayList<>();
        layers.add(new Conv2d(b, "stem.conv", 1, 16, 3, new ConvSpec(1, 1, 1), false, rng));
        layers.add(new BatchNorm2d(b, "stem.bn", 16));
        layers.add(new ReLU(b, "stem.relu"));
        layers.add(basicBlock(b, "block1", 16, 16, 1, rng));
        layers.add(basicBlock(b, "block2", 16, 32, 2, rng));
        layers.add(basicBlock(b, "block3", 32, 64, 2, rng));
        layers.add(new GlobalAvgPool(b, "pool"));
        layers.add(new Flatten("flatten"));
        layers.add(new Linear(b, "fc", 64, 10, rng));
        return new Sequential("small-resnet", layers);
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
