package dev.gpuplan.service;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.gpuplan.access.AuditLog;
import dev.gpuplan.access.Caller;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.PlanningPeriod;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.domain.Run;
import dev.gpuplan.domain.RunEvent;
import dev.gpuplan.domain.RunLifecycle;
import dev.gpuplan.domain.RunStatus;
import dev.gpuplan.input.InvalidInputException;
import dev.gpuplan.input.Json;
import dev.gpuplan.persistence.PlanEntity;
import dev.gpuplan.persistence.PlanningPeriodEntity;
import dev.gpuplan.persistence.PoolEntity;
import dev.gpuplan.persistence.RunEntity;
import dev.gpuplan.persistence.RunEventEntity;

/**
 * Runs and their events: committing a plan, recording what happened, reading runs, and the planning period's budget.
 * Every write is one transaction; a refused event throws before anything is written, so nothing of it is stored.
 */
@ApplicationScoped
public class RunService {

    /** What a commit did: runs created, re-planned (PLANNED runs moved), left as they were, and cancelled. */
    public record CommitResult(String planId, int created, int replanned, int unchanged, int cancelled, List<Run> runs) {
    }

    /** What a batch of events did: the run afterwards, events stored, and resends accepted without a change. */
    public record EventsResult(Run run, int accepted, int duplicates) {
    }

    private final Duration clockSkew;
    final Clock clock;

    private final Caller caller;
    private final AuditLog audit;

    public RunService(@ConfigProperty(name = "gpuplan.runs.clock-skew", defaultValue = "5m") Duration clockSkew,
                      Caller caller, AuditLog audit) {
        this.clockSkew = clockSkew;
        this.caller = caller;
        this.audit = audit;
        this.clock = Clock.systemUTC();
    }

    public Instant now() {
        return clock.instant();
    }

    // ---------------------------------------------------------------- commit

    /**
     * Turns a SOLVED plan's assignments into runs. A proposal without an active run gets a new PLANNED run (the next
     * attempt); a PLANNED run is moved to the plan's pool and start; a STARTED run stays as it is. PLANNED runs the plan
     * leaves out are CANCELLED: the committed plan replaces the one before. Committing the same plan again changes nothing.
     */
    @Transactional
    public CommitResult commit(String planId) {
        PlanEntity plan = PlanEntity.findById(planId);
        if (plan == null) {
            throw new NotFoundException("plan \"" + planId + "\" does not exist");
        }
        if (plan.status != Plan.Status.SOLVED) {
            throw new ConflictException("status", "plan " + planId + " is " + plan.status + "; only a SOLVED plan can be committed");
        }
        if (!plan.feasible) {
            throw new ConflictException("feasible", "plan " + planId + " is infeasible (it breaks a hard rule); it cannot be committed");
        }
        Instant now = now();
        Portfolio snapshot = plan.snapshotPortfolio();
        Map<String, Proposal> proposals = snapshot.proposals().stream().collect(Collectors.toMap(Proposal::key, p -> p));
        Map<String, RunEntity> latest = latestRuns();
        int created = 0;
        int replanned = 0;
        int unchanged = 0;
        Set<String> inPlan = new java.util.HashSet<>();
        for (PlanEntity.AssignmentRow assignment : plan.assignments) {
            inPlan.add(assignment.proposal);
            RunEntity run = latest.get(assignment.proposal);
            RunStatus status = run == null ? null : run.toRun(run.events(), now).status();
            if (status == RunStatus.STARTED || (status == RunStatus.PLANNED && planId.equals(run.planId))) {
                unchanged++;
            } else if (status == RunStatus.PLANNED) {
                place(run, assignment, planId);
                replanned++;
            } else {
                Proposal proposal = proposals.get(assignment.proposal);
                RunEntity fresh = new RunEntity();
                fresh.id = UUID.randomUUID().toString();
                fresh.proposal = assignment.proposal;
                fresh.team = proposal.team();
                fresh.attempt = run == null ? 1 : run.attempt + 1;
                fresh.gpus = assignment.gpus;
                fresh.hours = proposal.hours();
                fresh.createdAt = now;
                place(fresh, assignment, planId);
                fresh.persist();
                created++;
            }
        }
        int cancelled = 0;
        for (RunEntity run : latest.values()) {
            if (!inPlan.contains(run.proposal) && run.toRun(run.events(), now).status() == RunStatus.PLANNED) {
                append(run, List.of(new RunEvent(RunEvent.Type.CANCELLED, now, null, null, "left out of committed plan " + planId, null)), now);
                cancelled++;
            }
        }
        PlanningPeriodEntity period = periodEntity().orElseGet(() -> newPeriod(plan));
        period.committedPlanId = planId;
        List<Run> runs = inPlan.stream().sorted().map(key -> latestRuns().get(key)).map(r -> r.toRun(r.events(), now)).toList();
        CommitResult result = new CommitResult(planId, created, replanned, unchanged, cancelled, runs);
        if (created + replanned + cancelled > 0) {
            audit.record("plan", planId, "commit", null, java.util.Map.of("created", created, "replanned", replanned, "cancelled", cancelled));
        }
        return result;
    }

