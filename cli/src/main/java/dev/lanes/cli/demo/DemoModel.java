package dev.lanes.cli.demo;

import dev.lanes.formats.ElementType;
import dev.lanes.formats.ModelBuilder;
import dev.lanes.formats.onnx.Onnx.ModelProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The bundled demo network: a small MNIST-shaped CNN with seeded random weights.
 *
 * <pre>
 * image [N,1,28,28]
 *   -> Conv 3x3, 8 filters, pad 1 -> BatchNormalization -> Relu -> MaxPool 2x2   [N,8,14,14]
 *   -> Conv 3x3, 16 filters        -> Relu                                       [N,16,12,12]
 *   -> GlobalAveragePool -> Flatten                                              [N,16]
 *   -> Gemm 16x10 -> Softmax                                        probabilities [N,10]
 * </pre>
 *
 * <p>Weights are He-initialised (normal, standard deviation sqrt(2 / fan-in)) from a seeded
 * generator, so the same seed gives the same file byte for byte. The network is untrained: its
 * class is arbitrary. It exists to show the whole pipeline (write, load, compile, run) on a
 * fresh machine without downloading anything.
 */
public final class DemoModel {
    /** The seed of the bundled model. */
    public static final long DEFAULT_SEED = 20_251_123L;
    /** The input's name. */
    public static final String INPUT = "image";
    /** The output's name. */
    public static final String OUTPUT = "probabilities";
    /** Height and width of the input image. */
    public static final int SIDE = 28;
    /** The number of classes. */
    public static final int CLASSES = 10;

    /**
     * One layer as the demo prints it.
     *
     * @param name        the node's name
     * @param op          its ONNX op type
     * @param detail      its configuration, e.g. "3x3, 8 filters, pad 1"
     * @param outputShape its output shape with the batch as N
     * @param parameters  how many weights it holds
     */
    public record Layer(String name, String op, String detail, String outputShape,
            long parameters) {
    }

    private final ModelBuilder builder = new ModelBuilder("lanes_demo_cnn").opset(13);
    private final List<Layer> layers = new ArrayList<>();
    private final Random random;

    private DemoModel(long seed) {
        this.random = new Random(seed);
    }

    /** The demo model with the default seed. */
    public static DemoModel create() {
        return create(DEFAULT_SEED);
    }

    /** The demo model with weights drawn from {@code seed}. */
    public static DemoModel create(long seed) {
        DemoModel m = new DemoModel(seed);
        m.define();
        return m;
    }

    private void define() {
        builder.doc("Lanes demo CNN: untrained, He-initialised weights from a fixed seed.");
        builder.input(INPUT, "N", 1, SIDE, SIDE);

        conv("conv1", INPUT, "c1", 1, 8, 1);
        declare("c1", 8, 28, 28);
        batchNorm("bn1", "c1", "b1", 8);
        declare("b1", 8, 28, 28);
        builder.node("Relu").name("relu1").inputs("b1").outputs("r1");
        declare("r1", 8, 28, 28);
        layers.add(new Layer("relu1", "Relu", "", "[N,8,28,28]", 0));
        builder.node("MaxPool").name("pool1").inputs("r1").outputs("p1")
                .ints("kernel_shape", 2, 2).ints("strides", 2, 2);
        declare("p1", 8, 14, 14);
        layers.add(new Layer("pool1", "MaxPool", "2x2, stride 2", "[N,8,14,14]", 0));

        conv("conv2", "p1", "c2", 8, 16, 0);
        declare("c2", 16, 12, 12);
        builder.node("Relu").name("relu2").inputs("c2").outputs("r2");
        declare("r2", 16, 12, 12);
        layers.add(new Layer("relu2", "Relu", "", "[N,16,12,12]", 0));
        builder.node("GlobalAveragePool").name("gap").inputs("r2").outputs("g");
        declare("g", 16, 1, 1);
        layers.add(new Layer("gap", "GlobalAveragePool", "", "[N,16,1,1]", 0));
        builder.node("Flatten").name("flatten").inputs("g").outputs("f").attr("axis", 1);
        declare("f", 16);
        layers.add(new Layer("flatten", "Flatten", "axis 1", "[N,16]", 0));

        builder.initializer("fc.weight", he(CLASSES * 16, 16), CLASSES, 16);
        builder.initializer("fc.bias", small(CLASSES), CLASSES);
        builder.node("Gemm").name("fc").inputs("f", "fc.weight", "fc.bias").outputs("logits")
                .attr("transB", 1);
        declare("logits", CLASSES);
        layers.add(new Layer("fc", "Gemm", "16 -> " + CLASSES, "[N," + CLASSES + "]",
                CLASSES * 16 + CLASSES));
        builder.node("Softmax").name("softmax").inputs("logits").outputs(OUTPUT)
                .attr("axis", 1);
        layers.add(new Layer("softmax", "Softmax", "axis 1", "[N," + CLASSES + "]", 0));
        builder.output(OUTPUT, "N", CLASSES);
    }

