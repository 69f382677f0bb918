package dev.lanes.training.run;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything that decides a training run's result: the model, the data, the optimizer and its
 * schedule, clipping, augmentation, the seed. It is a map of named settings (the names are the
 * options of {@code lanes train} without their dashes), each checked when set, so that a
 * checkpoint stores it as it is and a resumed run rebuilds the same run from the file alone.
 * Threads and the backend are not in it: they do not change the result.
 *
 * <p>The defaults are the tutorials' full recipe: LeNet-BN on Fashion-MNIST, AdamW at 2e-3 with
 * weight decay 0.05, one epoch of warm-up then cosine, clipping at norm 1.0, random crop with
 * 2-pixel padding and horizontal flip, batches of 64, 10 epochs.
 */
public final class Recipe {
    /** The settings, in the order help and checkpoints list them, with their defaults. */
    private static final Map<String, String> DEFAULTS = defaultSettings();

    private static Map<String, String> defaultSettings() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("model", "lenet-bn");
        d.put("data", "fashion-mnist");
        d.put("epochs", "10");
        d.put("batch", "64");
        d.put("optimizer", "adamw");
        d.put("lr", "0.002");
        d.put("momentum", "0.9");
        d.put("nesterov", "false");
        d.put("weight-decay", "0.05");
        d.put("schedule", "cosine");
        d.put("warmup", "1");
        d.put("step-epochs", "5");
        d.put("gamma", "0.1");
        d.put("clip", "1.0");
        d.put("augment", "crop,flip");
        d.put("crop-padding", "2");
        d.put("seed", "1");
        d.put("train-limit", "0");
        d.put("test-limit", "0");
        return Collections.unmodifiableMap(d);
    }

    /** The largest batch: 8192 LeNet-BN images already hold 1.5 GB of activations. */
    public static final int MAX_BATCH = 8192;
    /** The largest crop padding, in pixels. */
    public static final int MAX_CROP_PADDING = 64;

    /** The optimizers by name. */
    public static final List<String> OPTIMIZERS = List.of("sgd", "adam", "adamw");
    /** The schedules by name. */
    public static final List<String> SCHEDULES = List.of("constant", "cosine", "step");
    /** The augmentations by name. */
    public static final List<String> AUGMENTATIONS = List.of("crop", "flip");

    private final Map<String, String> values;

    private Recipe(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** The default recipe. */
    public static Recipe defaults() {
        return new Recipe(new LinkedHashMap<>(DEFAULTS));
    }

    /** The names of the settings. */
    public static Set<String> names() {
        return DEFAULTS.keySet();
    }

    /** The defaults, setting by setting. */
    public static String defaultOf(String name) {
        return DEFAULTS.get(name);
    }

    /** A recipe from stored settings (a checkpoint's); settings it lacks take their defaults. */
    public static Recipe of(Map<String, String> settings) {
        Recipe r = defaults();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            r = r.with(e.getKey(), e.getValue());
        }
        return r;
    }

    /** This recipe with {@code name} set to {@code value}, checked; an unknown name or bad value is an error. */
    public Recipe with(String name, String value) {
        if (!DEFAULTS.containsKey(name)) {
            throw new IllegalArgumentException("no training setting '" + name + "'; the settings are "
                    + DEFAULTS.keySet());
        }
        String v = value.trim();
        check(name, v);
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(name, name.equals("augment") ? canonicalAugment(v) : v);
        return new Recipe(copy);
    }

    private static void check(String name, String v) {
        switch (name) {
            case "epochs" -> whole(name, v, 1);
            case "batch" -> {
                if (whole(name, v, 1) > MAX_BATCH) {
                    throw new IllegalArgumentException("batch: at most " + MAX_BATCH + ", got " + v);
                }
            }
            case "crop-padding" -> {
                if (whole(name, v, 1) > MAX_CROP_PADDING) {
                    throw new IllegalArgumentException("crop-padding: at most " + MAX_CROP_PADDING + " pixels, got " + v);
                }
            }
            case "step-epochs" -> whole(name, v, 1);
            case "train-limit", "test-limit" -> whole(name, v, 0);
            case "seed" -> {
                try {
                    Long.parseLong(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("seed: expected a whole number, got '" + v + "'");
                }
            }
            case "lr" -> {
                if (!(real(name, v) > 0)) {
                    throw new IllegalArgumentException("lr: must be above 0, got " + v);
                }
            }
            case "momentum" -> {
                double m = real(name, v);
                if (!(m >= 0 && m < 1)) {
                    throw new IllegalArgumentException("momentum: must be in [0, 1), got " + v);
                }
            }
            case "weight-decay", "clip", "warmup" -> {
                if (!(real(name, v) >= 0)) {
                    throw new IllegalArgumentException(name + ": must be 0 or more, got " + v);
                }
            }
            case "gamma" -> {
                double g = real(name, v);
                if (!(g > 0 && g <= 1)) {
                    throw new IllegalArgumentException("gamma: must be in (0, 1], got " + v);
                }
            }
            case "nesterov" -> {
                if (!v.equals("true") && !v.equals("false")) {
                    throw new IllegalArgumentException("nesterov: expected true or false, got '" + v + "'");
                }
            }
            case "optimizer" -> oneOf(name, v, OPTIMIZERS);
            case "schedule" -> oneOf(name, v, SCHEDULES);
            case "augment" -> canonicalAugment(v);
            case "model", "data" -> {
                if (v.isEmpty()) {
                    throw new IllegalArgumentException(name + ": empty");
                }
            }
            default -> throw new IllegalStateException(name);
        }
    }

    private static int whole(String name, String v, int min) {
        try {
            int n = Integer.parseInt(v);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + ": expected a whole number of at least " + min + ", got '" + v + "'");
    }

    private static double real(String name, String v) {
        try {
            double d = Double.parseDouble(v);
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + ": expected a number, got '" + v + "'");
    }

    private static void oneOf(String name, String v, List<String> allowed) {
        if (!allowed.contains(v)) {
            throw new IllegalArgumentException(name + ": '" + v + "' is not one of " + allowed);
        }
    }

    /** "none", or the augmentations in a fixed order: "flip,crop" and "crop,flip" are one recipe. */
    private static String canonicalAugment(String v) {
        if (v.equals("none") || v.isEmpty()) {
            return "none";
        }
        Set<String> set = new TreeSet<>();
        for (String a : v.split(",")) {
            String t = a.trim().toLowerCase(Locale.ROOT);
            if (!AUGMENTATIONS.contains(t)) {
                throw new IllegalArgumentException("augment: '" + t + "' is not one of " + AUGMENTATIONS
                        + " (or none)");
            }
            set.add(t);
        }
        return String.join(",", set);
    }

    /** The settings as stored: every name, in order. */
    public Map<String, String> asMap() {
        return values;
    }

    /** One setting's value as text. */
    public String get(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no training setting '" + name + "'");
        }
        return v;
    }

    /** The model: a built-in name or a model spec's text. */
    public String model() {
        return get("model");
    }

    /** The data set: "fashion-mnist" or a directory of IDX files. */
    public String data() {
        return get("data");
    }

    public int epochs() {
        return Integer.parseInt(get("epochs"));
    }

    public int batch() {
        return Integer.parseInt(get("batch"));
    }

    public String optimizer() {
        return get("optimizer");
    }

    public double lr() {
        return Double.parseDouble(get("lr"));
    }

    public double momentum() {
        return Double.parseDouble(get("momentum"));
    }

    public boolean nesterov() {
        return Boolean.parseBoolean(get("nesterov"));
    }

    public double weightDecay() {
        return Double.parseDouble(get("weight-decay"));
    }

    public String schedule() {
        return get("schedule");
    }

    /** Warm-up length in epochs (fractions allowed). */
    public double warmup() {
        return Double.parseDouble(get("warmup"));
    }

    public int stepEpochs() {
        return Integer.parseInt(get("step-epochs"));
    }

    public double gamma() {
        return Double.parseDouble(get("gamma"));
    }

    /** The largest global gradient norm, 0 for no clipping. */
    public double clip() {
        return Double.parseDouble(get("clip"));
    }

    /** The augmentations, empty for none. */
    public Set<String> augment() {
        String a = get("augment");
        return a.equals("none") ? Set.of() : new TreeSet<>(List.of(a.split(",")));
    }

    public int cropPadding() {
        return Integer.parseInt(get("crop-padding"));
    }

    public long seed() {
        return Long.parseLong(get("seed"));
    }

    /** Training examples used, 0 for all. */
    public int trainLimit() {
        return Integer.parseInt(get("train-limit"));
    }

    /** Test examples used, 0 for all. */
    public int testLimit() {
        return Integer.parseInt(get("test-limit"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Recipe r && r.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
