package dev.gpuplan.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.google.ortools.Loader;
import com.google.ortools.sat.BoolVar;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.CpSolver;
import com.google.ortools.sat.CpSolverSolutionCallback;
import com.google.ortools.sat.CpSolverStatus;
import com.google.ortools.sat.CumulativeConstraint;
import com.google.ortools.sat.IntVar;
import com.google.ortools.sat.IntervalVar;
import com.google.ortools.sat.LinearArgument;
import com.google.ortools.sat.LinearExpr;
import com.google.ortools.sat.Literal;

import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.domain.Horizon;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.ReasonCode;
import dev.gpuplan.domain.Pool;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.domain.TimeWindow;

/**
 * The same planning model as the solver's, written for Google OR-Tools CP-SAT, as the exact reference of
 * the benchmarks. Built from the {@link Portfolio} and {@link PlanningConfig} alone (no solver code):
 * <ul>
 *   <li>a selection literal per proposal; one start variable per proposal restricted to its window
 *       ({@code earliestStart} .. {@code deadline - duration}, inside the horizon);</li>
 *   <li>per fitting pool an optional fixed-size interval on that start, present iff the proposal runs there;
 *       exactly one is present when the proposal is selected, none otherwise;</li>
 *   <li>per pool a cumulative with the pool's GPUs as capacity; unavailable windows are fixed intervals that
 *       consume every GPU;</li>
 *   <li>budget (the config's usable budget, as {@link PlanningConfig#usableBudget}), team caps (the config's
 *       defaults, overridden by the portfolio's), dependencies (selected implies the prerequisite is selected
 *       and ends no later than the start), exclusive groups, required, pinned;</li>
 *   <li>durations {@code ceil(hours x 60 / slotMinutes)} slots; proposals that can never run (no fitting pool,
 *       no room in their window, or a prerequisite that can never run) are left out, as the solver does;</li>
 *   <li>objective: maximise the sum of expected values in thousandths, rounded HALF_UP per proposal (the
 *       solver's own scaling), so objective values compare exactly with the solver's medium score.</li>
 * </ul>
 * The solution is returned as a {@link Plan}, so the independent {@code PlanChecker} can check it too.
 */
public final class CpSatModel {

    /** The outcome of one CP-SAT solve. {@code plan} is null when no solution was found. */
    /** {@code candidates}: the proposals that can run at all. */
    public record Result(CpSolverStatus status, long objectiveMilli, long boundMilli, Duration wallTime,
                         Duration firstSolution, Plan plan, Set<String> selected, int candidates) {

        public boolean proven() {
            return status == CpSolverStatus.OPTIMAL;
        }

        public boolean hasSolution() {
            return status == CpSolverStatus.OPTIMAL || status == CpSolverStatus.FEASIBLE;
        }
    }

    private static boolean loaded;

    private final boolean schedule;
    private final Portfolio portfolio;
    private final Horizon horizon;
    private final int slotCount;
    private final BigDecimal usableBudget;
    private final CpModel model = new CpModel();
    private final Map<String, Proposal> byKey = new LinkedHashMap<>();
    private final Map<String, Boolean> runnable = new HashMap<>();
    private final Map<String, Candidate> candidates = new LinkedHashMap<>();
    private LinearExpr objective;

    /** One proposal that can run: its variables. */
    private record Candidate(Proposal proposal, int duration, BoolVar selected, IntVar start, Map<String, BoolVar> onPool) {
    }

    /** Loads the OR-Tools native library once per JVM. */
    public static synchronized void loadNativeLibraries() {
        if (!loaded) {
            Loader.loadNativeLibraries();
            loaded = true;
        }
    }

    public CpSatModel(Portfolio portfolio, PlanningConfig config) {
        this(portfolio, config, true);
    }

