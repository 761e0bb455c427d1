package dev.gpuplan.service;

import java.math.BigDecimal;
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

    public PlanService(CatalogService catalog, ConfigCatalog configs, PlanRunner runner, PlanStore store) {
        this.catalog = catalog;
        this.configs = configs;
        this.runner = runner;
        this.store = store;
    }

    /** Stores the plan as QUEUED with the portfolio it will be solved from, and queues it. */
    public Plan create(PlanRequest request) {
        PlanningConfig config = configs.load(request.config());
        Portfolio portfolio = request.portfolio() != null ? withBudget(request.portfolio(), request) : storedPortfolio(request);
        Plan plan = store.createQueued(portfolio, config, request.timeLimitSeconds());
        runner.submit(plan.id());
        return plan;
    }

    private static Portfolio withBudget(Portfolio portfolio, PlanRequest request) {
        Map<String, BigDecimal> perTeam = new LinkedHashMap<>(portfolio.budget() == null ? Map.of() : portfolio.budget().perTeam());
        perTeam.putAll(request.perTeam());
        return new Portfolio(portfolio.horizon(), new Budget(request.budgetGpuHours(), perTeam), portfolio.pools(), portfolio.proposals());
    }

    private Portfolio storedPortfolio(PlanRequest request) {
        Horizon horizon = catalog.storedHorizon().orElseThrow(() ->
                new ConflictException("horizon", "no horizon is stored: PUT /api/horizon first, or send a portfolio"));
        Map<String, Proposal> stored = catalog.storedProposals();
        List<Proposal> proposals;
        if (request.proposals() == null) {
            proposals = new ArrayList<>(stored.values());
        } else {
            proposals = new ArrayList<>();
            for (String key : request.proposals()) {
                Proposal proposal = stored.get(key);
                if (proposal == null) {
                    throw InvalidInputException.of("request body", "", "proposals", "names unknown proposal \"" + key + "\"");
                }
                proposals.add(proposal);
            }
            for (Proposal proposal : proposals) {
                for (String dependency : proposal.dependsOn()) {
                    if (!request.proposals().contains(dependency)) {
                        throw InvalidInputException.of("request body", "", "proposals", "includes " + proposal.key()
                                + " but not its dependency " + dependency);
                    }
                }
            }
        }
        if (proposals.isEmpty()) {
            throw new ConflictException("proposals", "no proposals are stored: POST /api/proposals first, or send a portfolio");
        }
        return new Portfolio(horizon, new Budget(request.budgetGpuHours(), request.perTeam()), catalog.pools(), proposals);
    }

    public Optional<Plan> plan(String id) {
        return store.plan(id);
    }

    public List<Plan> plans() {
        return store.plans();
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
