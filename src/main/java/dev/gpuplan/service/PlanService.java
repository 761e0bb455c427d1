package dev.gpuplan.service;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.gpuplan.access.AuditLog;
import dev.gpuplan.access.Caller;
import dev.gpuplan.config.ConfigCatalog;
import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.domain.Budget;
import dev.gpuplan.domain.Horizon;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.PlanDiff;
import dev.gpuplan.domain.Replan;
import dev.gpuplan.domain.PlanSummary;
import dev.gpuplan.analysis.Counterfactuals;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.input.InvalidInputException;
import dev.gpuplan.input.PlanRequest;
import dev.gpuplan.input.PortfolioReader;
import dev.gpuplan.persistence.PlanEntity;
import dev.gpuplan.domain.Pool;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** Plans: created from a request with a snapshot of their inputs, solved by {@link PlanRunner}, read and stopped here. */
@ApplicationScoped
public class PlanService {

    private final CatalogService catalog;
    private final ConfigCatalog configs;
    private final PlanRunner runner;
    private final PlanStore store;
    private final WorkLimits limits;
    private final Caller caller;
    private final AuditLog audit;
    /**
     * Explains run here, not on the request thread's pool: at most {@code gpuplan.limits.concurrent-explains} at once
     * and none waiting (a full pool answers 503 with Retry-After at once rather than queueing unbounded work).
     */
    private final ThreadPoolExecutor explains;

    private final ReplanService replans;
    private final ReserveService reserves;

    public PlanService(CatalogService catalog, ConfigCatalog configs, PlanRunner runner, PlanStore store, WorkLimits limits,
                       Caller caller, AuditLog audit, ReplanService replans, ReserveService reserves) {
        this.replans = replans;
        this.reserves = reserves;
        this.catalog = catalog;
        this.configs = configs;
        this.runner = runner;
        this.store = store;
        this.limits = limits;
        this.caller = caller;
        this.audit = audit;
        int threads = Math.max(1, limits.limits().concurrentExplains());
        this.explains = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "gpuplan-explain");
            thread.setDaemon(true);
            return thread;
        });
        this.explains.allowCoreThreadTimeOut(true);
    }

    @PreDestroy
    void shutdown() {
        explains.shutdownNow();
    }

    /** Stores the plan as QUEUED with the portfolio it will be solved from, and queues it. */
    public Plan create(PlanRequest request) {
        PlanningConfig config = configs.load(request.config());
        limits.checkPlanSeconds(request.timeLimitSeconds(), config);
        limits.checkQueuedPlans(PlanEntity.count("status", Plan.Status.QUEUED));
        ReplanService.Replanned replanned = request.replan() ? replans.prepare(request) : null;
        Portfolio portfolio = replanned != null ? replanned.portfolio()
                : portfolioFor(request.portfolio(), request.proposals(), request.perTeam(), request.budgetGpuHours());
        if (replanned != null) {
            limits.checkPortfolio(portfolio);
        }
        ReserveService.Reserved reserved = reserves.reserveFor(portfolio, config);
        Plan plan = store.createQueued(reserved.portfolio(), config, request.timeLimitSeconds(), reserved.reserve(),
                reserved.usableGpuHours(), replanned == null ? null : replanned.replan());
        runner.submit(plan.id());
        return plan;
    }

    /**
     * What a request solves: its own portfolio, or the stored horizon, pools and proposals (all, or the listed keys
     * with their dependencies), with the request's budget and team caps.
     */
    public Portfolio portfolioFor(Portfolio given, List<String> keys, Map<String, BigDecimal> perTeamCaps, BigDecimal budget) {
        Portfolio portfolio;
        if (given != null) {
            Map<String, BigDecimal> perTeam = new LinkedHashMap<>(given.budget() == null ? Map.of() : given.budget().perTeam());
            perTeam.putAll(perTeamCaps);
            portfolio = new Portfolio(given.horizon(), new Budget(budget, perTeam), given.pools(), given.proposals());
        } else {
            portfolio = storedPortfolio(keys, perTeamCaps, budget);
        }
        limits.checkPortfolio(portfolio);
        return portfolio;
    }

    private Portfolio storedPortfolio(List<String> keys, Map<String, BigDecimal> perTeam, BigDecimal budget) {
        Horizon horizon = catalog.storedHorizon().orElseThrow(() ->
                new ConflictException("horizon", "no horizon is stored: PUT /api/horizon first, or send a portfolio"));
        limits.checkProposalCount(keys == null ? catalog.proposalCount() : keys.size());
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
                for (String dependency : proposal.prerequisites()) {
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
        List<Pool> pools = catalog.pools();
        try {
            // The catalog's writes keep it consistent; this refuses, with the reason, a snapshot that is not (e.g. rows
            // written before those checks existed) instead of letting the solver fail on it later.
            PortfolioReader.validate("stored portfolio", horizon, pools, proposals);
        } catch (InvalidInputException e) {
            throw new ConflictException("proposals", "the stored proposals, pools and horizon are inconsistent, so no plan can be "
                    + "solved from them until that is fixed: " + e.errors().get(0).describe());
        }
        return new Portfolio(horizon, new Budget(budget, perTeam), pools, proposals);
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

    /** One page of plans, newest first, as summaries (no assignments or reasons): see {@link PlanPages}. */
    public Page<PlanSummary> plans(String cursor, int limit) {
        return PlanPages.page(cursor, limit);
    }

    /** Why a proposal is (not) in a finished plan, and what would change that, verified by re-solving its snapshot. */
    public Counterfactuals.Explanation explain(String id, String key, Duration perSolve) {
        Future<Counterfactuals.Explanation> running;
        try {
            running = explains.submit(() -> explainNow(id, key, perSolve));
        } catch (RejectedExecutionException e) {
            throw LimitExceededException.busy("concurrent-explains", limits.limits().concurrentExplains()
                    + " explains are already running; try again shortly", 10);
        }
        try {
            return running.get();
        } catch (InterruptedException e) {
            running.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while explaining", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException("explain failed", e.getCause());
        }
    }

    private Counterfactuals.Explanation explainNow(String id, String key, Duration perSolve) {
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

    /** The portfolio a plan was solved from, as it was then: what a cluster export needs besides the assignments. */
    public Portfolio portfolio(String id) {
        plan(id).orElseThrow(() -> new NotFoundException("plan \"" + id + "\" does not exist"));
        return store.snapshot(id);
    }

    public PlanDiff diff(String a, String b) {
        Plan before = plan(a).orElseThrow(() -> new NotFoundException("plan \"" + a + "\" does not exist"));
        Plan after = plan(b).orElseThrow(() -> new NotFoundException("plan \"" + b + "\" does not exist"));
        return PlanDiff.between(before, after);
    }

    /**
     * Stops solving (a queued plan is stopped before it starts); the best plan so far is kept. Its submitter or a lead
     * may. The audit entry is written once the stop has been handed to the solver: the solving thread, not this
     * request, writes the plan's final state.
     */
    public Plan stop(String id) {
        Plan before = plan(id).orElseThrow(() -> new NotFoundException("plan \"" + id + "\" does not exist"));
        caller.requireSelfOrLead(store.submitter(id).orElse(null), "stop plan " + id);
        runner.stop(id);
        Plan after = plan(id).orElseThrow();
        QuarkusTransaction.requiringNew().run(() -> audit.record("plan", id, "stop", new StatusChange(before.status()),
                new StatusChange(after.status())));
        return after;
    }

    /** What the audit trail keeps of a stop: the plan's status before and right after it. */
    record StatusChange(Plan.Status status) {
    }
}