    private static void place(RunEntity run, PlanEntity.AssignmentRow assignment, String planId) {
        run.planId = planId;
        run.plannedPool = assignment.pool;
        run.plannedStart = assignment.start;
        run.plannedEnd = assignment.end;
        run.estimatedGpuHours = assignment.gpuHours;
    }

    /** The first commit opens the period with the plan's budget (total and team caps). */
    private static PlanningPeriodEntity newPeriod(PlanEntity plan) {
        Portfolio snapshot = plan.snapshotPortfolio();
        PlanningPeriodEntity period = new PlanningPeriodEntity();
        period.budgetGpuHours = plan.budgetGpuHours;
        period.perTeam = Json.write(snapshot.budget() == null ? Map.of() : snapshot.budget().perTeam());
        period.persist();
        return period;
    }

    // ---------------------------------------------------------------- events

    /**
     * Applies events to the proposal's latest run, in order, all or nothing. A resend of an accepted event (same
     * eventId, or same content) is accepted without a change; an eventId reused for another event is refused.
     */
    @Transactional
    public EventsResult record(String proposal, List<RunEvent> events) {
        List<RunEntity> attempts = RunEntity.ofProposal(proposal);
        if (attempts.isEmpty()) {
            throw new NotFoundException("proposal \"" + proposal + "\" has no run: commit a plan that selects it first");
        }
        RunEntity run = attempts.get(attempts.size() - 1);
        caller.requireTeam(run.team, "post run events");
        List<RunEvent> earlier = new ArrayList<>();
        attempts.forEach(a -> earlier.addAll(a.events()));
        Instant now = now();
        RunLifecycle lifecycle = new RunLifecycle(run.gpus, now, clockSkew);
        List<RunEvent> current = run.events();
        RunLifecycle.State state = lifecycle.replay(run.plannedPool, current);
        Set<String> pools = PoolEntity.<PoolEntity>listAll().stream().map(p -> p.name).collect(Collectors.toSet());
        List<RunEvent> toStore = new ArrayList<>();
        int duplicates = 0;
        for (int i = 0; i < events.size(); i++) {
            RunEvent event = events.get(i);
            String entry = events.size() == 1 ? "" : "events[" + i + "]";
            Optional<RunEvent> repeated = earlier.stream().filter(event::repeats).findFirst();
            if (repeated.isPresent()) {
                if (!event.sameContent(repeated.get())) {
                    throw new ConflictException(field(entry, "eventId"), "eventId \"" + event.eventId() + "\" was already used for another event ("
                            + repeated.get().type() + " at " + repeated.get().at() + ")");
                }
                duplicates++;
                continue;
            }
            if (event.pool() != null && !pools.contains(event.pool())) {
                throw InvalidInputException.of("request body", entry, "pool", "names unknown pool \"" + event.pool() + "\"");
            }
            RunLifecycle.Outcome outcome = lifecycle.apply(state, event);
            if (!outcome.isAccepted()) {
                throw new ConflictException(field(entry, outcome.field()), proposal + " (attempt " + run.attempt + "): " + outcome.refusal());
            }
            state = outcome.next();
            RunEvent stored = withDefaults(event, state, now);
            toStore.add(stored);
            earlier.add(stored);
        }
        append(run, toStore, now);
        if (!toStore.isEmpty()) {
            audit.record("run", proposal + "#" + run.attempt, "events", null, toStore);
        }
        List<RunEvent> all = new ArrayList<>(current);
        all.addAll(toStore);
        return new EventsResult(run.toRun(all, now), toStore.size(), duplicates);
    }

