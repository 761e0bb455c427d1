package dev.gpuplan.solver;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.domain.DependencyOrder;
import dev.gpuplan.domain.Horizon;
import dev.gpuplan.domain.Overruns;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.Plan.Assignment;
import dev.gpuplan.domain.Pool;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.domain.ReasonCode;
import dev.gpuplan.domain.Rule;
import dev.gpuplan.domain.TimeWindow;

/**
 * The one place that turns a validated {@link Portfolio} and a {@link PlanningConfig} into a
 * {@link GpuSchedule}. Proposals that can never be selected (no pool of their type is big enough, no slot
 * inside their window, or a dependency that can never be selected) do not become runs: they are kept as an
 * {@link Exclusion} with the figures behind it, which {@code dev.gpuplan.analysis} turns into a plan's reasons.
 */
public final class PlanningProblem {

    /** Why a proposal can never be selected in this problem, whatever the solver does. */
    public record Exclusion(String proposal, ReasonCode code, Map<String, Object> details) {
        public Exclusion {
            details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
        }
    }

    /** A pinned proposal whose prerequisite can never be selected: it runs anyway, so its dependency rule is broken. */
    public record MissingPrerequisite(String pinned, String prerequisite) {
    }

    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    private final Portfolio portfolio;
    private final PlanningConfig config;
    private final BigDecimal usableGpuHours;
    /** The overruns the budget rules hold against, or null (no {@code budget.confidence}, or nothing learned): flat reserve. */
    private final Overruns overruns;
    private final Map<String, Proposal> proposalsByKey = new LinkedHashMap<>();
    private final Map<String, Exclusion> exclusions = new LinkedHashMap<>();
    private final List<MissingPrerequisite> pinnedWithoutPrerequisite = new ArrayList<>();
    private final GpuSchedule schedule;

    public PlanningProblem(Portfolio portfolio, PlanningConfig config) {
        if (portfolio.budget() == null || portfolio.budget().gpuHours() == null) {
            throw new IllegalArgumentException("a budget is required: give budget.gpuHours in the portfolio or --budget");
        }
        this.portfolio = portfolio;
        this.config = config;
        this.overruns = config.confidence() == null ? null : portfolio.budget().overruns();
        // Learned overruns replace the flat reserve: the whole budget, but at the confidence quantile.
        this.usableGpuHours = overruns != null ? portfolio.budget().gpuHours() : config.usableBudget(portfolio.budget().gpuHours());
        portfolio.proposals().forEach(p -> proposalsByKey.put(p.key(), p));
        this.schedule = buildSchedule();
    }

    public GpuSchedule schedule() {
        return schedule;
    }

    public Portfolio portfolio() {
        return portfolio;
    }

    public PlanningConfig config() {
        return config;
    }

    public static long milli(BigDecimal amount) {
        return milli(amount, RoundingMode.HALF_UP);
    }

    /**
     * Thousandths rounded as asked. Costs round up and limits down, so that rounding can never let a plan
     * over its budget or a team cap (three runs of 0.3333 GPU-hours must not fit in 0.999).
     */
    public static long milli(BigDecimal amount, RoundingMode rounding) {
        return amount.multiply(THOUSAND).setScale(0, rounding).longValueExact();
    }

    private GpuSchedule buildSchedule() {
        Horizon horizon = portfolio.horizon();
        Map<String, PoolTimeline> timelines = new LinkedHashMap<>();
        for (Pool pool : portfolio.pools()) {
            timelines.put(pool.name(), new PoolTimeline(pool.name(), pool.gpuType(), pool.gpus(), capacityBySlot(pool, horizon),
                    slotMilliHours(horizon)));
        }
        List<Run> runs = new ArrayList<>();
        Map<String, Run> runsByKey = new HashMap<>();
        for (Proposal proposal : DependencyOrder.of(portfolio.proposals())) {
            Run run = toRun(runs.size(), proposal, horizon, timelines, runsByKey);
            if (run != null) {
                runs.add(run);
                runsByKey.put(proposal.key(), run);
            }
        }
        List<Dependency> dependencies = new ArrayList<>();
        for (Run run : runs) {
            Proposal proposal = proposalsByKey.get(run.getKey());
            for (String prerequisite : proposal.prerequisites()) {
                Run before = runsByKey.get(prerequisite);
                if (before == null) { // only a pinned run gets here
                    pinnedWithoutPrerequisite.add(new MissingPrerequisite(run.getKey(), prerequisite));
                } else {
                    dependencies.add(new Dependency(run.getId(), before.getId(), prerequisite.equals(proposal.pilot())));
                }
            }
        }
        Map<String, BigDecimal> caps = new LinkedHashMap<>(config.defaultTeamCaps());
        caps.putAll(portfolio.budget().perTeam());
        double z = overrunZ();
        List<TeamCap> teamCaps = caps.entrySet().stream().map(e -> new TeamCap(e.getKey(), milli(e.getValue(), RoundingMode.FLOOR), z)).toList();
        ScheduleWeights weights = new ScheduleWeights(config.weight(Rule.EARLIER_RESULTS), config.weight(Rule.DEADLINE_MARGIN));
        return new GpuSchedule(List.copyOf(timelines.values()), runs, dependencies, teamCaps,
                new BudgetLimit(milli(usableGpuHours, RoundingMode.FLOOR), z), weights);
    }

