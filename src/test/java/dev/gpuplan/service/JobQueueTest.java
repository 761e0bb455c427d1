package dev.gpuplan.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import org.optaplanner.core.api.solver.SolutionManager;
import org.optaplanner.core.api.solver.SolverFactory;

import dev.gpuplan.access.Caller;
import dev.gpuplan.analysis.Plans;
import dev.gpuplan.config.ConfigCatalog;
import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.input.PortfolioReader;
import dev.gpuplan.persistence.JobEntity;
import dev.gpuplan.solver.GpuSchedule;
import dev.gpuplan.solver.PlanSolver;
import dev.gpuplan.solver.PlanningProblem;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The queue's promises, checked against the database directly (H2 here; PostgreSQL in the pgtest run). This
 * process's own worker solves nothing ({@code parallel-solves=0}); "replica a" is the application's {@link JobQueue}
 * (lease 2 s) and "replica b" a second queue on the same database, as another process would be.
 */
@QuarkusTest
@TestProfile(JobQueueTest.NoLocalSolving.class)
class JobQueueTest {

    public static class NoLocalSolving implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gpuplan.solver.parallel-solves", "0", "gpuplan.solver.lease", "2s", "gpuplan.solver.heartbeat", "200ms");
        }

        @Override
        public String getConfigProfile() {
            return System.getProperty("quarkus.test.profile", "test");
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Caller caller;
    @Inject
    JobQueue queue;
    @Inject
    PlanStore plans;
    @Inject
    PlanService planService;
    @Inject
    ConfigCatalog configs;
    @Inject
    EntityManager entityManager;

    private JobQueue replicaB(Duration lease) {
        return new JobQueue(entityManager, lease, Optional.of("replica-b"));
    }

    private static int oldest = 0;

    /** A queued plan whose job is older than every other in the queue, so claim(1) takes it before any other test's leftovers. */
    private String queuedPlan() {
        Portfolio portfolio = PortfolioReader.read(Path.of("planning-configs/examples/small.yaml"));
        Plan plan = plans.createQueued(portfolio.withBudgetGpuHours(new BigDecimal(400)), configs.load("default"), 2);
        int order = ++oldest;
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(
                "UPDATE job SET created_at = TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00' - " + order + " * INTERVAL '1' SECOND WHERE id = ?1")
                .setParameter(1, plan.id()).executeUpdate());
        return plan.id();
    }

    private static JobEntity job(String id) {
        return QuarkusTransaction.requiringNew().call(() -> JobEntity.<JobEntity>findById(id));
    }

    private JobQueue.Claim claimOne(JobQueue by, String id) {
        List<JobQueue.Claim> claims = QuarkusTransaction.requiringNew().call(() -> by.claim(1));
        assertThat(claims).extracting(JobQueue.Claim::jobId).as("claim of the oldest job").containsExactly(id);
        return claims.get(0);
    }

    /** Waits until the job's lease has expired on the database's clock (its owner stopped renewing it). */
    private void awaitLeaseExpired(String id) {
        Awaitility.await("the lease of " + id + " to expire").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> QuarkusTransaction.requiringNew().call(() -> JobEntity.<JobEntity>findById(id).leaseExpiresAt
                        .isBefore(queue.databaseNow())));
    }

    private Plan solvedBriefly(String id) {
        PlanningConfig config = configs.load("default");
        return Plans.solve(plans.snapshot(id), config, Duration.ofSeconds(1), p -> { });
    }

    @Test
    void twoReplicasClaimingAtOnceGetTheJobOnce() throws Exception {
        String id = queuedPlan();
        JobQueue b = replicaB(Duration.ofSeconds(30));
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<JobQueue.Claim>>> results = new ArrayList<>();
            for (JobQueue replica : List.of(queue, b)) {
                Callable<List<JobQueue.Claim>> claim = () -> {
                    together.await();
                    return QuarkusTransaction.requiringNew().call(() -> replica.claim(1));
                };
                results.add(threads.submit(claim));
            }
            long winners = 0;
            for (Future<List<JobQueue.Claim>> result : results) {
                winners += result.get().stream().filter(c -> c.jobId().equals(id)).count();
            }
            assertThat(winners).as("replicas that claimed the job").isEqualTo(1);
        } finally {
            threads.shutdownNow();
        }
        JobEntity job = job(id);
        assertThat(job.status).isEqualTo(JobEntity.Status.RUNNING);
        assertThat(job.starts).isEqualTo(1);
        assertThat(job.generation).isEqualTo(1);
        // A held job with a live lease is nobody else's to claim.
        assertThat(QuarkusTransaction.requiringNew().call(() -> replicaB(Duration.ofSeconds(30)).claim(10)))
                .extracting(JobQueue.Claim::jobId).doesNotContain(id);
    }

    @Test
    void anExpiredLeaseIsTakenOverAndTheStaleOwnerCannotWrite() {
        String id = queuedPlan();
        JobQueue.Claim stale = claimOne(queue, id); // replica a, lease 2 s
        PlanStore.Claimed solving = plans.startSolving(stale).orElseThrow();
        assertThat(solving.savedBest()).isNull();
        Plan best = solvedBriefly(id);
        assertThat(plans.saveProgress(stale, best)).isTrue();

        // Replica a stops renewing (as if paused or dead); replica b may take over only once the lease has expired.
        JobQueue b = replicaB(Duration.ofSeconds(30));
        assertThat(QuarkusTransaction.requiringNew().call(() -> b.claim(10))).extracting(JobQueue.Claim::jobId).doesNotContain(id);
        awaitLeaseExpired(id);
        JobQueue.Claim taken = claimOne(b, id);
        assertThat(taken.generation()).isEqualTo(stale.generation() + 1);
        assertThat(taken.resumed()).isTrue();

        // Replica a comes back: every write it tries is refused, the plan and the job stay as b holds them.
        Plan worse = new Plan(null, Plan.Status.SOLVED, best.budgetGpuHours(), best.usableGpuHours(), best.config(), best.configDir(),
                "0init/-999hard/0medium/0soft", false, best.totals(), List.of(), best.unselected(), List.of("stale"));
        assertThat(plans.saveProgress(stale, worse)).isFalse();
        assertThat(plans.finish(stale, worse)).isFalse();
        assertThat(plans.fail(stale, "stale owner")).isFalse();
        assertThat(queue.renew(List.of(stale)).lost()).containsExactly(id);
        assertThat(queue.release(stale)).isFalse();
        Plan stored = plans.plan(id).orElseThrow();
        assertThat(stored.status()).isEqualTo(Plan.Status.SOLVING);
        assertThat(stored.score()).isEqualTo(best.score());
        assertThat(stored.assignments()).isEqualTo(best.assignments());
        JobEntity job = job(id);
        assertThat(job.owner).isEqualTo("replica-b");
        assertThat(job.completions).isZero();
        assertThat(job.starts).isEqualTo(2);

        // The new owner finishes; exactly one completion is counted.
        assertThat(QuarkusTransaction.requiringNew().call(() -> b.complete(taken, JobEntity.Status.DONE, null, null))).isTrue();
        assertThat(QuarkusTransaction.requiringNew().call(() -> b.complete(taken, JobEntity.Status.DONE, null, null))).isFalse();
        assertThat(job(id).completions).isEqualTo(1);
    }

    @Test
    void aTakenOverPlanResumesFromItsSavedBestAsAWarmStart() {
        String id = queuedPlan();
        JobQueue.Claim first = claimOne(queue, id);
        plans.startSolving(first).orElseThrow();
        Plan best = solvedBriefly(id);
        assertThat(best.assignments()).isNotEmpty();
        assertThat(plans.saveProgress(first, best)).isTrue();

        awaitLeaseExpired(id);
        JobQueue.Claim second = claimOne(queue, id);
        PlanStore.Claimed resumed = plans.startSolving(second).orElseThrow();
        assertThat(resumed.savedBest()).as("the saved best plan comes with the claim").isNotNull();
        assertThat(resumed.savedBest().score()).isEqualTo(best.score());

        // The warm start puts every saved run back where it was, so the solve starts from the saved plan's score.
        PlanningConfig config = configs.load(resumed.configName());
        PlanningProblem problem = new PlanningProblem(resumed.portfolio(), config).warmStart(resumed.savedBest());
        SolutionManager<GpuSchedule, HardMediumSoftLongScore> scorer = SolutionManager.create(SolverFactory.create(PlanSolver.solverConfig(config, null)));
        HardMediumSoftLongScore start = scorer.update(problem.schedule());
        Plan startPlan = Plans.of(problem, problem.schedule(), Plan.Status.SOLVING, List.of());
        assertThat(startPlan.assignments()).as("runs placed by the warm start").isEqualTo(best.assignments());
        assertThat(start.hardScore()).isEqualTo(HardMediumSoftLongScore.parseScore(best.score()).hardScore());
        assertThat(start.mediumScore()).isEqualTo(HardMediumSoftLongScore.parseScore(best.score()).mediumScore());
    }

    @Test
    void aStopIsRecordedInTheDatabaseAndHonouredByTheOwnerOrAnyReplica() {
        String id = queuedPlan();
        JobQueue b = replicaB(Duration.ofSeconds(2));
        JobQueue.Claim held = claimOne(b, id);

        // Replica b is alive: the stop is only recorded, and b sees it at its next renewal.
        assertThat(plans.requestStop(id)).isFalse();
        assertThat(job(id).stopRequested).isTrue();
        assertThat(plans.plan(id).orElseThrow().status()).isEqualTo(Plan.Status.QUEUED);
        assertThat(b.renew(List.of(held)).stopRequested()).containsExactly(id);

        // Replica b dies: once its lease expires, any replica's sweep finishes the stop; nobody claims the job.
        Awaitility.await("the stop to be finished by a sweep").atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            plans.stopAbandoned();
            return plans.plan(id).orElseThrow().status() == Plan.Status.STOPPED;
        });
        assertThat(job(id).status).isEqualTo(JobEntity.Status.STOPPED);
        assertThat(QuarkusTransaction.requiringNew().call(() -> queue.claim(10))).extracting(JobQueue.Claim::jobId).doesNotContain(id);
        assertThat(b.renew(List.of(held)).lost()).containsExactly(id);
    }

    @Test
    void deleteOfAPlanWhoseSolverIsGoneStopsItAndKeepsTheSavedBest() {
        String id = queuedPlan();
        JobQueue.Claim dead = claimOne(queue, id);
        plans.startSolving(dead).orElseThrow();
        Plan best = solvedBriefly(id);
        assertThat(plans.saveProgress(dead, best)).isTrue();
        awaitLeaseExpired(id);

        Plan stopped = planService.stop(id);
        assertThat(stopped.status()).isEqualTo(Plan.Status.STOPPED);
        assertThat(stopped.score()).as("the saved best plan is kept").isEqualTo(best.score());
        assertThat(stopped.assignments()).isEqualTo(best.assignments());
        assertThat(job(id).status).isEqualTo(JobEntity.Status.STOPPED);
        assertThat(plans.finish(dead, best)).as("the dead owner, back, cannot finish it").isFalse();
    }

    @Test
    void aWorsePlanNeverReplacesABetterSavedOne() {
        String id = queuedPlan();
        JobQueue.Claim claim = claimOne(queue, id);
        plans.startSolving(claim).orElseThrow();
        Plan best = solvedBriefly(id);
        assertThat(plans.saveProgress(claim, best)).isTrue();
        Plan unsolved = new Plan(null, Plan.Status.STOPPED, best.budgetGpuHours(), best.usableGpuHours(), best.config(), best.configDir(),
                "-3init/-5hard/0medium/0soft", false, best.totals(), List.of(), best.unselected(), List.of());

        assertThat(plans.saveProgress(claim, unsolved)).isTrue();
        assertThat(plans.plan(id).orElseThrow().assignments()).isEqualTo(best.assignments());
        assertThat(plans.finish(claim, unsolved)).isTrue();
        Plan stored = plans.plan(id).orElseThrow();
        assertThat(stored.status()).isEqualTo(Plan.Status.STOPPED);
        assertThat(stored.score()).isEqualTo(best.score());
        assertThat(stored.assignments()).isEqualTo(best.assignments());
        assertThat(job(id).completions).isEqualTo(1);
    }

    @Test
    void anIdempotencyKeyAnswersOnceUntilItExpires() {
        IdempotencyKeys keys = new IdempotencyKeys(queue, Duration.ofMinutes(10), caller);
        AtomicInteger made = new AtomicInteger();
        String key = "key-" + System.nanoTime();
        IdempotencyKeys.Answer first = keys.once(key, "POST /test", "{\"a\":1}",
                () -> new IdempotencyKeys.Answer(202, "/things/" + made.incrementAndGet(), "{\"id\":" + made.get() + "}"));
        IdempotencyKeys.Answer retry = keys.once(key, "POST /test", "{\"a\":1}",
                () -> new IdempotencyKeys.Answer(202, "/things/" + made.incrementAndGet(), "{\"id\":" + made.get() + "}"));
        assertThat(retry).isEqualTo(first);
        assertThat(made.get()).isEqualTo(1);
        assertThatThrownBy(() -> keys.once(key, "POST /test", "{\"a\":2}", () -> new IdempotencyKeys.Answer(202, null, "{}")))
                .isInstanceOf(IdempotencyKeys.KeyReusedException.class);
        // A request that fails frees its key for the retry.
        String failing = key + "-failing";
        assertThatThrownBy(() -> keys.once(failing, "POST /test", "{}", () -> {
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(keys.once(failing, "POST /test", "{}", () -> new IdempotencyKeys.Answer(201, null, "{}")).status()).isEqualTo(201);

        // The same key once it has expired (here: a queue whose keys last a millisecond) is a new request.
        new IdempotencyKeys(queue, Duration.ofMillis(1), caller).once(key, "POST /test", "{\"a\":2}",
                () -> new IdempotencyKeys.Answer(202, "/things/" + made.incrementAndGet(), "{}"));
        assertThat(made.get()).as("an expired key is a new request").isEqualTo(2);
    }
}
