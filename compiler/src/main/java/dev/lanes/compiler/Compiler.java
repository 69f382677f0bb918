package dev.lanes.compiler;

import dev.lanes.compiler.ir.Dim;
import dev.lanes.compiler.ir.Graph;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.TensorType;
import dev.lanes.compiler.ir.Value;
import dev.lanes.compiler.onnx.OnnxImporter;
import dev.lanes.compiler.ops.OpHandler;
import dev.lanes.compiler.ops.OpRegistry;
import dev.lanes.compiler.passes.EliminateCommonSubexpressions;
import dev.lanes.compiler.passes.EliminateDeadNodes;
import dev.lanes.compiler.passes.EliminateIdentity;
import dev.lanes.compiler.passes.FoldBatchNorm;
import dev.lanes.compiler.passes.FoldConstants;
import dev.lanes.compiler.passes.FoldPadIntoConv;
import dev.lanes.compiler.passes.FuseEpilogue;
import dev.lanes.compiler.passes.FuseGemmBias;
import dev.lanes.compiler.passes.FuseGeluPattern;
import dev.lanes.compiler.passes.InferShapes;
import dev.lanes.compiler.passes.Pass;
import dev.lanes.compiler.passes.UseChannelBlocks;
import dev.lanes.compiler.passes.WriteConcatInPlace;
import dev.lanes.errors.LanesException;
import dev.lanes.errors.ModelFormatException;
import dev.lanes.errors.ShapeException;
import dev.lanes.errors.UnsupportedOperatorException;
import dev.lanes.formats.onnx.Onnx.ModelProto;
import dev.lanes.runtime.Plan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Compiles an ONNX model into a runtime {@link Plan}: import, a check that every operator is
 * supported, the passes in their fixed order, lowering.
 */
public final class Compiler {
    private final OpRegistry ops;
    private final CompileOptions options;

    /** A compiler with the built-in operators. */
    public Compiler(CompileOptions options) {
        this(OpRegistry.defaults(), options);
    }

    /** A compiler with the given operators. */
    public Compiler(OpRegistry ops, CompileOptions options) {
        this.ops = ops;
        this.options = options;
        for (String name : options.disabledPasses()) {
            if (!passNames().contains(name)) {
                throw new IllegalArgumentException("no pass named '" + name + "'; passes are "
                        + passNames());
            }
        }
    }

    /** The passes in the order they run. */
    public static List<Pass> passes() {
        return List.of(new EliminateIdentity(), new FoldConstants(), new EliminateDeadNodes(),
                new EliminateCommonSubexpressions(), new FoldBatchNorm(), new FoldPadIntoConv(),
                new FuseGemmBias(), new FuseGeluPattern(), new FuseEpilogue(),
                new UseChannelBlocks(), new WriteConcatInPlace(), new InferShapes());
    }

    /** The names of the passes in the order they run. */
    public static List<String> passNames() {
        return passes().stream().map(Pass::name).toList();
    }

    /**
     * The names of the passes that fuse or re-lay out nodes, in the order they run: the
     * BatchNorm and Pad folds, the GELU pattern, the epilogue fusion (activations and residual
     * adds into their Conv or Gemm) and the channel-block layout. With them switched off
     * ({@link CompileOptions#withoutFusion()}) every node of the model runs as its own step;
     * the cleanup passes (Identity elimination, constant folding, common subexpressions, shape
     * inference) are not among them, as an unfused plan needs them as much as a fused one.
     */
    public static List<String> fusionPassNames() {
        return FUSION_PASSES;
    }

    private static final List<String> FUSION_PASSES = List.of(new FoldBatchNorm().name(),
            new FoldPadIntoConv().name(), new FuseGemmBias().name(), new FuseGeluPattern().name(),
            new FuseEpilogue().name(),
            new UseChannelBlocks().name(), new WriteConcatInPlace().name());

    /**
     * Imports a model into a graph, checks that every operator is supported and fixes the
     * batch dimension when the options ask for one.
     */
    public Graph importGraph(ModelProto model, Path baseDir) {
        Graph g;
        try {
            g = OnnxImporter.importModel(model, baseDir);
        } catch (LanesException e) {
            throw e;
        } catch (RuntimeException e) {
            // A malformed model must end in a Lanes error, whatever the importer tripped on.
            throw new ModelFormatException("cannot import graph '" + model.getGraph().getName()
                    + "': " + e, e);
        }
        checkSupported(g);
        fixBatch(g);
        return g;
    }

