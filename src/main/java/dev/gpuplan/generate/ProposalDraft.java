package dev.gpuplan.generate;

import static dev.gpuplan.generate.PortfolioGenerator.decimal;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.gpuplan.domain.Proposal;

/** A proposal under construction: the fields a shape fills in before it becomes a {@link Proposal}. */
final class ProposalDraft {
    String key;
    String title;
    String team;
    String owner;
    double value;
    BigDecimal successProbability;
    String gpuType;
    int gpus;
    int hours;
    List<String> dependsOn = new ArrayList<>();
    String exclusiveGroup;
    Instant earliestStart;
    Instant deadline;
    boolean required;
    Proposal.Pin pinned;

    double gpuHours() {
        return (double) gpus * hours;
    }

    Proposal toProposal() {
        return new Proposal(key, title, team, owner, decimal(value, 1), successProbability, gpuType, gpus,
                BigDecimal.valueOf(hours), dependsOn, exclusiveGroup, earliestStart, deadline, required, pinned);
    }
}
