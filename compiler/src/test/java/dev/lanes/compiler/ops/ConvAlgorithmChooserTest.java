package dev.lanes.compiler.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.lanes.compiler.ir.Attribute;
import dev.lanes.compiler.ir.Dim;
import dev.lanes.compiler.ir.Node;
import dev.lanes.compiler.ir.TensorType;
import dev.lanes.compiler.ir.Value;
import dev.lanes.runtime.DType;
import dev.lanes.runtime.RunContext;
import dev.lanes.runtime.Tensor;
import dev.lanes.runtime.kernels.conv.ConvAlgorithm;
import dev.lanes.runtime.kernels.spatial.AutoPad;
import dev.lanes.runtime.kernels.spatial.ConvAttributes;
import dev.lanes.runtime.kernels.spatial.ConvReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConvAlgorithmChooserTest {
    private static final ConvAlgorithmChooser.Cpu AVX512_2 = new ConvAlgorithmChooser.Cpu(16, 2);
    private static final ConvAlgorithmChooser.Cpu AVX2_8 = new ConvAlgorithmChooser.Cpu(8, 8);

    private static ConvAlgorithm choose(int k, int s, int pad, int group, int c, int m, int hw,
            ConvAlgorithmChooser.Cpu cpu) {
        ConvAttributes a = ConvAttributes.conv(new int[] {k, k}, new int[] {s, s}, null,
                new int[] {pad, pad, pad, pad}, AutoPad.NOTSET, group);
        return ConvAlgorithmChooser.choose(a, new int[] {1, c, hw, hw},
                new int[] {m, c / group, k, k}, cpu);
    }

    @Test
    void resnetLayers() {
        for (var cpu : List.of(AVX512_2, AVX2_8)) {
            // conv1: 7x7/2 3->64 at 224, K = 147: one GEMM block, implicit.
            assertEquals(ConvAlgorithm.IMPLICIT_GEMM, choose(7, 2, 3, 1, 3, 64, 224, cpu));
            // 3x3 stride 1 at 56, 28 and 14: Winograd; at 7 (4 tiles) and stride 2: im2col.
            assertEquals(ConvAlgorithm.WINOGRAD_4X4_3X3, choose(3, 1, 1, 1, 64, 64, 56, cpu));
            assertEquals(ConvAlgorithm.WINOGRAD_4X4_3X3, choose(3, 1, 1, 1, 128, 128, 28, cpu));
            assertEquals(ConvAlgorithm.WINOGRAD_4X4_3X3, choose(3, 1, 1, 1, 256, 256, 14, cpu));
            assertEquals(ConvAlgorithm.IM2COL_GEMM, choose(3, 1, 1, 1, 512, 512, 7, cpu));
            assertEquals(ConvAlgorithm.IM2COL_GEMM, choose(3, 2, 1, 1, 128, 128, 56, cpu));
            // Too few channels for Winograd's transforms to pay; K = 72 fits one block.
            assertEquals(ConvAlgorithm.IMPLICIT_GEMM, choose(3, 1, 1, 1, 8, 64, 56, cpu));
            // K = 32 * 9 = 288 does not.
            assertEquals(ConvAlgorithm.IM2COL_GEMM, choose(3, 2, 1, 1, 32, 64, 56, cpu));
            // Bottleneck 1x1s and the strided 1x1 downsample.
            assertEquals(ConvAlgorithm.POINTWISE_GEMM, choose(1, 1, 0, 1, 256, 64, 56, cpu));
            assertEquals(ConvAlgorithm.POINTWISE_GEMM, choose(1, 1, 0, 1, 64, 256, 56, cpu));
            assertEquals(ConvAlgorithm.IM2COL_GEMM, choose(1, 2, 0, 1, 256, 512, 56, cpu));
            // ResNeXt grouped 3x3 (32 groups of 4 channels).
            assertEquals(ConvAlgorithm.IM2COL_GEMM, choose(3, 1, 1, 32, 128, 128, 56, cpu));
        }
    }

    @Test
    void mobilenetLayers() {
        for (var cpu : List.of(AVX512_2, AVX2_8)) {
            assertEquals(ConvAlgorithm.IMPLICIT_GEMM, choose(3, 2, 1, 1, 3, 32, 224, cpu));
            assertEquals(ConvAlgorithm.DEPTHWISE, choose(3, 1, 1, 32, 32, 32, 112, cpu));
            assertEquals(ConvAlgorithm.DEPTHWISE, choose(3, 2, 1, 96, 96, 96, 112, cpu));
            assertEquals(ConvAlgorithm.DEPTHWISE, choose(5, 1, 2, 672, 672, 672, 14, cpu));
            assertEquals(ConvAlgorithm.POINTWISE_GEMM, choose(1, 1, 0, 1, 32, 16, 112, cpu));
            assertEquals(ConvAlgorithm.POINTWISE_GEMM, choose(1, 1, 0, 1, 960, 1280, 1, cpu));
            // A channel multiplier of 2 is grouped, not depthwise.
            assertEquals(ConvAlgorithm.IM2COL_GEMM, choose(3, 1, 1, 16, 16, 32, 28, cpu));
        }
    }

    @Test
    void winogradWhenThePlaneIsUnknownOrTheBatchGivesEnoughTiles() {
        ConvAttributes a = ConvAttributes.conv(new int[] {3, 3}, null, null,
                new int[] {1, 1, 1, 1}, AutoPad.NOTSET, 1);
        int[] w = {64, 64, 3, 3};
        assertEquals(ConvAlgorithm.WINOGRAD_4X4_3X3, ConvAlgorithmChooser.choose(a,
                new int[] {1, 64, -1, -1}, w, AVX2_8));
        assertEquals(ConvAlgorithm.IM2COL_GEMM, ConvAlgorithmChooser.choose(a,
                new int[] {1, 64, 7, 7}, w, AVX2_8));
        assertEquals(ConvAlgorithm.WINOGRAD_4X4_3X3, ConvAlgorithmChooser.choose(a,
                new int[] {8, 64, 7, 7}, w, AVX2_8));
        ConvAttributes dilated = ConvAttributes.conv(new int[] {3, 3}, null, new int[] {2, 2},
                new int[] {2, 2, 2, 2}, AutoPad.NOTSET, 1);
        assertEquals(ConvAlgorithm.IM2COL_GEMM, ConvAlgorithmChooser.choose(dilated,
                new int[] {1, 64, 56, 56}, w, AVX2_8));
    }

    @Test
    void pointwiseNeedsNoPaddingUnlessAutoPadRemovesIt() {
        assertEquals(ConvAlgorithm.IMPLICIT_GEMM, choose(1, 1, 1, 1, 8, 8, 9, AVX512_2));
        ConvAttributes same = ConvAttributes.conv(null, null, null, new int[] {1, 1, 1, 1},
                AutoPad.SAME_UPPER, 1);
        assertEquals(ConvAlgorithm.POINTWISE_GEMM, ConvAlgorithmChooser.choose(same,
                new int[] {-1, 8, -1, -1}, new int[] {4, 8, 1, 1}, AVX512_2));
        ConvAttributes noKernel = ConvAttributes.conv(null, null, null, null, AutoPad.NOTSET, 1);
        assertEquals(ConvAlgorithm.IM2COL_GEMM, ConvAlgorithmChooser.choose(noKernel, null, null,
                AVX512_2));
    }

    private static Node conv(String op, Value x, Value w, Object... attrs) {
        Map<String, Attribute> a = new LinkedHashMap<>();
        for (int i = 0; i < attrs.length; i += 2) {
            a.put((String) attrs[i], new Attribute((String) attrs[i], attrs[i + 1] instanceof Long
                    ? "INT" : "INTS", attrs[i + 1]));
        }
        return new Node("n", op, "", 11, new ArrayList<>(List.of(x, w)),
                new ArrayList<>(List.of(new Value("y"))), a);
    }

    @Test
    void nodesReportTheirAlgorithmAndLowerToIt() {
        Random rnd = new Random(4);
        Value x = new Value("x");
        x.setType(new TensorType(DType.FLOAT, List.of(Dim.symbol("N"), Dim.of(6), Dim.of(10),
                Dim.of(10))));
        float[] wv = new float[6 * 3 * 3];
        for (int i = 0; i < wv.length; i++) {
            wv[i] = rnd.nextFloat() - 0.5f;
        }
        Value w = new Value("w");
        w.setConstant(Tensor.of(wv, 6, 1, 3, 3));
        Node dw = conv("Conv", x, w, "group", 6L, "pads", new long[] {1, 1, 1, 1});
        assertEquals(ConvAlgorithm.DEPTHWISE, ConvAlgorithmChooser.algorithmOf(dw));
        Value wt = new Value("wt");
        wt.setConstant(Tensor.of(wv, 6, 1, 3, 3));
        assertEquals(ConvAlgorithm.TRANSPOSE_GEMM,
                ConvAlgorithmChooser.algorithmOf(conv("ConvTranspose", x, wt)));
        assertNull(ConvAlgorithmChooser.algorithmOf(new Node("r", "Relu", "", 11,
                new ArrayList<>(List.of(x)), new ArrayList<>(List.of(new Value("z"))),
                new LinkedHashMap<>())));
        // Lowered with constant weights: same values as the reference.
        float[] xv = new float[2 * 6 * 10 * 10];
        for (int i = 0; i < xv.length; i++) {
            xv[i] = rnd.nextFloat() - 0.5f;
        }
        Tensor xt = Tensor.of(xv, 2, 6, 10, 10);
        float[] wv2 = new float[6 * 2 * 3 * 3];
        for (int i = 0; i < wv2.length; i++) {
            wv2[i] = rnd.nextFloat() - 0.5f;
        }
        Value w2 = new Value("w2");
        w2.setConstant(Tensor.of(wv2, 6, 2, 3, 3));
        Node grouped = conv("Conv", x, w2, "group", 3L, "strides", new long[] {2, 1});
        assertEquals(ConvAlgorithm.IM2COL_GEMM, ConvAlgorithmChooser.algorithmOf(grouped));
        for (Node n : List.of(dw, grouped)) {
            Tensor wc = n.input(1).constant();
            Tensor got = OpRegistry.defaults().find(n).lower(n).run(new Tensor[] {xt, wc},
                    RunContext.serial())[0];
            ConvAttributes a = SpatialConvOps.attributes(n, false);
            Tensor want = new ConvReference(a).run(new Tensor[] {xt, wc},
                    RunContext.serial())[0];
            float[] g = got.floats();
            float[] e = want.floats();
            assertEquals(e.length, g.length);
            for (int i = 0; i < e.length; i++) {
                assertEquals(e[i], g[i], 1e-5f);
            }
        }
    }
}
