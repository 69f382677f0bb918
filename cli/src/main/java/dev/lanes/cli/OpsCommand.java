package dev.lanes.cli;

import dev.lanes.compiler.ops.OpHandler;
import dev.lanes.compiler.ops.OpRegistry;
import java.io.PrintStream;
import java.util.Map;
import java.util.Set;

/** {@code lanes ops}: the operators this build of Lanes can run, with their opset ranges. */
final class OpsCommand implements Command {
    @Override
    public String name() {
        return "ops";
    }

    @Override
    public String summary() {
        return "list the ONNX operators Lanes supports, with their opset versions";
    }

    @Override
    public String help() {
        return """
                usage: lanes ops [--markdown]

                Lists every operator of the default ONNX domain that Lanes implements, with the
                opset versions it accepts, sorted by name.

                  --markdown   one comma-separated line, as the README lists them
                """;
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of();
    }

    @Override
    public Set<String> flags() {
        return Set.of("--markdown");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws UsageException {
        args.expectPositional(0, 0, "");
        Map<String, OpHandler> ops = OpRegistry.defaults().all();
        if (args.has("--markdown")) {
            out.println(String.join(", ", ops.keySet().stream().map(o -> "`" + o + "`").toList()));
            return Main.OK;
        }
        int width = ops.keySet().stream().mapToInt(String::length).max().orElse(0);
        ops.forEach((op, h) -> out.printf("%-" + width + "s  opset %d-%d%n", op, h.minOpset(),
                h.maxOpset()));
        out.println(ops.size() + " operators");
        return Main.OK;
    }
}
