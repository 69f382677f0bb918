package dev.lanes.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.errors.ShapeException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The residual add and the basic block built on it: gradients of the input and of every
 * parameter of a whole block (both branches, BN in training mode) against a double reference
 * composed of the per-layer references.
 */
class ResidualTest {
    private static final CpuBackend BACKEND = new CpuBackend(2);

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    /** The block's layers, as Models.basicBlock lays them out. */
    private record Block(Sequential all, Conv2d conv1, BatchNorm2d bn1, Conv2d conv2, BatchNorm2d bn2, Conv2d projConv,
                         BatchNorm2d projBn) {
        static Block of(Sequential block) {
            Residual res = (Residual) block.layers().get(0);
            List<Layer> m = ((Sequential) res.main()).layers();
            Conv2d pc = null;
            BatchNorm2d pb = null;
            if (res.shortcut() != null) {
                List<Layer> s = ((Sequential) res.shortcut()).layers();
                pc = (Conv2d) s.get(0);
                pb = (BatchNorm2d) s.get(1);
            }
            return new Block(block, (Conv2d) m.get(0), (BatchNorm2d) m.get(1), (Conv2d) m.get(3), (BatchNorm2d) m.get(4),
                    pc, pb);
        }
    }

    /** The block's forward pass in double, with {@code override} replacing some parameters' values. */
    private static double[] reference(Block b, double[] x, int[] xs, Map<Parameter, double[]> override) {
        double[] h = conv(b.conv1, x, xs, override);
        int[] hs = outShape(b.conv1, xs);
        h = bn(b.bn1, h, hs, override);
        h = Ref.relu(h);
        h = conv(b.conv2, h, hs, override);
        h = bn(b.bn2, h, hs, override);
        double[] s = x;
        if (b.projConv != null) {
            s = conv(b.projConv, x, xs, override);
            s = bn(b.projBn, s, outShape(b.projConv, xs), override);
        }
        return Ref.relu(Ref.add(h, s));
    }

    private static double[] value(Parameter p, Map<Parameter, double[]> override) {
        double[] o = override.get(p);
        return o != null ? o : Ref.toDouble(p.value().data());
    }

    private static int[] outShape(Conv2d c, int[] xs) {
        int[] ws = c.weight().value().shape();
        ConvSpec s = c.spec();
        return new int[] {xs[0], ws[0], s.outSize(xs[2], ws[2]), s.outSize(xs[3], ws[3])};
    }

    private static double[] conv(Conv2d c, double[] x, int[] xs, Map<Parameter, double[]> override) {
        ConvSpec s = c.spec();
        return Ref.conv(x, xs, value(c.weight(), override), c.weight().value().shape(), null, s.stride(), s.pad(),
                s.groups());
    }

    private static double[] bn(BatchNorm2d n, double[] x, int[] xs, Map<Parameter, double[]> override) {
        return Ref.batchNormTrain(x, xs, value(n.gamma(), override), value(n.beta(), override), n.epsilon());
    }

    private static void checkBlock(int in, int out, int stride, int[] xs, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Block b = Block.of(Models.basicBlock(BACKEND, "block", in, out, stride, rng));
        // Gamma and beta away from 1 and 0 so their gradients matter.
        for (Parameter p : b.all.parameters()) {
            if (p.value().rank() == 1) {
                float[] d = p.value().data();
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) (p.name().endsWith(".weight") ? 0.5 + rng.nextDouble() : rng.nextDouble() - 0.5);
                }
            }
        }
        float[] x = GradCheck.uniform(rng, Tensor.zeros(xs).size());
        Tensor y = b.all.forward(new Tensor(xs, x));
        String what = "block " + in + " -> " + out + " stride " + stride;
        GradCheck.checkForward(what, reference(b, Ref.toDouble(x), xs, Map.of()), y.data());
        float[] r = GradCheck.uniform(rng, y.size());
        Tensor dx = b.all.backward(new Tensor(y.shape(), r));
        GradCheck.check(what + " d/dx", x, p -> reference(b, p, xs, Map.of()), r, dx.data());
        for (Parameter param : b.all.parameters()) {
            GradCheck.check(what + " d/d" + param.name(), param.value().data(), p -> {
                Map<Parameter, double[]> o = new IdentityHashMap<>();
                o.put(param, p);
                return reference(b, Ref.toDouble(x), xs, o);
            }, r, param.grad().data());
        }
    }

    @Test
    void projectionBlockGradientsMatchFiniteDifferences() {
        checkBlock(2, 3, 2, new int[] {2, 2, 5, 5}, 61);
    }

    @Test
    void identityBlockGradientsMatchFiniteDifferences() {
        checkBlock(3, 3, 1, new int[] {2, 3, 4, 3}, 62);
    }

    @Test
    void identityShortcutIsUsedOnlyWhenTheShapeIsKept() {
        SplittableRandom rng = new SplittableRandom(63);
        assertNull(((Residual) Models.basicBlock(BACKEND, "b", 4, 4, 1, rng).layers().get(0)).shortcut());
        Residual strided = (Residual) Models.basicBlock(BACKEND, "b", 4, 4, 2, rng).layers().get(0);
        assertEquals(3, strided.shortcut().parameters().size(), "conv weight, BN gamma and beta");
    }

    @Test
    void mismatchedBranchesNameTheLayer() {
        SplittableRandom rng = new SplittableRandom(64);
        Residual bad = new Residual(BACKEND, "res5",
                new Conv2d(BACKEND, "c", 2, 3, 1, ConvSpec.plain(), false, rng), null);
        ShapeException e = assertThrows(ShapeException.class, () -> bad.forward(Tensor.zeros(1, 2, 3, 3)));
        assertTrue(e.getMessage().contains("res5") && e.getMessage().contains("[1, 3, 3, 3]")
                && e.getMessage().contains("[1, 2, 3, 3]"), e.getMessage());
    }
}