    private void conv(String name, String in, String out, int channels, int filters, int pad) {
        int fanIn = channels * 3 * 3;
        builder.initializer(name + ".weight", he(filters * fanIn, fanIn), filters, channels, 3, 3);
        builder.initializer(name + ".bias", small(filters), filters);
        builder.node("Conv").name(name).inputs(in, name + ".weight", name + ".bias").outputs(out)
                .ints("kernel_shape", 3, 3).ints("pads", pad, pad, pad, pad)
                .ints("strides", 1, 1);
        int side = name.equals("conv1") ? SIDE : 14;
        int outSide = side + 2 * pad - 2;
        layers.add(new Layer(name, "Conv", "3x3, " + filters + " filters"
                + (pad > 0 ? ", pad " + pad : ""), "[N," + filters + "," + outSide + ","
                + outSide + "]", (long) filters * fanIn + filters));
    }

    private void batchNorm(String name, String in, String out, int channels) {
        float[] scale = new float[channels];
        float[] bias = small(channels);
        float[] mean = small(channels);
        float[] var = new float[channels];
        for (int c = 0; c < channels; c++) {
            scale[c] = 1 + 0.1f * (float) random.nextGaussian();
            var[c] = 0.5f + random.nextFloat();
        }
        builder.initializer(name + ".scale", scale, channels);
        builder.initializer(name + ".bias", bias, channels);
        builder.initializer(name + ".mean", mean, channels);
        builder.initializer(name + ".var", var, channels);
        builder.node("BatchNormalization").name(name)
                .inputs(in, name + ".scale", name + ".bias", name + ".mean", name + ".var")
                .outputs(out).attr("epsilon", 1e-5f);
        layers.add(new Layer(name, "BatchNormalization", channels + " channels",
                "[N," + channels + ",28,28]", 4L * channels));
    }

    /** Records the shape of an intermediate value, batch first, for tools that read hints. */
    private void declare(String value, int... dims) {
        Object[] d = new Object[dims.length + 1];
        d[0] = "N";
        for (int i = 0; i < dims.length; i++) {
            d[i + 1] = dims[i];
        }
        builder.valueInfo(value, ElementType.FLOAT, d);
    }

    /** He initialisation: normal with standard deviation sqrt(2 / fan-in). */
    private float[] he(int count, int fanIn) {
        double std = Math.sqrt(2.0 / fanIn);
        float[] w = new float[count];
        for (int i = 0; i < count; i++) {
            w[i] = (float) (random.nextGaussian() * std);
        }
        return w;
    }

    private float[] small(int count) {
        float[] b = new float[count];
        for (int i = 0; i < count; i++) {
            b[i] = (float) (random.nextGaussian() * 0.05);
        }
        return b;
    }

    /** The model as an ONNX message. */
    public ModelProto proto() {
        return builder.build();
    }

    /** The model serialized as an ONNX file's bytes. */
    public byte[] bytes() {
        return builder.toBytes();
    }

    /** The builder holding the model, to write it to a file. */
    public ModelBuilder builder() {
        return builder;
    }

    /** The layers in order, as the demo prints them. */
    public List<Layer> layers() {
        return List.copyOf(layers);
    }
}