    private Run toRun(int id, Proposal proposal, Horizon horizon, Map<String, PoolTimeline> timelines, Map<String, Run> runsByKey) {
        int duration = horizon.slotsFor(proposal.hours());
        List<PoolTimeline> fitting = portfolio.pools().stream().filter(proposal::fitsOn).map(p -> timelines.get(p.name())).toList();
        int earliest = proposal.earliestStart() == null ? 0 : Math.max(0, horizon.firstSlotAtOrAfter(proposal.earliestStart()));
        int latestEnd = proposal.deadline() == null ? horizon.slotCount() : Math.min(horizon.slotCount(), horizon.slotsEndingBy(proposal.deadline()));
        int latest = latestEnd - duration;
        Proposal.Pin pin = proposal.pinned();
        if (pin == null) {
            if (fitting.isEmpty()) {
                exclude(noFittingPool(proposal));
                return null;
            }
            if (latest < earliest) {
                int available = Math.max(0, latestEnd - earliest);
                Map<String, Object> details = new java.util.LinkedHashMap<>(Map.of("slotsNeeded", duration, "slotsAvailable", available,
                        "windowStart", horizon.slotStart(Math.max(0, earliest)).toString(),
                        "windowEnd", horizon.slotStart(Math.max(0, latestEnd)).toString()));
                if (proposal.earliestStart() != null) {
                    details.put("earliestStart", proposal.earliestStart().toString());
                }
                if (proposal.deadline() != null) {
                    details.put("deadline", proposal.deadline().toString());
                }
                exclude(new Exclusion(proposal.key(), ReasonCode.NO_WINDOW, details));
                return null;
            }
            Optional<String> missing = proposal.prerequisites().stream().filter(d -> !runsByKey.containsKey(d)).findFirst();
            if (missing.isPresent()) {
                ReasonCode code = exclusions.get(missing.get()).code();
                exclude(new Exclusion(proposal.key(), ReasonCode.DEPENDENCY_NOT_SELECTED, Map.of("dependency", missing.get(), "dependencyCode", code.name())));
                return null;
            }
        }
        Run run = new Run(id, proposal.key(), proposal.team(), proposal.gpus(), duration, milli(proposal.gpuHours(), RoundingMode.CEILING),
                milli(proposal.expectedValue()), earliest, latest, fitting)
                .withExclusiveGroup(proposal.exclusiveGroup())
                .withRequired(proposal.required())
                .withCharge(charge(proposal));
        if (proposal.deadline() != null) {
            int marginSlots = config.deadlineMarginHours().signum() == 0 ? 0 : horizon.slotsFor(config.deadlineMarginHours());
            run.withDeadlineMarginSlot(latestEnd - marginSlots);
        }
        if (pin != null) {
            run.pinnedAt(timelines.get(pin.pool()), horizon.firstSlotAtOrAfter(pin.start()));
        }
        return run;
    }