    private static String field(String entry, String field) {
        return entry.isEmpty() ? field : entry + "." + field;
    }

    /** What is stored: the event as given, with {@code at} (CANCELLED defaults to now) and the pool it started on. */
    private static RunEvent withDefaults(RunEvent event, RunLifecycle.State after, Instant now) {
        Instant at = event.at() == null ? now : event.at();
        String pool = event.type() == RunEvent.Type.STARTED ? after.pool() : null;
        return new RunEvent(event.type(), at, event.gpuHours(), pool, event.reason(), event.eventId());
    }

    private static void append(RunEntity run, List<RunEvent> events, Instant now) {
        for (RunEvent event : events) {
            run.eventCount++;
            RunEventEntity.of(run.id, run.eventCount, event, now).persist();
        }
    }

    // ---------------------------------------------------------------- reading

    /** The latest attempt of every proposal, optionally of one status and team, by proposal key. */
    @Transactional
    public List<Run> runs(RunStatus status, String team) {
        Instant now = now();
        return latestRuns().values().stream()
                .filter(r -> team == null || team.equals(r.team))
                .map(r -> r.toRun(r.events(), now))
                .filter(r -> status == null || r.status() == status)
                .toList();
    }

    /** Every attempt of one proposal, oldest first. */
    @Transactional
    public List<Run> attempts(String proposal) {
        Instant now = now();
        List<Run> runs = RunEntity.ofProposal(proposal).stream().map(r -> r.toRun(r.events(), now)).toList();
        if (runs.isEmpty()) {
            throw new NotFoundException("proposal \"" + proposal + "\" has no run");
        }
        return runs;
    }

    /** Every attempt of every proposal (finished runs of earlier attempts teach the overrun model too). */
    @Transactional
    public List<Run> allAttempts() {
        Instant now = now();
        return RunEntity.listAllOrdered().stream().map(r -> r.toRun(r.events(), now)).toList();
    }

    private static Map<String, RunEntity> latestRuns() {
        Map<String, RunEntity> latest = new LinkedHashMap<>();
        for (RunEntity run : RunEntity.listAllOrdered()) {
            latest.put(run.proposal, run); // ordered by attempt: the last one wins
        }
        return latest;
    }

    // ---------------------------------------------------------------- the planning period

    @Transactional
    public Optional<PlanningPeriod> period() {
        return periodEntity().map(RunService::toPeriod);
    }

    /** Sets the period's budget (and window); the committed plan is kept. Audited as entity {@code budget/period}. */
    @Transactional
    public PlanningPeriod putPeriod(PlanningPeriod period) {
        Optional<PlanningPeriodEntity> stored = periodEntity();
        PlanningPeriod before = stored.map(RunService::toPeriod).orElse(null);
        PlanningPeriodEntity entity = stored.orElseGet(PlanningPeriodEntity::new);
        entity.budgetGpuHours = period.budgetGpuHours();
        entity.perTeam = Json.write(period.perTeam());
        entity.start = period.start();
        entity.end = period.end();
        if (stored.isEmpty()) {
            entity.persist();
        }
        PlanningPeriod after = toPeriod(entity);
        if (!after.equals(before)) { // like pools and horizon: a PUT that changes nothing leaves no audit row
            audit.record("budget", "period", "replace", before, after);
        }
        return after;
    }

    private static Optional<PlanningPeriodEntity> periodEntity() {
        return PlanningPeriodEntity.findByIdOptional(PlanningPeriodEntity.ID);
    }

    @SuppressWarnings("unchecked")
    private static PlanningPeriod toPeriod(PlanningPeriodEntity entity) {
        Map<String, Object> raw = Json.read(entity.perTeam, Map.class);
        Map<String, BigDecimal> perTeam = new HashMap<>();
        raw.forEach((team, cap) -> perTeam.put(team, new BigDecimal(cap.toString())));
        return new PlanningPeriod(entity.budgetGpuHours.stripTrailingZeros(), perTeam, entity.start, entity.end, entity.committedPlanId);
    }
}
