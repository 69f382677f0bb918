package dev.lanes.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The text model spec: the built-in models, what it builds, and how mistakes are reported. */
class ModelSpecTest {
    private static final CpuBackend BACKEND = new CpuBackend(1);

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    private static long parameterCount(Sequential model) {
        long n = 0;
        for (Parameter p : model.parameters()) {
            n += p.value().size();
        }
        return n;
    }

    @Test
    void builtInLenetIsTheTutorialsLenetWithBatchNorm() {
        ModelSpec spec = ModelSpec.builtIn("lenet-bn");
        assertEquals("lenet-bn", spec.name());
        assertArrayEquals(new int[] {1, 28, 28}, spec.input());
        assertEquals(10, spec.outputs());
        Sequential model = spec.build(BACKEND, 1);
        // conv 6x1x5x5, BN 6 (gamma, beta), conv 16x6x5x5, BN 16, fc 400x120 + 120, BN 120,
        // fc 120x84 + 84, BN 84, fc 84x10 + 10.
        assertEquals(150 + 12 + 2400 + 32 + 48120 + 240 + 10164 + 168 + 850, parameterCount(model));
        assertEquals(List.of("conv1", "bn1", "relu1", "pool1", "conv2", "bn2", "relu2", "pool2", "flatten1", "fc1",
                "bn3", "relu3", "fc2", "bn4", "relu4", "fc3"), model.layers().stream().map(Layer::name).toList());
        Tensor y = model.forward(Tensor.zeros(3, 1, 28, 28));
        assertArrayEquals(new int[] {3, 10}, y.shape());
    }

    @Test
    void builtInResNetRunsAndTheSameSeedGivesTheSameWeights() {
        Sequential a = ModelSpec.builtIn("small-resnet").build(BACKEND, 5);
        Sequential b = ModelSpec.builtIn("small-resnet").build(BACKEND, 5);
        Sequential c = ModelSpec.builtIn("small-resnet").build(BACKEND, 6);
        assertArrayEquals(new int[] {2, 10}, a.forward(Tensor.zeros(2, 1, 28, 28)).shape());
        for (int i = 0; i < a.parameters().size(); i++) {
            assertArrayEquals(a.parameters().get(i).value().data(), b.parameters().get(i).value().data());
        }
        assertTrue(!java.util.Arrays.equals(a.parameters().get(0).value().data(), c.parameters().get(0).value().data()));
    }

    @Test
    void everyLayerKindAndSettingBuilds() {
        String text = """
                name everything   # a comment after a line
                input 3 17 15
                conv out=8 kernel=3 stride=2 pad=1 groups=1 bias=true
                bn momentum=0.2 eps=1e-3
                relu
                conv out=8 kernel=3 pad=1 groups=8 bias=no
                maxpool kernel=3 stride=2 pad=1
                block out=8
                block out=12 stride=2
                avgpool kernel=2 stride=1
                gap
                flatten
                dropout p=0.25
                linear out=7
                """;
        ModelSpec spec = ModelSpec.parse(text);
        assertEquals("everything", spec.name());
        assertEquals(7, spec.outputs());
        assertEquals(text, spec.text());
        Sequential model = spec.build(BACKEND, 2);
        model.setTraining(true);
        assertArrayEquals(new int[] {2, 7}, model.forward(Tensor.zeros(2, 3, 17, 15)).shape());
    }

    private static String errorOf(String text) {
        return assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse(text)).getMessage();
    }

    @Test
    void mistakesNameTheLineAndWhatIsWrong() {
        String head = "input 1 28 28\n";
        assertTrue(errorOf(head + "conv kernel=3\n").contains("line 2: conv needs out=N"), errorOf(head + "conv kernel=3\n"));
        assertTrue(errorOf(head + "relu\nconvv out=3\n").contains("line 3: unknown layer 'convv'"));
        assertTrue(errorOf(head + "conv out=3 kernel=3 strde=2\n").contains("unknown setting [strde]"));
        assertTrue(errorOf(head + "conv out=3 kernel=x\n").contains("line 2: conv kernel: expected a positive whole number, got 'x'"));
        assertTrue(errorOf(head + "linear out=10\n").contains("add flatten before it"));
        assertTrue(errorOf(head + "flatten\nconv out=3 kernel=3\n").contains("line 3") );
        assertTrue(errorOf(head + "conv out=3 kernel=40\n").contains("larger than its padded input"));
        assertTrue(errorOf(head + "conv out=3 kernel=3 groups=2\n").contains("groups"));
        assertTrue(errorOf("relu\n").contains("line 1: the input line"));
        assertTrue(errorOf("input 1 28\n").contains("input takes channels, height and width"));
        assertTrue(errorOf(head).contains("no layers"));
        assertTrue(errorOf(head + "conv out=3 kernel 3\n").contains("settings are key=value"));
        assertTrue(errorOf(head + "bn momentum=fast\n").contains("bn momentum: expected a number"));
        assertTrue(errorOf(head + "maxpool kernel=2 kernel=3\n").contains("'kernel' given twice"));
    }

    @Test
    void absurdSizesFailBeforeAnythingIsAllocated() {
        String huge = errorOf("input 1 28 28\nflatten\nlinear out=2000000000\n");
        assertTrue(huge.contains("line 3") && huge.contains("parameters"), huge);
        String wide = errorOf("input 1 28 28\nconv out=1000000 kernel=1\n");
        assertTrue(wide.contains("values per image") || wide.contains("parameters"), wide);
        assertTrue(errorOf("input 1 100000 100000\nrelu\n").contains("values per image"));
        assertTrue(errorOf("input 1 28 28\nmaxpool kernel=60000 pad=59999 stride=1\nflatten\nlinear out=10\n")
                .contains("more than half"));
        assertTrue(errorOf("input 1 28 28\nconv out=1 kernel=3 pad=3\n").contains("not below its kernel"));
        assertTrue(errorOf("input 1 28 28\nconv out=1 kernel=10000 pad=5000\n").contains("line 2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelSpec.builtIn("vgg"))
                .getMessage().contains("lenet-bn"));
    }
}