    /**
     * What a proposal counts against budget and team cap (see {@link Charge}). Its estimate {@code c}; a pilot-gated
     * run under {@code gatedSpend: expected} counts with probability {@code p} (else 1). Without learned overruns: the
     * mean {@code p x c}, no variance. With them, the team's overrun ratio {@code r} (mean {@code m}, variance {@code v})
     * applies, and the charge is {@code c x r} with probability {@code p}, else 0: mean {@code p c m}, variance
     * {@code p c^2 (v + m^2) - (p c m)^2}.
     */
    Charge charge(Proposal proposal) {
        double cost = proposal.gpuHours().doubleValue();
        double p = proposal.pilot() != null && config.gatedSpend() == PlanningConfig.GatedSpend.EXPECTED
                ? proposal.pilotSuccessProbability().doubleValue() : 1;
        if (overruns == null) {
            return p == 1 ? new Charge(milli(proposal.gpuHours(), RoundingMode.CEILING), 0)
                    : new Charge(milli(proposal.gpuHours().multiply(proposal.pilotSuccessProbability()), RoundingMode.CEILING), 0);
        }
        Overruns.Fit fit = overruns.forTeam(proposal.team());
        double m = fit.mean();
        double mean = p * cost * m;
        double variance = p * cost * cost * (fit.variance() + m * m) - mean * mean;
        return new Charge((long) Math.ceil(mean * 1000 - 1e-6), (long) Math.ceil(Math.max(0, variance) * 1000));
    }

    /** The standard normal score of the config's confidence when overruns are learned; 0 (plain sums) otherwise. */
    private double overrunZ() {
        return overruns == null ? 0 : Overruns.normalQuantile(config.confidence().doubleValue());
    }

    /** The overruns the budget and caps hold against, or null when the flat reserve applies. */
    public Overruns overruns() {
        return overruns;
    }

    private Exclusion noFittingPool(Proposal proposal) {
        int largest = portfolio.pools().stream().filter(p -> proposal.gpuType() == null || proposal.gpuType().equals(p.gpuType()))
                .mapToInt(Pool::gpus).max().orElse(0);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("gpus", proposal.gpus());
        details.put("gpuType", proposal.gpuType());
        details.put("largestPoolGpus", largest);
        return new Exclusion(proposal.key(), ReasonCode.NO_FITTING_POOL, details);
    }

    private void exclude(Exclusion exclusion) {
        exclusions.put(exclusion.proposal(), exclusion);
    }

    /**
     * Starts the search from an earlier plan: each of its assignments that is still possible in this problem
     * (same proposal, a fitting pool, a start inside the window) is set as the initial value. A plan feasible
     * under a smaller budget is feasible here too, so the solver returns at least its expected value.
     */
    public PlanningProblem warmStart(Plan earlier) {
        Map<String, Run> runs = new HashMap<>();
        schedule.getRuns().forEach(run -> runs.put(run.getKey(), run));
        for (Assignment assignment : earlier.assignments()) {
            Run run = runs.get(assignment.proposal());
            if (run == null || run.isPinned()) {
                continue;
            }
            int start = portfolio.horizon().firstSlotAtOrAfter(assignment.start());
            run.getFittingPools().stream().filter(pool -> pool.getName().equals(assignment.pool())).findFirst()
                    .filter(pool -> start >= run.getEarliestStartSlot() && start <= run.getLatestStartSlot())
                    .ifPresent(pool -> {
                        run.setPool(pool);
                        run.setStartSlot(start);
                    });
        }
        return this;
    }

    public Proposal proposal(String key) {
        return proposalsByKey.get(key);
    }

    /** Why {@code key} can never be selected, or null when the solver may select it. */
    public Exclusion exclusion(String key) {
        return exclusions.get(key);
    }

    /** The proposals that can never be selected, in portfolio dependency order. */
    public List<Exclusion> exclusions() {
        return List.copyOf(exclusions.values());
    }

    public List<MissingPrerequisite> pinnedWithoutPrerequisite() {
        return List.copyOf(pinnedWithoutPrerequisite);
    }

    /** The budget limit of the rules: the portfolio's budget less the config's flat reserve, or all of it with learned overruns. */
    public BigDecimal usableGpuHours() {
        return usableGpuHours;
    }

    /** A slot's length in thousandths of an hour, rounded up (a 1-minute slot is 17). */
    private static long slotMilliHours(Horizon horizon) {
        return (horizon.slotMinutes() * 1000L + 59) / 60;
    }

    private static int[] capacityBySlot(Pool pool, Horizon horizon) {
        int[] capacity = new int[horizon.slotCount()];
        for (int slot = 0; slot < capacity.length; slot++) {
            var from = horizon.slotStart(slot);
            var to = horizon.slotStart(slot + 1);
            boolean down = false;
            for (TimeWindow window : pool.unavailable()) {
                down |= window.overlaps(from, to);
            }
            capacity[slot] = down ? 0 : pool.gpus();
        }
        return capacity;
    }
}
