package dev.gpuplan.service;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gpuplan.config.ConfigCatalog;
import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.domain.Budget;
import dev.gpuplan.domain.Horizon;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.PlanDiff;
import dev.gpuplan.domain.Replan;
import dev.gpuplan.domain.Reserve;
import dev.gpuplan.analysis.Counterfactuals;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.input.InvalidInputException;
import dev.gpuplan.input.PlanRequest;

/** Plans: created from a request with a snapshot of their inputs, solved by {@link PlanRunner}, read and stopped here. */
@ApplicationScoped
public class PlanService {

    private final CatalogService catalog;
    private final ConfigCatalog configs;
    private final PlanRunner runner;
    private final PlanStore store;

    private final ReplanService replans;
    private final ReserveService reserves;

    public PlanService(CatalogService catalog, ConfigCatalog configs, PlanRunner runner, PlanStore store, ReplanService replans,
                       ReserveService reserves) {
        this.replans = replans;
        this.reserves = reserves;
        this.catalog = catalog;
        this.configs = configs;
        this.runner = runner;
        this.store = store;
    }

    /** Stores the plan as QUEUED with the portfolio it will be solved from, and queues it. */
    public Plan create(PlanRequest request) {
        PlanningConfig config = configs.load(request.config());
        ReplanService.Replanned replanned = request.replan() ? replans.prepare(request) : null;
        Portfolio portfolio = replanned != null ? replanned.portfolio()
                : portfolioFor(request.portfolio(), request.proposals(), request.perTeam(), request.budgetGpuHours());
        Reserve reserve = reserves.reserveFor(portfolio, config);
        Plan plan = store.createQueued(portfolio, config, request.timeLimitSeconds());
        replans.record(plan.id(), reserve, replanned == null ? null : replanned.replan());
        runner.submit(plan.id());
        return plan.withReserve(reserve).withReplan(replanned == null ? null : replanned.replan());
    }

    /**
     * What a request solves: its own portfolio, or the stored horizon, pools and proposals (all, or the listed keys
     * with their dependencies), with the request's budget and team caps.
     */
    public Portfolio portfolioFor(Portfolio given, List<String> keys, Map<String, BigDecimal> perTeamCaps, BigDecimal budget) {
        if (given != null) {
            Map<String, BigDecimal> perTeam = new LinkedHashMap<>(given.budget() == null ? Map.of() : given.budget().perTeam());
            perTeam.putAll(perTeamCaps);
            return new Portfolio(given.horizon(), new Budget(budget, perTeam), given.pools(), given.proposals());
        }
        return storedPortfolio(keys, perTeamCaps, budget);
    }

    private Portfolio storedPortfolio(List<String> keys, Map<String, BigDecimal> perTeam, BigDecimal budget) {
        Horizon horizon = catalog.storedHorizon().orElseThrow(() ->
                new ConflictException("horizon", "no horizon is stored: PUT /api/horizon first, or send a portfolio"));
        Map<String, Proposal> stored = catalog.storedProposals();
        List<Proposal> proposals;
        if (keys == null) {
            proposals = new ArrayList<>(stored.values());
        } else {
            proposals = new ArrayList<>();
            for (String key : keys) {
                Proposal proposal = stored.get(key);
                if (proposal == null) {
                    throw InvalidInputException.of("request body", "", "proposals", "names unknown proposal \"" + key + "\"");
                }
                proposals.add(proposal);
            }
            for (Proposal proposal : proposals) {
                for (String dependency : proposal.dependsOn()) {
                    if (!keys.contains(dependency)) {
                        throw InvalidInputException.of("request body", "", "proposals", "includes " + proposal.key()
                                + " but not its dependency " + dependency);
                    }
                }
            }
        }
        if (proposals.isEmpty()) {
            throw new ConflictException("proposals", "no proposals are stored: POST /api/proposals first, or send a portfolio");
        }
        return new Portfolio(horizon, new Budget(budget, perTeam), catalog.pools(), proposals);
    }

    /** A plan; a replan also says what changed against the plan committed when it was made. */
    public Optional<Plan> plan(String id) {
        return store.plan(id).map(plan -> {
            Replan replan = plan.replan();
            if (replan == null || replan.committedPlanId() == null || plan.assignments().isEmpty()) {
                return plan;
            }
            return store.plan(replan.committedPlanId()).map(committed -> plan.withReplan(replan.withChanges(PlanDiff.between(committed, plan))))
                    .orElse(plan);
        });
    }

    public List<Plan> plans() {
        return store.plans();
    }

    /** Why a proposal is (not) in a finished plan, and what would change that, verified by re-solving its snapshot. */
    public Counterfactuals.Explanation explain(String id, String key, Duration perSolve) {
        Plan plan = plan(id).orElseThrow(() -> new NotFoundException("plan \"" + id + "\" does not exist"));
        if (plan.status() != Plan.Status.SOLVED && plan.status() != Plan.Status.STOPPED) {
            throw new ConflictException("status", "plan " + id + " is " + plan.status() + "; explain needs a SOLVED or STOPPED plan");
        }
        if (plan.assignments().isEmpty() && plan.unselected().isEmpty()) {
            throw new ConflictException("status", "plan " + id + " was stopped before it was solved; there is no plan to explain");
        }
        Portfolio portfolio = store.snapshot(id);
        if (portfolio.proposals().stream().noneMatch(p -> p.key().equals(key))) {
            throw new NotFoundException("plan " + id + " has no proposal \"" + key + "\"");
        }
        return new Counterfactuals(portfolio, configs.load(plan.config()), perSolve, message -> { }).explain(plan, key);
    }

    public PlanDiff diff(String a, String b) {
        Plan before = plan(a).orElseThrow(() -> new NotFoundException("plan \"" + a + "\" does not exist"));
        Plan after = plan(b).orElseThrow(() -> new NotFoundException("plan \"" + b + "\" does not exist"));
        return PlanDiff.between(before, after);
    }

    /** Stops solving (a queued plan is stopped before it starts); the best plan so far is kept. */
    public Plan stop(String id) {
        if (plan(id).isEmpty()) {
            throw new NotFoundException("plan \"" + id + "\" does not exist");
        }
        runner.stop(id);
        return plan(id).orElseThrow();
    }
}
