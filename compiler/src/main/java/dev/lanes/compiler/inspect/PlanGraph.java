package dev.lanes.compiler.inspect;

import dev.lanes.compiler.CompileOptions;
import dev.lanes.compiler.Compiler;
import dev.lanes.compiler.ir.Graph;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.TensorType;
import dev.lanes.compiler.ir.Value;
import dev.lanes.compiler.ops.OpRegistry;
import dev.lanes.compiler.passes.InferShapes;
import dev.lanes.errors.LanesException;
import dev.lanes.formats.ModelReader;
import dev.lanes.formats.onnx.Onnx.ModelProto;
import dev.lanes.runtime.Plan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A compiled model seen as a graph: the graph as imported, the graph after the passes, the
 * {@link Plan} lowered from it (the plan {@code Lanes.compile} gives for the same options), and
 * one {@link Step} per plan step saying what the step computes.
 *
 * <p>The plan is compiled with free dimensions such as the batch left free, as a session runs
 * it. Only afterwards are the free dimensions of both graphs bound to 1 and shapes inferred
 * again, so shapes read per sample (as the MAC count's do) without changing the plan: binding
 * first would let shape arithmetic on the batch fold away and list steps the real plan has not.
 *
 * @param imported     the graph as imported from the file, before any pass, with shapes
 *                     inferred at batch 1 as far as inference gets without constant folding
 *                     (shapes the graph computes, and those after a node inference fails on,
 *                     may be unknown)
 * @param compiled     the graph after the enabled passes, one node per plan step in the same
 *                     order, with shapes inferred at batch 1
 * @param plan         the plan lowered from the compiled graph
 * @param steps        one description per plan step, in execution order
 * @param shapeProblem why inferring shapes at batch 1 stopped early (shapes after it are those
 *                     the compiler had with the batch free), or null
 */
public record PlanGraph(Graph imported, Graph compiled, Plan plan, List<Step> steps,
        String shapeProblem) {

    /** What {@link Output#arenaOffset()} is for an output the arena does not hold. */
    public static final long ARENA_NOT_PLANNED = -1;

    /**
     * One step of the plan.
     *
     * @param index     its position in execution order, from 0
     * @param op        the operator it runs, e.g. FusedConv ({@link Plan.Step#opType()})
     * @param name      the node's name
     * @param epilogue  what its kernel applies before storing ({@link EpilogueLabel}), "" if
     *                  nothing
     * @param algorithm the convolution algorithm (a
     *                  {@link dev.lanes.runtime.kernels.conv.ConvAlgorithm} name), "" for
     *                  steps that are not convolutions
     * @param inputs    the types of the inputs computed at run time (graph inputs and other
     *                  steps' outputs) at batch 1, in input order; constants such as weights
     *                  are left out
     * @param outputs   what it writes, in output order
     */
    public record Step(int index, String op, String name, String epilogue, String algorithm,
            List<TensorType> inputs, List<Output> outputs) {
        /** Copies the lists. */
        public Step {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
        }
    }

    /**
     * One output of a step.
     *
     * @param type        its type at batch 1 ({@link ShapeText} writes its shape)
     * @param slot        the plan's value slot it is written to
     * @param arenaOffset its byte offset in the session's arena, or {@link #ARENA_NOT_PLANNED}
     */
    public record Output(TensorType type, int slot, long arenaOffset) {
        /** True when the plan placed the output in the arena. */
        public boolean hasArenaOffset() {
            return arenaOffset != ARENA_NOT_PLANNED;
        }
    }

    /** Copies the step list. */
    public PlanGraph {
        steps = List.copyOf(steps);
    }

    /** Compiles a model file (external data is resolved beside it) and describes the result. */
    public static PlanGraph of(Path modelFile, CompileOptions options) {
        return of(ModelReader.read(modelFile), modelFile.toAbsolutePath().getParent(), options);
    }

    /**
     * Compiles a model and describes the result; {@code baseDir} is the folder of its file (for
     * external data), or null. A model that does not compile throws what compiling throws.
     */
    public static PlanGraph of(ModelProto model, Path baseDir, CompileOptions options) {
        OpRegistry ops = OpRegistry.defaults();
        Compiler compiler = new Compiler(ops, options);
        // Passes edit a graph in place: the picture before them needs a graph of its own.
        Graph imported = compiler.importGraph(model, baseDir);
        Graph compiled = compiler.importGraph(model, baseDir);
        compiler.optimize(compiled);
        Plan plan = compiler.lower(compiled);
        List<Node> nodes = List.copyOf(compiled.nodes());
        // Read while the shapes are the ones lowering chose the kernels by.
        List<String> epilogues = nodes.stream().map(EpilogueLabel::of).toList();
        List<String> algorithms = nodes.stream().map(AlgorithmName::of).toList();
        inferAtBatchOne(imported, ops);
        String shapeProblem = inferAtBatchOne(compiled, ops);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < plan.steps().size(); i++) {
            steps.add(step(i, plan, nodes.get(i), epilogues.get(i), algorithms.get(i)));
        }
        return new PlanGraph(imported, compiled, plan, steps, shapeProblem);
    }

    /** Binds free dimensions to 1 and infers shapes again; the problem that stopped it, or null. */
    private static String inferAtBatchOne(Graph g, OpRegistry ops) {
        FreeDimensions.bindToOne(g);
        try {
            new InferShapes().run(g, ops);
            return null;
        } catch (LanesException e) {
            return e.getMessage();
        }
    }

    private static Step step(int index, Plan plan, Node node, String epilogue,
            String algorithm) {
        Plan.Step s = plan.steps().get(index);
        if (!s.name().equals(node.name())) {
            // Lowering makes one step per node in order; anything else is a compiler bug.
            throw new IllegalStateException("step " + index + " is '" + s.name()
                    + "' but node " + index + " is '" + node.name() + "'");
        }
        List<TensorType> inputs = new ArrayList<>();
        for (Value v : node.inputs()) {
            if (v != null && !v.isConstant()) {
                inputs.add(v.type());
            }
        }
        List<Output> outputs = new ArrayList<>();
        for (int o = 0; o < s.outputs().length; o++) {
            outputs.add(new Output(node.output(o).type(), s.outputs()[o],
                    arenaOffset(plan, s.outputs()[o])));
        }
        return new Step(index, s.opType(), s.name(), epilogue, algorithm, inputs, outputs);
    }

    /**
     * Where a slot lives in the arena: not known from the plan alone, since a session plans its
     * memory per input signature (see {@link #withArenaOffsets}).
     */
    private static long arenaOffset(Plan plan, int slot) {
        return ARENA_NOT_PLANNED;
    }

    /**
     * The same description with each output's arena offset, from a session's memory profile of
     * this plan ({@code Session.MemoryProfile.slotOffsets()}: bytes per slot, -1 for none).
     */
    public PlanGraph withArenaOffsets(long[] slotOffsets) {
        List<Step> placed = new ArrayList<>();
        for (Step s : steps) {
            List<Output> outs = new ArrayList<>();
            for (Output o : s.outputs()) {
                long at = o.slot() < slotOffsets.length ? slotOffsets[o.slot()] : -1;
                outs.add(new Output(o.type(), o.slot(), at >= 0 ? at : ARENA_NOT_PLANNED));
            }
            placed.add(new Step(s.index(), s.op(), s.name(), s.epilogue(), s.algorithm(),
                    s.inputs(), outs));
        }
        return new PlanGraph(imported, compiled, plan, placed, shapeProblem);
    }
}
