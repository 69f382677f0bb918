package dev.lanes.training.optim;

import dev.lanes.training.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * A model's parameters as the optimizers see them: the same arrays, no copies. Weights of rank
 * 2 or more (convolution and linear weights) decay; vectors (biases, BatchNorm scales and
 * shifts) do not.
 */
public final class Params {
    private Params() {
    }

    /** The optimizer's view of each parameter, in order. */
    public static List<Param> of(List<Parameter> parameters) {
        List<Param> out = new ArrayList<>(parameters.size());
        for (Parameter p : parameters) {
            out.add(new ArrayParam(p.name(), p.value().data(), p.grad().data(),
                    p.value().rank() >= 2));
        }
        return out;
    }
}
