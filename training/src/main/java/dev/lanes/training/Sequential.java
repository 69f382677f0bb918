package dev.lanes.training;

import java.util.ArrayList;
import java.util.List;

/** Layers applied one after another; backward runs them in reverse. */
public final class Sequential implements Layer {
    private final String name;
    private final List<Layer> layers;

    /** A chain named {@code name} of {@code layers}. */
    public Sequential(String name, List<Layer> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException(name + ": a sequential container needs at least one layer");
        }
        this.name = name;
        this.layers = List.copyOf(layers);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor t = x;
        for (Layer l : layers) {
            t = l.forward(t);
        }
        return t;
    }

    @Override
    public Tensor backward(Tensor dy) {
        Tensor g = dy;
        for (int i = layers.size() - 1; i >= 0; i--) {
            g = layers.get(i).backward(g);
        }
        return g;
    }

    @Override
    public void backwardParametersOnly(Tensor dy) {
        Tensor g = dy;
        for (int i = layers.size() - 1; i > 0; i--) {
            g = layers.get(i).backward(g);
        }
        layers.get(0).backwardParametersOnly(g);
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        for (Layer l : layers) {
            ps.addAll(l.parameters());
        }
        return ps;
    }

    @Override
    public void setStep(long step) {
        for (Layer l : layers) {
            l.setStep(step);
        }
    }

    @Override
    public void setTraining(boolean training) {
        for (Layer l : layers) {
            l.setTraining(training);
        }
    }

    /** The layers in order. */
    public List<Layer> layers() {
        return layers;
    }

    @Override
    public String name() {
        return name;
    }
}
