package dev.lanes.training;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The training module must not see runtime or compiler (DESIGN.md: it is an independent check
 * of them). If someone adds either dependency to training/pom.xml, their classes appear on the
 * test classpath and this fails.
 */
class IndependenceTest {
    @Test
    void runtimeAndCompilerAreNotOnTheClasspath() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("dev.lanes.runtime.Plan"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("dev.lanes.Lanes"));
    }
}
