package dev.lanes.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.runtime.kernels.conv.BlockedPointwiseConv;
import dev.lanes.runtime.kernels.conv.ChannelBlocksReorder;
import dev.lanes.runtime.kernels.conv.WinogradF4x4Conv3x3;
import dev.lanes.runtime.kernels.elementwise.BinaryKernel;
import dev.lanes.runtime.kernels.elementwise.UnaryKernel;
import dev.lanes.runtime.kernels.gemm.Activation;
import dev.lanes.runtime.kernels.gemm.Epilogue;
import dev.lanes.runtime.kernels.spatial.AutoPad;
import dev.lanes.runtime.kernels.spatial.ConvAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Convolutions that write their output over a residual that dies at their step (the session
 * allows it) give what they give with a separate output: over random shapes, including planes
 * whose pixels are no whole number of tiles, and in the runs that follow the memory plan.
 */
class WriteOverResidualTest {
    /** Copies its input into an array of the run, so the residual is an intermediate. */
    private static final Kernel COPY = (in, ctx) -> {
        Tensor y = ctx.output(in[0].shapeView());
        System.arraycopy(in[0].floats(), 0, y.floats(), 0, in[0].size());
        return new Tensor[] {y};
    };

    private static Tensor random(Random r, int... shape) {
        float[] v = new float[Tensor.checkedSize(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return Tensor.of(v, shape);
    }

    /** y = conv(x, constants) + copy(residual), through a session; compared with a plain run. */
    private static void check(Kernel conv, Tensor x, Tensor residual, Tensor[] constants,
            int threads, String what) {
        Tensor want = conv.run(new Tensor[] {x, constants[0], constants[1], residual},
                new RunContext(threads))[0];
        Tensor[] slots = new Tensor[6];
        slots[2] = constants[0];
        slots[3] = constants[1];
        List<Plan.Step> steps = List.of(
                new Plan.Step("copy", "Test", COPY, new int[] {1}, new int[] {4}),
                new Plan.Step("conv", "FusedConv", conv, new int[] {0, 2, 3, 4}, new int[] {5}));
        Plan plan = new Plan(6, steps, slots,
                List.of(new ValueInfo("x", DType.FLOAT, x.shape(), null),
                        new ValueInfo("r", DType.FLOAT, residual.shape(), null)),
                new int[] {0, 1}, List.of(new ValueInfo("y", DType.FLOAT, null, null)),
                new int[] {5});
        Session s = new Session(plan, new SessionOptions(threads));
        for (int rep = 0; rep < 2; rep++) {
            Tensor got = s.run(x, residual).get("y");
            assertEquals(want.size(), got.size());
            for (int i = 0; i < want.size(); i++) {
                float e = want.floats()[i];
                // Same kernel, same order of sums: only the array differs, so exact.
                assertEquals(e, got.floats()[i], 0f, what + " run " + rep + " at " + i);
            }
        }
    }

    @Test
    void blockedPointwiseOverItsResidual() {
        Random r = new Random(11);
        int v = ChannelBlocksReorder.BLOCK;
        RunContext one = RunContext.serial();
        for (int iter = 0; iter < 40; iter++) {
            int k = v * (1 + r.nextInt(4));
            int m = v * (1 + r.nextInt(12));
            int h = 1 + r.nextInt(7);
            int w = 1 + r.nextInt(9);
            Tensor x = new ChannelBlocksReorder(true).run(new Tensor[] {random(r, 1, k, h, w)},
                    one)[0];
            Tensor res = new ChannelBlocksReorder(true).run(new Tensor[] {random(r, 1, m, h, w)},
                    one)[0];
            Tensor wt = random(r, m, k, 1, 1);
            Epilogue ep = new Epilogue(null, null, iter % 2 == 0 ? Activation.of(Activation.Kind.RELU)
                    : Activation.NONE);
            check(new BlockedPointwiseConv(wt, ep, true), x, res,
                    new Tensor[] {wt, random(r, m)}, 1 + iter % 2,
                    "1x1 k " + k + " m " + m + " " + h + "x" + w);
        }
    }

    @Test
    void winogradOverItsResidual() {
        Random r = new Random(12);
        for (int iter = 0; iter < 16; iter++) {
            int c = 1 + r.nextInt(9);
            int m = 1 + r.nextInt(17);
            int h = 3 + r.nextInt(12);
            int w = 3 + r.nextInt(12);
            ConvAttributes a = ConvAttributes.conv(new int[] {3, 3}, null, null,
                    new int[] {1, 1, 1, 1}, AutoPad.NOTSET, 1);
            Tensor wt = random(r, m, c, 3, 3);
            Epilogue ep = new Epilogue(null, null, Activation.of(Activation.Kind.RELU));
            check(new WinogradF4x4Conv3x3(a, wt, ep, true), random(r, 1, c, h, w),
                    random(r, 1, m, h, w), new Tensor[] {wt, random(r, m)}, 1 + iter % 2,
                    "3x3 c " + c + " m " + m + " " + h + "x" + w);
        }
    }

    @Test
    void theSessionReallyWritesOver() {
        // Guards the tests above: without write-over they would compare a kernel with itself.
        RunContext ctx = new RunContext(1, (RunBuffers) new BufferPool());
        float[] donor = new float[8];
        ctx.writableInputs(new float[][] {donor});
        assertTrue(ctx.outputOver(Tensor.ofRecycled(donor, 2, 4), 2, 4).floats() == donor);
        assertTrue(ctx.outputOver(Tensor.ofRecycled(donor, 2, 4), 2, 4).floats() != donor,
                "an array is written over once per step");
    }

    @Test
    void elementwiseStepsWriteOverAnInputThatDies() {
        // copy(x) -> relu -> + b (b broadcast along rows) -> y: relu writes over the copy and
        // the Add over relu's output (the operand of the output's shape), never over b.
        List<Boolean> over = new ArrayList<>();
        Kernel relu = new UnaryKernel(UnaryKernel.Op.RELU);
        Kernel add = new BinaryKernel(BinaryKernel.Op.ADD);
        Kernel spyRelu = (in, ctx) -> {
            Tensor y = relu.run(in, ctx)[0];
            over.add(y.floats() == in[0].floats());
            return new Tensor[] {y};
        };
        Kernel spyAdd = (in, ctx) -> {
            Tensor y = add.run(in, ctx)[0];
            over.add(y.floats() == in[0].floats());
            return new Tensor[] {y};
        };
        List<Plan.Step> steps = List.of(
                new Plan.Step("copy", "Test", COPY, new int[] {0}, new int[] {2}),
                new Plan.Step("relu", "Relu", spyRelu, new int[] {2}, new int[] {3}),
                new Plan.Step("add", "Add", spyAdd, new int[] {3, 1}, new int[] {4}));
        Plan plan = new Plan(5, steps, new Tensor[5],
                List.of(new ValueInfo("x", DType.FLOAT, new int[] {3, 20}, null),
                        new ValueInfo("b", DType.FLOAT, new int[] {1, 20}, null)),
                new int[] {0, 1}, List.of(new ValueInfo("y", DType.FLOAT, null, null)),
                new int[] {4});
        Session s = new Session(plan, new SessionOptions(2));
        Random r = new Random(13);
        Tensor x = random(r, 3, 20);
        Tensor b = random(r, 1, 20);
        for (int rep = 0; rep < 3; rep++) {
            Tensor y = s.run(x, b).get("y");
            for (int i = 0; i < 60; i++) {
                assertEquals(Math.max(0f, x.floats()[i]) + b.floats()[i % 20], y.floats()[i],
                        0f, "run " + rep + " at " + i);
            }
        }
        assertEquals(List.of(true, true, true, true, true, true), over);
    }
}
