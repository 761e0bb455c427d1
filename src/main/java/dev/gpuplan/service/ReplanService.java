package dev.gpuplan.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gpuplan.domain.Budget;
import dev.gpuplan.domain.Horizon;
import dev.gpuplan.domain.PlanningPeriod;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.domain.Replan;
import dev.gpuplan.domain.Run;
import dev.gpuplan.domain.RunStatus;
import dev.gpuplan.input.InvalidInputException;
import dev.gpuplan.input.PlanRequest;
import dev.gpuplan.input.PortfolioReader;

/**
 * Replanning from now: the portfolio a replan solves, made from the stored proposals and what the runs did.
 * <ul>
 * <li>The horizon starts at the current slot (the slot of the stored horizon that holds now) and ends where it ends.</li>
 * <li>STARTED runs are pinned on the pool they run on, from the current slot for what is left of their estimate
 *     (at least one slot: a run past its estimate is still running).</li>
 * <li>FINISHED runs, and FAILED ones not named in {@code retry}, are not proposed again; neither is what depends on a
 *     failed run (nor a full run whose pilot failed: its gate is closed) nor the other variants of an exclusive group
 *     that already ran. A dependency on a finished run is met; a pilot that finished opens its gate (the full run is
 *     then planned at its own expected value).</li>
 * <li>PLANNED (and cancelled) runs' proposals are free to move or drop.</li>
 * <li>The budget is the period's (or the request's) less what was spent before the current slot, per team as well;
 *     the pinned runs' remainders count against it inside the solve, so the new runs get budget - spent - remainders.</li>
 * </ul>
 */
@ApplicationScoped
public class ReplanService {

    /** What a replan solves, and the account of how it was made. */
    public record Replanned(Portfolio portfolio, Replan replan) {
    }

    private final RunService runs;
    private final LedgerService ledger;
    private final CatalogService catalog;

    public ReplanService(RunService runs, LedgerService ledger, CatalogService catalog) {
        this.runs = runs;
        this.ledger = ledger;
        this.catalog = catalog;
    }

