package dev.gpuplan.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import dev.gpuplan.input.InvalidInputException;

/** What a failed plan or frontier stores for its readers: the reason of a refused input, else only an error id. */
class FailuresTest {

    private static final Logger LOG = Logger.getLogger(FailuresTest.class);

    @Test
    void anUnforeseenFailureStoresOnlyAnErrorId() {
        String stored = Failures.describe(new NullPointerException("Cannot invoke \"dev.gpuplan.solver.Run.getKey()\" because \"x\" is null"),
                LOG, "plan p");

        assertThat(stored).contains("error id").doesNotContain("NullPointerException").doesNotContain("dev.gpuplan").doesNotContain("Run");
    }

    @Test
    void aRefusedInputSaysWhy() {
        String stored = Failures.describe(InvalidInputException.of("snapshot", "proposals[3] (key \"a\")", "dependsOn",
                "names unknown proposal \"b\""), LOG, "plan p");

        assertThat(stored).contains("dependsOn names unknown proposal \"b\"");
    }
}
