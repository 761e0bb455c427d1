package dev.gpuplan.service;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gpuplan.access.Caller;
import dev.gpuplan.config.ConfigCatalog;
import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.input.FrontierRequest;
import dev.gpuplan.persistence.FrontierEntity;
import dev.gpuplan.analysis.Frontier;

/**
 * Value-vs-budget frontiers. Each budget is a job in the queue, solved by whichever replica's solver thread is
 * free; when the last point lands its monotone repair runs once as one more job ({@link FrontierStore}). A frontier
 * survives restarts and replicas dying like a plan does: its solved points are kept and the rest are taken over.
 */
@ApplicationScoped
public class FrontierService {

    /**
     * {@code GET /api/frontiers/{id}}: {@code points} sorted by budget; until SOLVED only those solved so far (without
     * marginal values); a CANCELLED frontier keeps the points solved before the cancel.
     */
    public record FrontierView(String id, FrontierEntity.Status status, String config, List<BigDecimal> budgets,
                               List<Frontier.Point> points, String failure) {
    }

    private final PlanService plans;
    private final ConfigCatalog configs;
    private final FrontierStore store;
    private final PlanRunner runner;
    private final WorkLimits limits;
    private final Caller caller;

    public FrontierService(PlanService plans, ConfigCatalog configs, FrontierStore store, PlanRunner runner, WorkLimits limits,
                           Caller caller) {
        this.plans = plans;
        this.configs = configs;
        this.store = store;
        this.runner = runner;
        this.limits = limits;
        this.caller = caller;
    }

    public FrontierView create(FrontierRequest request) {
        PlanningConfig config = configs.load(request.config());
        limits.checkFrontier(request, Frontier.pointLimit(config, request.timeLimitSeconds() == null ? null
                : java.time.Duration.ofSeconds(request.timeLimitSeconds())));
        Portfolio portfolio = plans.portfolioFor(request.portfolio(), request.proposals(), request.perTeam(), request.budgets().get(0));
        FrontierView view = store.createQueued(portfolio, config, request.budgets(), request.timeLimitSeconds());
        runner.wake();
        return view;
    }

    public Optional<FrontierView> frontier(String id) {
        return store.frontier(id);
    }

    /** Cancels a frontier: remaining points stop (those solving keep what they found), solved points stay. */
    public FrontierView cancel(String id) {
        String submitter = store.submitter(id).orElseThrow(() -> new NotFoundException("frontier \"" + id + "\" does not exist"));
        caller.requireSelfOrLead(submitter, "cancel frontier " + id);
        FrontierView view = store.cancel(id).orElseThrow(() -> new NotFoundException("frontier \"" + id + "\" does not exist"));
        runner.stopFrontier(id);
        return view;
    }
}
