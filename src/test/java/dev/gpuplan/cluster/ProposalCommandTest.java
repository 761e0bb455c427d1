package dev.gpuplan.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.gpuplan.domain.Proposal;
import dev.gpuplan.input.InvalidInputException;
import dev.gpuplan.input.Json;
import dev.gpuplan.input.PortfolioReader;

/** The optional {@code command} of a proposal: read, kept through stored JSON, refused when blank or too long. */
class ProposalCommandTest {

    private static String proposal(String command) {
        return "{key: a, team: t, value: 1, gpus: 1, hours: 1" + (command == null ? "" : ", command: " + command) + "}";
    }

    @Test
    void commandIsReadAndKeptThroughJson() {
        Proposal read = PortfolioReader.readProposals("p.yaml", proposal(ExportFixtures.yamlString(ExportFixtures.HOSTILE_COMMAND))).get(0);

        assertThat(read.command()).isEqualTo(ExportFixtures.HOSTILE_COMMAND);
        assertThat(Json.read(Json.write(read), Proposal.class)).isEqualTo(read);
        assertThat(PortfolioReader.readProposals("p.yaml", proposal(null)).get(0).command()).isNull();
    }

    @Test
    void blankOrOverlongCommandsAreRefused() {
        assertThatThrownBy(() -> PortfolioReader.readProposals("p.yaml", proposal("\" \"")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("command must not be blank");
        assertThatThrownBy(() -> PortfolioReader.readProposals("p.yaml", proposal("x".repeat(PortfolioReader.MAX_COMMAND_CHARS + 1))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("command must be at most 10000 characters");
    }
}
