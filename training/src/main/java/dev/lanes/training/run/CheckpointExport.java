package dev.lanes.training.run;

import dev.lanes.formats.onnx.Onnx.ModelProto;
import dev.lanes.training.CpuBackend;
import dev.lanes.training.ModelSpec;
import dev.lanes.training.Sequential;
import dev.lanes.training.checkpoint.TrainingCheckpoint;
import dev.lanes.training.export.OnnxExport;
import java.nio.file.Path;
import java.util.Map;

/**
 * The inference graph of a checkpoint: its model rebuilt from the recipe it holds (or, for a
 * checkpoint without one, from the built-in model it names), its weights and BatchNorm
 * statistics loaded, exported as ONNX ({@link OnnxExport}).
 */
public final class CheckpointExport {
    private CheckpointExport() {
    }

    /** The model spec of a checkpoint. */
    public static ModelSpec spec(Path checkpoint) {
        Map<String, String> recipe = TrainingCheckpoint.peekRecipe(checkpoint);
        if (!recipe.isEmpty()) {
            return TrainingRun.spec(Recipe.of(recipe));
        }
        String name = TrainingCheckpoint.peek(checkpoint);
        if (!ModelSpec.builtInNames().contains(name)) {
            throw new IllegalArgumentException(checkpoint + ": the checkpoint's model '" + name + "' is not built in"
                    + " and the checkpoint holds no model spec");
        }
        return ModelSpec.builtIn(name);
    }

    /** The checkpoint's model in evaluation form as ONNX: input "input" [N, C, H, W], output "logits". */
    public static ModelProto onnx(Path checkpoint) {
        ModelSpec spec = spec(checkpoint);
        // Built to hold the weights, never run: one thread is enough.
        try (CpuBackend backend = new CpuBackend(1)) {
            Sequential model = spec.build(backend, 0);
            TrainingCheckpoint.load(checkpoint, model);
            int[] in = spec.input();
            return OnnxExport.export(model, in[0], in[1], in[2], spec.outputs());
        }
    }
}
