package dev.gpuplan.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Prerequisites first, in one ordering for the reader, the solver and the CLI. */
class DependencyOrderTest {

    @Test
    void prerequisitesComeFirstAndOtherwiseTheListOrderIsKept() {
        List<Proposal> proposals = List.of(p("c", "b"), p("a"), p("b", "a"), p("d"), p("e", "c", "d"));

        assertThat(DependencyOrder.of(proposals)).extracting(Proposal::key).containsExactly("a", "b", "c", "d", "e");
    }

    @Test
    void unknownPrerequisitesAreSkipped() {
        assertThat(DependencyOrder.of(List.of(p("x", "not-here"), p("y")))).extracting(Proposal::key).containsExactly("x", "y");
    }

    @Test
    void aCycleIsFoundAndNamedFromTheProposalThatClosesIt() {
        List<Proposal> proposals = List.of(p("free"), p("a", "c"), p("b", "a"), p("c", "b"));

        DependencyOrder.Result result = DependencyOrder.find(proposals);

        assertThat(result.hasCycle()).isTrue();
        assertThat(result.cycle()).containsExactly("a", "c", "b", "a");
        assertThatThrownBy(() -> DependencyOrder.of(proposals)).hasMessageContaining("a -> c -> b -> a");
    }

    @Test
    void aChainOfTenThousandDoesNotOverflowTheStack() {
        List<Proposal> chain = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            chain.add(i == 0 ? p("k0") : p("k" + i, "k" + (i - 1)));
        }
        List<Proposal> reversed = new ArrayList<>(chain);
        java.util.Collections.reverse(reversed);

        assertThat(DependencyOrder.of(reversed)).isEqualTo(chain);
    }

    private static Proposal p(String key, String... dependsOn) {
        return new Proposal(key, null, "t", null, BigDecimal.ONE, null, null, 1, BigDecimal.ONE, List.of(dependsOn), null, null, null,
                false, null);
    }
}
