package dev.lanes.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real convolution layer shapes of ResNet-50 and MobileNetV2 at 224x224, batch 1, named for
 * JMH {@code @Param} values ({@code r50.*}, {@code mv2.*}). Depthwise layers have
 * {@code group == inChannels == outChannels}.
 */
public final class LayerShapes {
    /** One 2-D convolution: input C x H x W, M filters of K x K, square stride and pads. */
    public record Conv(String name, int inChannels, int height, int width, int outChannels,
            int kernel, int stride, int pad, int group) {
        /** Output height. */
        public int outHeight() {
            return (height + 2 * pad - kernel) / stride + 1;
        }

        /** Output width. */
        public int outWidth() {
            return (width + 2 * pad - kernel) / stride + 1;
        }

        /** Whether each channel is convolved on its own. */
        public boolean depthwise() {
            return group > 1 && group == inChannels && group == outChannels;
        }

        /** GEMM rows of the im2col form: the filters of one group. */
        public int gemmM() {
            return outChannels / group;
        }

        /** GEMM depth of the im2col form: the inputs of one filter. */
        public int gemmK() {
            return inChannels / group * kernel * kernel;
        }

        /** GEMM columns of the im2col form: the output pixels. */
        public int gemmN() {
            return outHeight() * outWidth();
        }

        /** Floating-point operations of one run (a multiply-add counts 2). */
        public double flops() {
            return 2.0 * group * gemmM() * gemmK() * gemmN();
        }
    }

    /** ResNet-50's distinct convolutions (stem, bottleneck 1x1/3x3/1x1, downsampling). */
    public static final List<Conv> RESNET50 = List.of(
            new Conv("r50.conv1", 3, 224, 224, 64, 7, 2, 3, 1),
            new Conv("r50.l1.1x1a", 64, 56, 56, 64, 1, 1, 0, 1),
            new Conv("r50.l1.3x3", 64, 56, 56, 64, 3, 1, 1, 1),
            new Conv("r50.l1.1x1b", 64, 56, 56, 256, 1, 1, 0, 1),
            new Conv("r50.l2.3x3", 128, 28, 28, 128, 3, 1, 1, 1),
            new Conv("r50.l2.down", 256, 56, 56, 512, 1, 2, 0, 1),
            new Conv("r50.l3.1x1a", 1024, 14, 14, 256, 1, 1, 0, 1),
            new Conv("r50.l3.3x3", 256, 14, 14, 256, 3, 1, 1, 1),
            new Conv("r50.l4.3x3", 512, 7, 7, 512, 3, 1, 1, 1),
            new Conv("r50.l4.1x1b", 512, 7, 7, 2048, 1, 1, 0, 1));

    /** MobileNetV2's stem, pointwise expand/project convolutions and depthwise convolutions. */
    public static final List<Conv> MOBILENET_V2 = List.of(
            new Conv("mv2.stem", 3, 224, 224, 32, 3, 2, 1, 1),
            new Conv("mv2.b1.dw", 32, 112, 112, 32, 3, 1, 1, 32),
            new Conv("mv2.b1.project", 32, 112, 112, 16, 1, 1, 0, 1),
            new Conv("mv2.b2.expand", 16, 112, 112, 96, 1, 1, 0, 1),
            new Conv("mv2.b2.dw", 96, 112, 112, 96, 3, 2, 1, 96),
            new Conv("mv2.b3.dw", 144, 56, 56, 144, 3, 1, 1, 144),
            new Conv("mv2.b3.project", 144, 56, 56, 24, 1, 1, 0, 1),
            new Conv("mv2.b7.expand", 64, 14, 14, 384, 1, 1, 0, 1),
            new Conv("mv2.b7.dw", 384, 14, 14, 384, 3, 1, 1, 384),
            new Conv("mv2.b14.dw", 960, 7, 7, 960, 3, 1, 1, 960),
            new Conv("mv2.last", 320, 7, 7, 1280, 1, 1, 0, 1));

    private static final Map<String, Conv> BY_NAME = new LinkedHashMap<>();

    static {
        for (Conv c : RESNET50) {
            BY_NAME.put(c.name(), c);
        }
        for (Conv c : MOBILENET_V2) {
            BY_NAME.put(c.name(), c);
        }
    }

    private LayerShapes() {
    }

    /** Every shape, ResNet-50 first. */
    public static List<Conv> all() {
        return List.copyOf(BY_NAME.values());
    }

    /** The shape called {@code name}. */
    public static Conv conv(String name) {
        Conv c = BY_NAME.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no layer shape '" + name + "'; known: "
                    + BY_NAME.keySet());
        }
        return c;
    }
}