    /**
     * @param schedule false for the selection-only relaxation: the same selection rules (budget, caps, groups,
     *                 dependencies as selections, required, fit) without pools' capacity and time, whose optimum
     *                 is an upper bound of the full model's
     */
    CpSatModel(Portfolio portfolio, PlanningConfig config, boolean schedule) {
        loadNativeLibraries();
        this.schedule = schedule;
        this.portfolio = portfolio;
        this.horizon = portfolio.horizon();
        this.slotCount = horizon.slotCount();
        this.usableBudget = config.usableBudget(portfolio.budget().gpuHours());
        portfolio.proposals().forEach(p -> byKey.put(p.key(), p));
        for (Proposal p : portfolio.proposals()) {
            if (canRun(p)) {
                candidates.put(p.key(), variables(p));
            }
        }
        if (schedule) {
            capacity();
        }
        budget();
        teamCaps(config);
        dependencies();
        exclusiveGroups();
        objective();
    }

    public static long milli(BigDecimal amount) {
        return amount.multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    // ---- which proposals can run ----

    private boolean canRun(Proposal p) {
        Boolean known = runnable.get(p.key());
        if (known != null) {
            return known;
        }
        boolean can = p.pinned() != null
                || (!fittingPools(p).isEmpty() && latestStart(p) >= earliestStart(p)
                && p.dependsOn().stream().allMatch(d -> canRun(byKey.get(d))));
        runnable.put(p.key(), can);
        return can;
    }

    private List<Pool> fittingPools(Proposal p) {
        return portfolio.pools().stream()
                .filter(pool -> (p.gpuType() == null || p.gpuType().equals(pool.gpuType())) && p.gpus() <= pool.gpus())
                .toList();
    }

    private int duration(Proposal p) {
        return p.hours().multiply(BigDecimal.valueOf(60)).divide(BigDecimal.valueOf(horizon.slotMinutes()), 0, RoundingMode.CEILING)
                .intValueExact();
    }

    private int earliestStart(Proposal p) {
        return p.earliestStart() == null ? 0 : Math.max(0, slotAtOrAfter(p.earliestStart()));
    }

    private int latestStart(Proposal p) {
        int latestEnd = p.deadline() == null ? slotCount : Math.min(slotCount, slotsEndingBy(p.deadline()));
        return latestEnd - duration(p);
    }

    private int slotAtOrAfter(Instant instant) {
        long seconds = Duration.between(horizon.start(), instant).toSeconds();
        return (int) -Math.floorDiv(-seconds, horizon.slotMinutes() * 60L);
    }

    private int slotsEndingBy(Instant instant) {
        return (int) Math.floorDiv(Duration.between(horizon.start(), instant).toSeconds(), horizon.slotMinutes() * 60L);
    }

    // ---- variables and constraints ----

    private Candidate variables(Proposal p) {
        int duration = duration(p);
        BoolVar selected = model.newBoolVar("sel_" + p.key());
        Map<String, BoolVar> onPool = new LinkedHashMap<>();
        IntVar start;
        if (p.pinned() != null) {
            int at = slotAtOrAfter(p.pinned().start());
            start = model.newIntVar(at, at, "start_" + p.key());
            BoolVar there = model.newBoolVar("on_" + p.key() + "_" + p.pinned().pool());
            onPool.put(p.pinned().pool(), there);
            model.addEquality(selected, 1);
            model.addEquality(there, 1);
        } else {
            start = model.newIntVar(earliestStart(p), latestStart(p), "start_" + p.key());
            for (Pool pool : fittingPools(p)) {
                onPool.put(pool.name(), model.newBoolVar("on_" + p.key() + "_" + pool.name()));
            }
            // selected = exactly one pool; not selected = none
            model.addEquality(LinearExpr.sum(onPool.values().toArray(new LinearArgument[0])), selected);
            if (p.required()) {
                model.addEquality(selected, 1);
            }
        }
        return new Candidate(p, duration, selected, start, onPool);
    }

    private void capacity() {
        for (Pool pool : portfolio.pools()) {
            CumulativeConstraint cumulative = model.addCumulative(pool.gpus());
            for (Candidate c : candidates.values()) {
                BoolVar there = c.onPool().get(pool.name());
                if (there != null) {
                    IntervalVar run = model.newOptionalFixedSizeIntervalVar(c.start(), c.duration(), there,
                            "run_" + c.proposal().key() + "_" + pool.name());
                    cumulative.addDemand(run, c.proposal().gpus());
                }
            }
            int downFrom = -1;
            for (int slot = 0; slot <= slotCount; slot++) {
                boolean down = slot < slotCount && isDown(pool, slot);
                if (down && downFrom < 0) {
                    downFrom = slot;
                } else if (!down && downFrom >= 0) {
                    cumulative.addDemand(model.newFixedInterval(downFrom, slot - downFrom, "down_" + pool.name() + "_" + downFrom),
                            pool.gpus());
                    downFrom = -1;
                }
            }
        }
    }

    private boolean isDown(Pool pool, int slot) {
        Instant from = horizon.slotStart(slot);
        Instant to = horizon.slotStart(slot + 1);
        for (TimeWindow window : pool.unavailable()) {
            if (window.from().isBefore(to) && from.isBefore(window.to())) {
                return true;
            }
        }
        return false;
    }

    private void budget() {
        model.addLessOrEqual(costOf(candidates.values()), milli(usableBudget));
    }

    private void teamCaps(PlanningConfig config) {
        Map<String, BigDecimal> caps = new LinkedHashMap<>(config.defaultTeamCaps());
        caps.putAll(portfolio.budget().perTeam());
        caps.forEach((team, cap) -> model.addLessOrEqual(
                costOf(candidates.values().stream().filter(c -> c.proposal().team().equals(team)).toList()), milli(cap)));
    }

    private LinearExpr costOf(Iterable<Candidate> chosen) {
        List<LinearArgument> vars = new ArrayList<>();
        List<Long> costs = new ArrayList<>();
        for (Candidate c : chosen) {
            vars.add(c.selected());
            costs.add(milli(c.proposal().gpuHours()));
        }
        return LinearExpr.weightedSum(vars.toArray(new LinearArgument[0]), costs.stream().mapToLong(Long::longValue).toArray());
    }

    private void dependencies() {
        for (Candidate c : candidates.values()) {
            for (String key : c.proposal().dependsOn()) {
                Candidate prerequisite = candidates.get(key);
                if (prerequisite == null) { // only a pinned run can depend on one that can never run
                    model.addEquality(c.selected(), 0);
                    continue;
                }
                model.addImplication(c.selected(), prerequisite.selected());
                if (!schedule) {
                    continue;
                }
                model.addLessOrEqual(LinearExpr.affine(prerequisite.start(), 1, prerequisite.duration()), c.start())
                        .onlyEnforceIf(c.selected());
            }
        }
    }

    private void exclusiveGroups() {
        Map<String, List<Literal>> groups = new LinkedHashMap<>();
        for (Candidate c : candidates.values()) {
            if (c.proposal().exclusiveGroup() != null) {
                groups.computeIfAbsent(c.proposal().exclusiveGroup(), g -> new ArrayList<>()).add(c.selected());
            }
        }
        groups.values().forEach(model::addAtMostOne);
    }

    private void objective() {
        List<LinearArgument> vars = new ArrayList<>();
        List<Long> values = new ArrayList<>();
        for (Candidate c : candidates.values()) {
            vars.add(c.selected());
            values.add(milli(c.proposal().expectedValue()));
        }
        objective = LinearExpr.weightedSum(vars.toArray(new LinearArgument[0]), values.stream().mapToLong(Long::longValue).toArray());
        model.maximize(objective);
    }

    /** A proven upper bound of the objective (from a relaxation): helps CP-SAT's search and its proof. */
    void limitObjective(long upperBound) {
        model.addLessOrEqual(objective, upperBound);
    }

    /**
     * Hints CP-SAT with a complete plan for this selection: pinned runs where they are pinned, then the others
     * in dependency order (larger runs first among equals), each at the earliest start on a fitting pool where
     * its GPUs are free for its whole duration. Runs that find no room (and their dependents) are hinted unselected.
     */
    void hintSchedule(Set<String> selection) {
        Map<String, int[]> inUse = new HashMap<>();
        for (Pool pool : portfolio.pools()) {
            int[] use = new int[slotCount];
            for (int slot = 0; slot < slotCount; slot++) {
                use[slot] = isDown(pool, slot) ? pool.gpus() : 0;
            }
            inUse.put(pool.name(), use);
        }
        Map<String, Integer> ends = new HashMap<>();
        List<Candidate> order = new ArrayList<>(candidates.values().stream().filter(c -> selection.contains(c.proposal().key())).toList());
        order.sort(Comparator.comparing((Candidate c) -> c.proposal().pinned() == null)
                .thenComparing(c -> -(long) c.proposal().gpus() * c.duration()));
        List<Candidate> pending = new ArrayList<>(order);
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Candidate c : List.copyOf(pending)) {
                if (!c.proposal().dependsOn().stream().allMatch(ends::containsKey)) {
                    continue;
                }
                pending.remove(c);
                progress = true;
                int earliest = (int) c.start().getDomain().min();
                for (String prerequisite : c.proposal().dependsOn()) {
                    earliest = Math.max(earliest, ends.get(prerequisite));
                }
                String bestPool = null;
                int bestStart = Integer.MAX_VALUE;
                for (String pool : c.onPool().keySet()) {
                    int start = earliestFree(inUse.get(pool), poolGpus(pool), c, earliest);
                    if (start >= 0 && start < bestStart) {
                        bestPool = pool;
                        bestStart = start;
                    }
                }
                if (bestPool == null) {
                    continue;
                }
                int[] use = inUse.get(bestPool);
                for (int slot = bestStart; slot < bestStart + c.duration(); slot++) {
                    use[slot] += c.proposal().gpus();
                }
                ends.put(c.proposal().key(), bestStart + c.duration());
                model.addHint(c.start(), bestStart);
                for (Map.Entry<String, BoolVar> there : c.onPool().entrySet()) {
                    model.addHint(there.getValue(), there.getKey().equals(bestPool));
                }
            }
        }
        for (Candidate c : candidates.values()) {
            boolean placed = ends.containsKey(c.proposal().key());
            model.addHint(c.selected(), placed);
            if (!placed) {
                c.onPool().values().forEach(there -> model.addHint(there, false));
            }
        }
    }

    private int poolGpus(String name) {
        return portfolio.pools().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow().gpus();
    }

    private static int earliestFree(int[] use, int capacity, Candidate c, int earliest) {
        long latest = c.start().getDomain().max();
        for (int start = earliest; start <= latest; start++) {
            boolean fits = true;
            for (int slot = start; slot < start + c.duration() && fits; slot++) {
                fits = use[slot] + c.proposal().gpus() <= capacity;
            }
            if (fits) {
                return start;
            }
        }
        return -1;
    }

    // ---- solving ----

    /**
     * CP-SAT as the benchmarks' reference, in two stages within {@code timeLimit}: first the selection-only
     * relaxation (a quarter of the time), whose optimum is an upper bound of the full model's; then the full
     * model with that bound as a constraint and, as a hint, the relaxation's selection placed run by run
     * ({@link #hintSchedule}). When the full model
     * reaches the bound, CP-SAT proves it optimal at once; otherwise the bound reported is the smaller of the two.
     */
    public static Result reference(Portfolio portfolio, PlanningConfig config, Duration timeLimit, int workers) {
        long started = System.nanoTime();
        Result relaxed = new CpSatModel(portfolio, config, false).solve(timeLimit.dividedBy(4), workers);
        CpSatModel full = new CpSatModel(portfolio, config);
        long bound = relaxed.proven() ? relaxed.objectiveMilli() : relaxed.boundMilli();
        full.limitObjective(bound);
        if (relaxed.hasSolution()) {
            full.hintSchedule(relaxed.selected());
        }
        Duration left = timeLimit.minus(Duration.ofNanos(System.nanoTime() - started));
        Result result = full.solve(left.isNegative() ? Duration.ofMillis(100) : left, workers);
        return new Result(result.status(), result.objectiveMilli(), Math.min(result.boundMilli(), bound),
                Duration.ofNanos(System.nanoTime() - started), result.firstSolution() == null ? null
                : result.firstSolution().plus(relaxed.wallTime()), result.plan(), result.selected(), result.candidates());
    }

    /** Solves with {@code workers} search workers for at most {@code timeLimit}. */
    public Result solve(Duration timeLimit, int workers) {
        CpSolver solver = new CpSolver();
        solver.getParameters().setNumWorkers(workers).setMaxTimeInSeconds(timeLimit.toMillis() / 1000.0);
        if (workers == 2) {
            // With 2 workers CP-SAT's default portfolio runs no full-problem LP worker and its bound stalls (a 200-run
            // precedence knapsack stayed 10% open after 30 s); max_lp + core prove the 200-proposal instances in < 1 s.
            solver.getParameters().addSubsolvers("max_lp").addSubsolvers("core");
        }
        long started = System.nanoTime();
        long[] firstSolution = {-1};
        CpSolverStatus status = solver.solve(model, new CpSolverSolutionCallback() {
            @Override
            public void onSolutionCallback() {
                if (firstSolution[0] < 0) {
                    firstSolution[0] = System.nanoTime() - started;
                }
            }
        });
        Duration wall = Duration.ofNanos(System.nanoTime() - started);
        boolean solved = status == CpSolverStatus.OPTIMAL || status == CpSolverStatus.FEASIBLE;
        Set<String> selected = new TreeSet<>();
        if (solved) {
            candidates.values().stream().filter(c -> solver.booleanValue(c.selected())).forEach(c -> selected.add(c.proposal().key()));
        }
        return new Result(status, solved ? Math.round(solver.objectiveValue()) : 0, Math.round(solver.bestObjectiveBound()), wall,
                firstSolution[0] < 0 ? null : Duration.ofNanos(firstSolution[0]), solved && schedule ? toPlan(solver) : null, selected,
                candidates.size());
    }

    private Plan toPlan(CpSolver solver) {
        List<Plan.Assignment> assignments = new ArrayList<>();
        List<Plan.Unselected> unselected = new ArrayList<>();
        BigDecimal expectedValue = BigDecimal.ZERO;
        BigDecimal value = BigDecimal.ZERO;
        BigDecimal gpuHours = BigDecimal.ZERO;
        for (Proposal p : portfolio.proposals()) {
            Candidate c = candidates.get(p.key());
            if (c == null || !solver.booleanValue(c.selected())) {
                unselected.add(new Plan.Unselected(p.key(), ReasonCode.NOT_CHOSEN, c == null ? "cannot run in the CP-SAT model" : "not in the CP-SAT solution", null));
                continue;
            }
            String pool = c.onPool().entrySet().stream().filter(e -> solver.booleanValue(e.getValue())).map(Map.Entry::getKey)
                    .findFirst().orElseThrow();
            int start = (int) solver.value(c.start());
            assignments.add(new Plan.Assignment(p.key(), pool, horizon.slotStart(start), horizon.slotStart(start + c.duration()), p.gpus(),
                    p.gpuHours(), p.expectedValue()));
            expectedValue = expectedValue.add(p.expectedValue());
            value = value.add(p.value());
            gpuHours = gpuHours.add(p.gpuHours());
        }
        assignments.sort(Comparator.comparing(Plan.Assignment::pool).thenComparing(Plan.Assignment::start)
                .thenComparing(Plan.Assignment::proposal));
        return new Plan(null, Plan.Status.SOLVED, portfolio.budget().gpuHours(), usableBudget, "cp-sat", null, null, true,
                new Plan.Totals(expectedValue, value, gpuHours, assignments.size(), portfolio.proposals().size()),
                assignments, unselected, List.of());
    }
}
