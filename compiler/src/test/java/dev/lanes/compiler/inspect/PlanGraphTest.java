package dev.lanes.compiler.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.Lanes;
import dev.lanes.compiler.CompileOptions;
import dev.lanes.compiler.inspect.PlanGraph.Output;
import dev.lanes.compiler.inspect.PlanGraph.Step;
import dev.lanes.compiler.ir.TensorType;
import dev.lanes.runtime.Plan;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanGraphTest {
    private static List<String> shapes(List<TensorType> types) {
        return types.stream().map(ShapeText::of).toList();
    }

    @Test
    void describesEachStepOfTheResidualBlock() {
        PlanGraph g = PlanGraph.of(InspectModels.residualBlock().build(), null,
                CompileOptions.defaults());
        assertEquals(7, g.imported().nodes().size());
        assertEquals(2, g.steps().size());
        assertEquals(g.plan().steps().size(), g.steps().size());
        Step first = g.steps().get(0);
        assertEquals(0, first.index());
        assertEquals("FusedConv", first.op());
        assertEquals(InspectModels.QUOTED_CONV, first.name());
        assertEquals("bias+relu", first.epilogue());
        assertEquals(List.of("[1,4,8,8]"), shapes(first.inputs()));
        assertEquals("[1,4,8,8]", ShapeText.of(first.outputs().get(0).type()));
        Step second = g.steps().get(1);
        assertEquals("bias+residual add+relu", second.epilogue());
        // The residual is a run-time input; the weights and bias are constants, left out.
        assertEquals(List.of("[1,4,8,8]", "[1,4,8,8]"), shapes(second.inputs()));
        for (Step s : g.steps()) {
            assertFalse(s.algorithm().isEmpty(), s.toString());
            Output out = s.outputs().get(0);
            assertEquals(g.plan().steps().get(s.index()).outputs()[0], out.slot());
            assertFalse(out.hasArenaOffset());
            assertEquals(PlanGraph.ARENA_NOT_PLANNED, out.arenaOffset());
        }
        assertNull(g.shapeProblem());
    }

    @Test
    void honoursDisabledPasses() {
        PlanGraph g = PlanGraph.of(InspectModels.residualBlock().build(), null,
                CompileOptions.defaults().disable("fuse-epilogue"));
        // BatchNormalization still folds; the Relus and the Add stay steps of their own.
        assertEquals(List.of("Conv", "Relu", "Conv", "Add", "Relu"),
                g.steps().stream().map(Step::op).toList());
        assertEquals("bias", g.steps().get(0).epilogue());
        assertEquals("", g.steps().get(1).algorithm());
    }

    @Test
    void resnet18ListsThePlanItCompilesTo() {
        Path model = InspectModels.shared("resnet18");
        PlanGraph g = PlanGraph.of(model, CompileOptions.defaults());
        Plan plan = Lanes.compile(model, CompileOptions.defaults());
        assertEquals(plan.steps().size(), g.steps().size());
        for (int i = 0; i < plan.steps().size(); i++) {
            Step s = g.steps().get(i);
            assertEquals(i, s.index());
            assertEquals(plan.steps().get(i).name(), s.name());
            assertEquals(plan.steps().get(i).opType(), s.op());
            if (s.op().equals("FusedConv") || s.op().equals("Conv")) {
                assertFalse(s.algorithm().isEmpty(), s.toString());
                assertTrue(s.epilogue().startsWith("bias"), s.toString());
            }
        }
        Step stem = g.steps().get(0);
        assertEquals("/conv1/Conv", stem.name());
        assertEquals("bias+relu", stem.epilogue());
        assertEquals(List.of("[1,3,224,224]"), shapes(stem.inputs()));
        assertEquals("[1,64,112,112]", ShapeText.of(stem.outputs().get(0).type()));
        long residuals = g.steps().stream()
                .filter(s -> s.epilogue().equals("bias+residual add+relu")).count();
        assertEquals(8, residuals);
        Step last = g.steps().get(g.steps().size() - 1);
        assertEquals("[1,1000]", ShapeText.of(last.outputs().get(0).type()));
        // The algorithms agree with the MAC table of the summary, conv by conv.
        ModelSummary summary = ModelSummary.of(model);
        for (ModelSummary.NodeMacs m : summary.macs()) {
            Step s = g.steps().stream().filter(x -> x.name().equals(m.node())).findFirst()
                    .orElseThrow();
            assertEquals(m.algorithm(), s.algorithm(), m.node());
        }
    }
}