    public Replanned prepare(PlanRequest request) {
        PlanningPeriod period = ledger.period();
        Horizon stored = catalog.storedHorizon().orElseThrow(() -> new ConflictException("horizon", "no horizon is stored: PUT /api/horizon first"));
        Instant now = runs.now();
        int currentSlot = Math.max(0, stored.slotsEndingBy(now));
        if (currentSlot >= stored.slotCount()) {
            throw new ConflictException("horizon", "the stored horizon ended at " + stored.end() + "; PUT /api/horizon with the next period first");
        }
        Instant asOf = stored.slotStart(currentSlot);
        Horizon horizon = new Horizon(asOf, hoursBetween(asOf, stored.end()), stored.slotMinutes());
        BigDecimal slotHours = BigDecimal.valueOf(stored.slotMinutes()).divide(BigDecimal.valueOf(60), 6, RoundingMode.HALF_UP);

        List<Run> attempts = ledger.runsInPeriod(period);
        BigDecimal spent = BigDecimal.ZERO;
        Map<String, BigDecimal> teamSpent = new HashMap<>();
        for (Run run : attempts) {
            BigDecimal used = run.usedGpuHours(asOf);
            spent = spent.add(used);
            teamSpent.merge(run.team(), used, BigDecimal::add);
        }
        Map<String, Run> latest = new LinkedHashMap<>();
        runs.runs(null, null).forEach(run -> latest.put(run.proposal(), run));

        Map<String, Proposal> stored0 = catalog.storedProposals();
        List<Proposal> candidates = new ArrayList<>();
        if (request.proposals() == null) {
            candidates.addAll(stored0.values());
        } else {
            for (String key : request.proposals()) {
                Proposal proposal = stored0.get(key);
                if (proposal == null) {
                    throw InvalidInputException.of("request body", "", "proposals", "names unknown proposal \"" + key + "\"");
                }
                candidates.add(proposal);
            }
        }
        for (String key : request.retry()) {
            Run run = latest.get(key);
            if (run == null || run.status() != RunStatus.FAILED) {
                throw InvalidInputException.of("request body", "", "retry", "names " + key + ", which has no FAILED run"
                        + (run == null ? "" : " (its run is " + run.status() + ")"));
            }
        }

        Map<String, String> dropped = new LinkedHashMap<>();
        Set<String> met = new LinkedHashSet<>();       // finished: dependencies on them are met
        Set<String> groupsRun = new LinkedHashSet<>(); // exclusive groups of which a variant finished
        for (Proposal proposal : candidates) {
            Run run = latest.get(proposal.key());
            if (run == null) {
                continue;
            }
            if (run.status() == RunStatus.FINISHED) {
                dropped.put(proposal.key(), "FINISHED (attempt " + run.attempt() + ") at " + run.end());
                met.add(proposal.key());
                if (proposal.exclusiveGroup() != null) {
                    groupsRun.add(proposal.exclusiveGroup());
                }
            } else if (run.status() == RunStatus.FAILED && !request.retry().contains(proposal.key())) {
                dropped.put(proposal.key(), "FAILED (attempt " + run.attempt() + "): " + run.reason()
                        + "; replan with retry: [\"" + proposal.key() + "\"] to try again");
            }
        }
        boolean changed = true;
        while (changed) { // what depends on a dropped, unfinished proposal goes too, transitively
            changed = false;
            for (Proposal proposal : candidates) {
                if (dropped.containsKey(proposal.key()) || isStarted(latest.get(proposal.key()))) {
                    continue;
                }
                for (String dependency : proposal.prerequisites()) {
                    if (dropped.containsKey(dependency) && !met.contains(dependency)) {
                        dropped.put(proposal.key(), dependency.equals(proposal.pilot())
                                ? "its pilot " + dependency + " will not run again (" + dropped.get(dependency) + "): the gate is closed"
                                : "depends on " + dependency + ", which will not run: " + dropped.get(dependency));
                        changed = true;
                        break;
                    }
                }
                if (!dropped.containsKey(proposal.key()) && proposal.exclusiveGroup() != null && groupsRun.contains(proposal.exclusiveGroup())) {
                    dropped.put(proposal.key(), "exclusive group " + proposal.exclusiveGroup() + " already ran a variant");
                    changed = true;
                }
            }
        }

        List<Proposal> proposals = new ArrayList<>();
        List<String> pinned = new ArrayList<>();
        BigDecimal remainders = BigDecimal.ZERO;
        for (Proposal proposal : candidates) {
            if (dropped.containsKey(proposal.key())) {
                continue;
            }
            Run run = latest.get(proposal.key());
            if (isStarted(run)) {
                // to the thousandth of an hour, up: GPUs x hours stays a figure of thousandths, as plans store them
                BigDecimal left = hoursBetween(asOf, run.expectedEnd()).max(slotHours).setScale(3, RoundingMode.CEILING)
                        .min(horizon.hours().setScale(3, RoundingMode.FLOOR)).stripTrailingZeros();
                proposals.add(new Proposal(proposal.key(), proposal.title(), proposal.team(), proposal.owner(), proposal.value(),
                        proposal.successProbability(), null, run.gpus(), left, List.of(), proposal.exclusiveGroup(), null, null, false,
                        new Proposal.Pin(run.pool(), asOf)));
                pinned.add(proposal.key());
                remainders = remainders.add(left.multiply(BigDecimal.valueOf(run.gpus())));
            } else {
                List<String> dependsOn = proposal.dependsOn().stream().filter(d -> !met.contains(d)).toList();
                // A pilot that finished has opened its gate: the full run no longer waits for it, and is worth its full
                // expected value (the pilot succeeded).
                boolean gateOpen = proposal.pilot() != null && met.contains(proposal.pilot());
                proposals.add(new Proposal(proposal.key(), proposal.title(), proposal.team(), proposal.owner(), proposal.value(),
                        proposal.successProbability(), proposal.gpuType(), proposal.gpus(), proposal.hours(), dependsOn,
                        proposal.exclusiveGroup(), proposal.earliestStart(), proposal.deadline(), proposal.required(), proposal.pinned(),
                        proposal.command(), gateOpen ? null : proposal.pilot(), gateOpen ? null : proposal.pilotSuccessProbability()));
            }
        }
        if (proposals.isEmpty()) {
            throw new ConflictException("proposals", "nothing is left to plan: every proposal finished, failed or was dropped");
        }

        BigDecimal total = request.budgetGpuHours() != null ? request.budgetGpuHours() : period.budgetGpuHours();
        BigDecimal left = total.subtract(spent);
        if (left.signum() <= 0) {
            throw new ConflictException("budgetGpuHours", "the budget of " + total.toPlainString() + " GPU-hours is spent ("
                    + spent.stripTrailingZeros().toPlainString() + " used): nothing is left to replan");
        }
        Map<String, BigDecimal> caps = new LinkedHashMap<>(period.perTeam());
        caps.putAll(request.perTeam());
        Map<String, BigDecimal> teamLeft = new LinkedHashMap<>();
        caps.forEach((team, cap) -> teamLeft.put(team, cap.subtract(teamSpent.getOrDefault(team, BigDecimal.ZERO)).max(BigDecimal.ZERO)));
        List<dev.gpuplan.domain.Pool> pools = catalog.pools();
        PortfolioReader.validate("replan", horizon, pools, proposals);
        Portfolio portfolio = new Portfolio(horizon, new Budget(left.stripTrailingZeros(), teamLeft), pools, proposals);
        List<Replan.Dropped> droppedList = dropped.entrySet().stream().map(e -> new Replan.Dropped(e.getKey(), e.getValue())).toList();
        return new Replanned(portfolio, new Replan(period.committedPlanId(), asOf, total.stripTrailingZeros(), spent.stripTrailingZeros(),
                remainders.setScale(3, RoundingMode.HALF_UP).stripTrailingZeros(), pinned, droppedList, null));
    }

    private static boolean isStarted(Run run) {
        return run != null && run.status() == RunStatus.STARTED;
    }

    private static BigDecimal hoursBetween(Instant from, Instant to) {
        long seconds = Math.max(0, Duration.between(from, to).toSeconds());
        return BigDecimal.valueOf(seconds).divide(BigDecimal.valueOf(3600), 6, RoundingMode.HALF_UP).stripTrailingZeros();
    }
}
