package dev.lanes.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The leaves of a model, through Sequentials and residual blocks, in forward order. */
class LayerTreeTest {
    private static final CpuBackend BACKEND = new CpuBackend(1);

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    @Test
    void theSmallResNetsLeavesAreItsLayersInForwardOrder() {
        List<String> names = LayerTree.leaves(Models.smallResNet(BACKEND, 1)).stream().map(Layer::name).toList();
        assertEquals(List.of("conv1", "bn1", "relu1"), names.subList(0, 3));
        // block2 changes the channels: main path, then its projection shortcut, then the ReLU.
        int at = names.indexOf("block2.conv1");
        assertEquals(List.of("block2.conv1", "block2.bn1", "block2.relu1", "block2.conv2", "block2.bn2",
                "block2.shortcut.conv", "block2.shortcut.bn", "block2.relu2"), names.subList(at, at + 8));
        assertEquals("fc1", names.get(names.size() - 1));
        ReLU leaf = new ReLU(BACKEND, "r");
        assertEquals(List.of(leaf), LayerTree.leaves(leaf));
    }
}
