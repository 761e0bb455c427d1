package dev.gpuplan.service;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.gpuplan.access.AuditLog;
import dev.gpuplan.access.Caller;
import dev.gpuplan.config.ConfigCatalog;
import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.input.FrontierRequest;
import dev.gpuplan.input.Json;
import dev.gpuplan.persistence.FrontierEntity;
import dev.gpuplan.analysis.Frontier;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/**
 * Value-vs-budget frontiers solved in the background, one at a time (each uses every core). Points are stored as
 * their first solve finishes, then replaced by the final monotone curve. A frontier interrupted by a restart is
 * marked FAILED (submit it again); unlike a plan it is cheap to resubmit and has no best-so-far worth resuming.
 */
@ApplicationScoped
public class FrontierService {

    private static final Logger LOG = Logger.getLogger(FrontierService.class);

    /** {@code GET /api/frontiers/{id}}: {@code points} sorted by budget; while SOLVING, only those solved so far. */
    public record FrontierView(String id, FrontierEntity.Status status, String config, List<BigDecimal> budgets,
                               List<Frontier.Point> points, String failure) {
    }

    private final PlanService plans;
    private final ConfigCatalog configs;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "gpuplan-frontier");
        thread.setDaemon(true);
        return thread;
    });

    private final WorkLimits limits;
    private final Caller caller;
    private final AuditLog audit;

    public FrontierService(PlanService plans, ConfigCatalog configs, WorkLimits limits, Caller caller, AuditLog audit) {
        this.plans = plans;
        this.configs = configs;
        this.limits = limits;
        this.caller = caller;
        this.audit = audit;
    }

    void onStart(@Observes StartupEvent event) {
        QuarkusTransaction.requiringNew().run(() -> FrontierEntity.update(
                "status = ?1, failure = ?2 where status in ?3", FrontierEntity.Status.FAILED,
                "interrupted by a restart of the service; submit it again", List.of(FrontierEntity.Status.QUEUED, FrontierEntity.Status.SOLVING)));
    }

    @PreDestroy
    void shutdown() {
        worker.shutdownNow();
    }

    public FrontierView create(FrontierRequest request) {
        PlanningConfig config = configs.load(request.config());
        limits.checkFrontier(request, request.timeLimitSeconds() != null ? Duration.ofSeconds(request.timeLimitSeconds())
                : config.timeLimit().compareTo(Frontier.DEFAULT_POINT_LIMIT) < 0 ? config.timeLimit() : Frontier.DEFAULT_POINT_LIMIT);
        Portfolio portfolio = plans.portfolioFor(request.portfolio(), request.proposals(), request.perTeam(), request.budgets().get(0));
        FrontierEntity entity = QuarkusTransaction.requiringNew().call(() -> {
            FrontierEntity frontier = new FrontierEntity();
            frontier.id = UUID.randomUUID().toString();
            frontier.status = FrontierEntity.Status.QUEUED;
            frontier.configName = config.name();
            frontier.budgets = Json.write(request.budgets());
            frontier.timeLimitMillis = request.timeLimitSeconds() == null ? null : request.timeLimitSeconds() * 1000L;
            frontier.snapshot = Json.write(portfolio);
            frontier.points = "[]";
            frontier.createdAt = Instant.now();
            frontier.submittedBy = caller.name();
            frontier.persist();
            audit.record("frontier", frontier.id, "submit", null, view(frontier));
            return frontier;
        });
        String id = entity.id;
        worker.submit(() -> solve(id));
        return view(entity);
    }

    @Transactional
    public Optional<FrontierView> frontier(String id) {
        return FrontierEntity.<FrontierEntity>findByIdOptional(id).map(FrontierService::view);
    }

    private void solve(String id) {
        try {
            FrontierEntity claimed = QuarkusTransaction.requiringNew().call(() -> {
                FrontierEntity frontier = FrontierEntity.findById(id);
                frontier.status = FrontierEntity.Status.SOLVING;
                return frontier;
            });
            Portfolio portfolio = Json.read(claimed.snapshot, Portfolio.class);
            List<BigDecimal> budgets = Arrays.asList(Json.read(claimed.budgets, BigDecimal[].class));
            Duration perPoint = claimed.timeLimitMillis == null ? null : Duration.ofMillis(claimed.timeLimitMillis);
            PlanningConfig config = configs.load(claimed.configName);
            List<Frontier.Point> points = Frontier.compute(portfolio, config, budgets, perPoint,
                    Runtime.getRuntime().availableProcessors(), new Frontier.Listener() {
                        @Override
                        public void progress(String message) {
                            LOG.debugf("Frontier %s: %s", id, message);
                        }

                        @Override
                        public void solved(BigDecimal budget, Plan plan) {
                            addProvisional(id, budget, plan);
                        }
                    });
            QuarkusTransaction.requiringNew().run(() -> {
                FrontierEntity frontier = FrontierEntity.findById(id);
                frontier.points = Json.write(points);
                frontier.status = FrontierEntity.Status.SOLVED;
                frontier.finishedAt = Instant.now();
            });
        } catch (RuntimeException e) {
            QuarkusTransaction.requiringNew().run(() -> {
                FrontierEntity frontier = FrontierEntity.findById(id);
                frontier.status = FrontierEntity.Status.FAILED;
                frontier.failure = Failures.describe(e, LOG, "frontier " + id);
                frontier.finishedAt = Instant.now();
            });
        }
    }

    /** A point as its first solve finished; the marginal value and added runs come with the final curve. */
    private synchronized void addProvisional(String id, BigDecimal budget, Plan plan) {
        QuarkusTransaction.requiringNew().run(() -> {
            FrontierEntity frontier = FrontierEntity.findById(id);
            List<Frontier.Point> points = new ArrayList<>(readPoints(frontier.points));
            points.add(new Frontier.Point(budget, plan.totals().gpuHours(), plan.totals().expectedValue(), plan.totals().selected(),
                    null, List.of(), plan));
            points.sort(Comparator.comparing(Frontier.Point::budgetGpuHours));
            frontier.points = Json.write(points);
        });
    }

    private static List<Frontier.Point> readPoints(String json) {
        return Arrays.asList(Json.read(json, Frontier.Point[].class));
    }

    private static FrontierView view(FrontierEntity entity) {
        return new FrontierView(entity.id, entity.status, entity.configName, Arrays.asList(Json.read(entity.budgets, BigDecimal[].class)),
                readPoints(entity.points), entity.failure);
    }
}