    /**
     * Fixes the free batch dimension of the inputs to {@link CompileOptions#batch()}: axis 0 of
     * every input where it is free, and every input dimension carrying the same symbol. An
     * input whose axis 0 is fixed to another size is an error.
     */
    private void fixBatch(Graph g) {
        int n = options.batch();
        if (n == 0) {
            return;
        }
        Set<String> symbols = new HashSet<>();
        for (Value v : g.inputs()) {
            TensorType t = v.type();
            if (t.hasRank() && t.rank() > 0 && !t.dims().get(0).isKnown()
                    && t.dims().get(0).symbol() != null) {
                symbols.add(t.dims().get(0).symbol());
            }
        }
        for (Value v : g.inputs()) {
            TensorType t = v.type();
            if (!t.hasRank() || t.rank() == 0) {
                continue;
            }
            Dim first = t.dims().get(0);
            if (first.isKnown() && first.value() != n) {
                throw new ShapeException("input '" + v.name() + "' axis 0: the model fixes the"
                        + " batch to " + first.value() + ", cannot compile it for batch " + n);
            }
            List<Dim> dims = new ArrayList<>(t.dims());
            for (int a = 0; a < dims.size(); a++) {
                Dim d = dims.get(a);
                if (!d.isKnown() && (a == 0 || symbols.contains(d.symbol()))) {
                    dims.set(a, Dim.of(n));
                }
            }
            v.setType(new TensorType(t.dtype(), dims));
        }
    }

    /**
     * Runs the enabled passes over a graph, in order. A pass that trips over a malformed node
     * (a missing input or output, say) ends in a {@link ModelFormatException} naming the pass.
     */
    public void optimize(Graph g) {
        optimize(g, (pass, graph) -> { });
    }

    /**
     * Runs the enabled passes in order and calls {@code afterEach} with each pass's name and the
     * graph after it ({@code lanes inspect --passes} prints node counts this way).
     */
    public void optimize(Graph g, java.util.function.BiConsumer<String, Graph> afterEach) {
        for (Pass p : passes()) {
            if (!options.disabledPasses().contains(p.name())) {
                try {
                    p.run(g, ops);
                } catch (LanesException e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw blame(g, p, e);
                } catch (OutOfMemoryError e) {
                    // Folding a constant far larger than the heap fails the load, not the JVM.
                    throw new ModelFormatException("pass '" + p.name() + "' ran out of memory on"
                            + " graph '" + g.name() + "' (heap limit "
                            + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB)", e);
                }
                afterEach.accept(p.name(), g);
            }
        }
    }

    /**
     * The error for a pass that tripped over a malformed node. Passes call the handlers of many
     * nodes; running type inference again node by node finds the one that fails the same way,
     * so the message can name it.
     */
    private ModelFormatException blame(Graph g, Pass p, RuntimeException e) {
        for (Node n : List.copyOf(g.nodes())) {
            OpHandler h = ops.find(n);
            if (h == null) {
                continue;
            }
            try {
                h.inferTypes(n);
            } catch (RuntimeException again) {
                if (again.getClass() == e.getClass()) {
                    return new ModelFormatException(n.describe() + ": pass '" + p.name()
                            + "' failed on it: " + e, e);
                }
            }
        }
        return new ModelFormatException("pass '" + p.name() + "' failed on graph '" + g.name()
                + "': " + e, e);
    }

    /** Imports, optimizes and lowers a model. */
    public Plan compile(ModelProto model, Path baseDir) {
        Graph g = importGraph(model, baseDir);
        optimize(g);
        return lower(g);
    }

    /** Lowers an optimized graph to a plan. */
    public Plan lower(Graph g) {
        try {
            return Lowering.lower(g, ops);
        } catch (LanesException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelFormatException("cannot compile graph '" + g.name() + "': " + e, e);
        }
    }

    private void checkSupported(Graph g) {
        List<String> bad = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (ops.find(n) == null) {
                bad.add("node '" + n.name() + "': op " + n.opType() + ", domain '"
                        + (n.domain().isEmpty() ? "ai.onnx" : n.domain()) + "', opset "
                        + n.opset());
            }
        }
        if (!bad.isEmpty()) {
            throw new UnsupportedOperatorException(bad);
        }
    }
}
