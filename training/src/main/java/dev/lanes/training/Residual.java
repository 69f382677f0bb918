package dev.lanes.training;

import java.util.ArrayList;
import java.util.List;

/**
 * The residual add: y = main(x) + shortcut(x), the shortcut being the identity or a projection
 * (a 1x1 convolution with batch normalization where the main branch changes shape). The input's
 * gradient is the sum of the two branches' gradients.
 */
public final class Residual implements Layer {
    private final Backend backend;
    private final String name;
    private final Layer main;
    private final Layer shortcut;
    private int[] outputShape;

    /** main(x) + shortcut(x); {@code shortcut} null means the identity. */
    public Residual(Backend backend, String name, Layer main, Layer shortcut) {
        this.backend = backend;
        this.name = name;
        this.main = main;
        this.shortcut = shortcut;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor a = main.forward(x);
        Tensor b = shortcut == null ? x : shortcut.forward(x);
        if (!a.sameShape(b)) {
            throw new dev.lanes.errors.ShapeException(name + ": main branch gives " + a.shapeString()
                    + " but the shortcut gives " + b.shapeString() + " for input " + x.shapeString()
                    + (shortcut == null ? " (an identity shortcut needs a projection here)" : ""));
        }
        outputShape = a.shape();
        return backend.add(a, b);
    }

    @Override
    public Tensor backward(Tensor dy) {
        Layers.forwardDone(name, outputShape);
        Layers.sameAsOutput(name, dy, outputShape);
        Tensor dMain = main.backward(dy);
        Tensor dShort = shortcut == null ? dy : shortcut.backward(dy);
        return backend.add(dMain, dShort);
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>(main.parameters());
        if (shortcut != null) {
            ps.addAll(shortcut.parameters());
        }
        return ps;
    }

    @Override
    public void setStep(long step) {
        main.setStep(step);
        if (shortcut != null) {
            shortcut.setStep(step);
        }
    }

    @Override
    public void setTraining(boolean training) {
        main.setTraining(training);
        if (shortcut != null) {
            shortcut.setTraining(training);
        }
    }

    /** The main branch. */
    public Layer main() {
        return main;
    }

    /** The shortcut branch, or null for the identity. */
    public Layer shortcut() {
        return shortcut;
    }

    @Override
    public String name() {
        return name;
    }
}
