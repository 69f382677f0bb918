package dev.lanes.compiler.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lanes.compiler.conformance.TestRules.OutOfScope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TestRulesTest {
    @Test
    void globsMatchWholePaths() {
        assertTrue(TestRules.glob("*/test_max_float16").matcher("node/test_max_float16")
                .matches());
        assertFalse(TestRules.glob("*/test_max_float16").matcher("node/test_max_float16x")
                .matches());
        assertTrue(TestRules.glob("debian/test_cast_DOUBLE_to_*")
                .matcher("debian/test_cast_DOUBLE_to_FLOAT").matches());
        assertFalse(TestRules.glob("debian/test_cast_DOUBLE_to_*")
                .matcher("node/test_cast_DOUBLE_to_FLOAT").matches());
        assertTrue(TestRules.glob("node/test_?").matcher("node/test_a").matches());
        assertFalse(TestRules.glob("node/test.x").matcher("node/testax").matches());
    }

    @Test
    void listsAreReadAndApplied() {
        TestRules rules = TestRules.get();
        OutOfScope oos = rules.outOfScope("node/test_batchnorm_example_training_mode");
        assertNotNull(oos);
        assertTrue(oos.reason().contains("training"), oos.reason());
        assertNull(rules.outOfScope("node/test_relu"));
        assertEquals(TestRules.DEFAULT_TOLERANCE, rules.tolerance("node/test_relu"));
    }

    /** A line that matches no test folder is stale: the list must stay honest. */
    @Test
    void everyOutOfScopeLineMatchesATest() throws IOException {
        Path onnx = SharedData.shared().resolve("onnx-tests");
        Map<String, Path> suites = Map.of("node", onnx.resolve("node"),
                "node-expanded", onnx.resolve("node-expanded"),
                "pytorch-converted", onnx.resolve("pytorch/pytorch-converted"),
                "pytorch-operator", onnx.resolve("pytorch/pytorch-operator"),
                "debian", SharedData.onnxTestdata());
        List<String> paths = new ArrayList<>();
        for (var e : suites.entrySet()) {
            SharedData.require(e.getValue(), "out-of-scope list check");
            try (Stream<Path> st = Files.list(e.getValue())) {
                st.forEach(p -> paths.add(e.getKey() + "/" + p.getFileName()));
            }
        }
        List<String> stale = new ArrayList<>();
        for (OutOfScope line : TestRules.get().outOfScopeLines()) {
            var pattern = TestRules.glob(line.pattern());
            if (paths.stream().noneMatch(p -> pattern.matcher(p).matches())) {
                stale.add(line.pattern());
            }
        }
        assertEquals(List.of(), stale, "out-of-scope.tsv lines matching no test folder");
    }
}
