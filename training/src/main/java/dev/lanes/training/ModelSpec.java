package dev.lanes.training;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A model written as text, one layer per line, which {@code lanes train --model FILE} reads and
 * checkpoints keep so that a checkpoint alone rebuilds its model. The first line is the input,
 * then each line a layer and its settings as key=value:
 *
 * <pre>
 * # LeNet with batch normalization
 * name lenet-bn
 * input 1 28 28
 * conv out=6 kernel=5 pad=2 bias=false
 * bn
 * relu
 * maxpool kernel=2
 * flatten
 * linear out=10
 * </pre>
 *
 * <p>Layers: {@code conv out= kernel= [stride=1] [pad=0] [groups=1] [bias=true]}, {@code bn
 * [momentum=0.1] [eps=1e-5]}, {@code relu}, {@code maxpool kernel= [stride=kernel] [pad=0]},
 * {@code avgpool kernel= [stride=kernel] [pad=0]}, {@code gap} (global average pooling),
 * {@code flatten}, {@code linear out=}, {@code dropout p=}, {@code block out= [stride=1]} (a basic
 * residual block). {@code #} starts a comment. Mistakes are reported with their line.
 */
public final class ModelSpec {
    /** LeNet-5 with batch normalization after each layer but the last, for 28x28 grey images and 10 classes. */
    public static final String LENET_BN = """
            # LeNet with batch normalization: conv-BN-ReLU-pool twice, then three fully
            # connected layers, the first two with BN too (as the tutorials apply it to every
            # layer but the output). Padding 2 keeps 28x28, as LeNet-5's 32x32 input would.
            name lenet-bn
            input 1 28 28
            conv out=6 kernel=5 pad=2 bias=false
            bn
            relu
            maxpool kernel=2
            conv out=16 kernel=5 bias=false
            bn
            relu
            maxpool kernel=2
            flatten
            linear out=120
            bn
            relu
            linear out=84
            bn
            relu
            linear out=10
            """;

    /** A small ResNet for 28x28 grey images and 10 classes: 16, 32 and 64 channels (28 to 14 to 7). */
    public static final String SMALL_RESNET = """
            # A 3x3 stem, three basic residual blocks (the last two halve the size), global
            # average pooling and a fully connected layer.
            name small-resnet
            input 1 28 28
            conv out=16 kernel=3 pad=1 bias=false
            bn
            relu
            block out=16
            block out=32 stride=2
            block out=64 stride=2
            gap
            flatten
            linear out=10
            """;

    private static final Map<String, String> BUILT_IN = Map.of("lenet-bn", LENET_BN, "small-resnet", SMALL_RESNET);

    private final String text;
    private final String name;
    private final int[] input;
    private final List<Line> layers;
    /** The output shape without the batch axis, found by the checking build of {@link #parse}. */
    private int[] outputShape;

    private record Line(int number, String op, Map<String, String> settings) {
    }

    private ModelSpec(String text, String name, int[] input, List<Line> layers) {
        this.text = text;
        this.name = name;
        this.input = input;
        this.layers = layers;
    }

    /** The names of the built-in models. */
    public static Set<String> builtInNames() {
        return new java.util.TreeSet<>(BUILT_IN.keySet());
    }

    /** A built-in model by name ({@code lenet-bn}, {@code small-resnet}). */
    public static ModelSpec builtIn(String name) {
        String text = BUILT_IN.get(name);
        if (text == null) {
            throw new IllegalArgumentException("no built-in model '" + name + "'; there are " + builtInNames());
        }
        return parse(text);
    }

    /** Reads a spec; the model's layers are checked by building it once on shapes alone. */
    public static ModelSpec parse(String text) {
        String name = "model";
        int[] input = null;
        List<Line> layers = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            String[] words = line.trim().split("\\s+");
            if (words.length == 0 || words[0].isEmpty()) {
                continue;
            }
            String op = words[0].toLowerCase(Locale.ROOT);
            if (op.equals("name")) {
                if (words.length != 2) {
                    throw error(number, "name takes one word, got '" + line.trim() + "'");
                }
                name = words[1];
                continue;
            }
            if (op.equals("input")) {
                if (input != null) {
                    throw error(number, "a second input line");
                }
                if (words.length != 4) {
                    throw error(number, "input takes channels, height and width, e.g. 'input 1 28 28'");
                }
                input = new int[3];
                for (int d = 0; d < 3; d++) {
                    input[d] = positive(number, "input", words[d + 1]);
                }
                continue;
            }
            if (input == null) {
                throw error(number, "the input line ('input C H W') must come before the layers");
            }
            Map<String, String> settings = new HashMap<>();
            for (int w = 1; w < words.length; w++) {
                int eq = words[w].indexOf('=');
                if (eq <= 0 || eq == words[w].length() - 1) {
                    throw error(number, op + ": settings are key=value, got '" + words[w] + "'");
                }
                if (settings.put(words[w].substring(0, eq).toLowerCase(Locale.ROOT), words[w].substring(eq + 1)) != null) {
                    throw error(number, op + ": '" + words[w].substring(0, eq) + "' given twice");
                }
            }
            layers.add(new Line(number, op, settings));
        }
        if (input == null) {
            throw new IllegalArgumentException("model spec: no input line ('input C H W')");
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("model spec: no layers");
        }
        ModelSpec spec = new ModelSpec(text, name, input, layers);
        // Built once without a backend: every layer's sizes are checked (layers touch their
        // backend only when run).
        spec.outputShape = spec.builder(null, 0).outputShape();
        return spec;
    }

    /** The text it was read from. */
    public String text() {
        return text;
    }

    /** The model's name. */
    public String name() {
        return name;
    }

    /** The input shape without the batch axis: [C, H, W]. */
    public int[] input() {
        return input.clone();
    }

    /** The number of classes: the features of the last layer's output. */
    public int outputs() {
        int[] out = outputShape;
        return out.length == 1 ? out[0] : out[0] * out[1] * out[2];
    }

    /** True when the model ends in features [N, F] (after flatten), as a classifier must. */
    public boolean flatOutput() {
        return outputShape.length == 1;
    }

    /** The model, its initial weights drawn from {@code seed}. */
    public Sequential build(Backend backend, long seed) {
        return builder(backend, seed).build();
    }

    private ModelBuilder builder(Backend backend, long seed) {
        ModelBuilder b = new ModelBuilder(backend, name, seed, input[0], input[1], input[2]);
        for (Line l : layers) {
            try {
                add(b, l);
            } catch (IllegalArgumentException e) {
                throw error(l.number, e.getMessage());
            }
        }
        return b;
    }

    private static void add(ModelBuilder b, Line l) {
        Settings s = new Settings(l);
        switch (l.op) {
            case "conv" -> {
                int kernel = s.positive("kernel", -1);
                b.conv(s.positive("out", -1), kernel,
                        new ConvSpec(s.positive("stride", 1), s.nonNegative("pad", 0), s.positive("groups", 1)),
                        s.bool("bias", true));
            }
            case "bn" -> b.bn(s.real("momentum", 0.1), s.real("eps", 1e-5));
            case "relu" -> b.relu();
            case "maxpool", "avgpool" -> {
                int kernel = s.positive("kernel", -1);
                PoolSpec p = new PoolSpec(kernel, s.positive("stride", kernel), s.nonNegative("pad", 0));
                if (l.op.equals("maxpool")) {
                    b.maxPool(p);
                } else {
                    b.avgPool(p);
                }
            }
            case "gap" -> b.globalAvgPool();
            case "flatten" -> b.flatten();
            case "linear" -> b.linear(s.positive("out", -1));
            case "dropout" -> b.dropout(s.real("p", -1));
            case "block" -> b.residualBlock(s.positive("out", -1), s.positive("stride", 1));
            default -> throw new IllegalArgumentException("unknown layer '" + l.op + "' (layers: conv, bn, relu,"
                    + " maxpool, avgpool, gap, flatten, linear, dropout, block)");
        }
        s.noneLeft();
    }

    private static IllegalArgumentException error(int line, String message) {
        return new IllegalArgumentException("model spec line " + line + ": " + message);
    }

    private static int positive(int line, String what, String word) {
        try {
            int v = Integer.parseInt(word);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(line, what + ": expected a positive whole number, got '" + word + "'");
    }

    /** The settings of one line, each read once; any left unread is a mistake. */
    private static final class Settings {
        private final Line line;
        private final Map<String, String> left;

        Settings(Line line) {
            this.line = line;
            this.left = new HashMap<>(line.settings);
        }

        private String take(String key) {
            return left.remove(key);
        }

        int positive(String key, int dflt) {
            String v = take(key);
            if (v == null) {
                if (dflt < 0) {
                    throw new IllegalArgumentException(line.op + " needs " + key + "=N");
                }
                return dflt;
            }
            return ModelSpec.positive(line.number, line.op + " " + key, v);
        }

        int nonNegative(String key, int dflt) {
            String v = take(key);
            if (v == null) {
                return dflt;
            }
            try {
                int n = Integer.parseInt(v);
                if (n >= 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(line.op + " " + key + ": expected 0 or more, got '" + v + "'");
        }

        double real(String key, double dflt) {
            String v = take(key);
            if (v == null) {
                if (dflt < 0) {
                    throw new IllegalArgumentException(line.op + " needs " + key + "=X");
                }
                return dflt;
            }
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(line.op + " " + key + ": expected a number, got '" + v + "'");
            }
        }

        boolean bool(String key, boolean dflt) {
            String v = take(key);
            if (v == null) {
                return dflt;
            }
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true", "yes" -> true;
                case "false", "no" -> false;
                default -> throw new IllegalArgumentException(line.op + " " + key + ": expected true or false, got '"
                        + v + "'");
            };
        }

        void noneLeft() {
            if (!left.isEmpty()) {
                throw new IllegalArgumentException(line.op + ": unknown setting" + (left.size() > 1 ? "s " : " ")
                        + new java.util.TreeSet<>(left.keySet()));
            }
        }
    }
}
