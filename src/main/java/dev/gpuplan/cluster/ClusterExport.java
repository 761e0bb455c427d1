package dev.gpuplan.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.gpuplan.config.ClusterMapping;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;

/**
 * What a cluster runs for a plan: its selected runs, each with its proposal's command and its pool's mapping,
 * in an order where every run comes after the runs it depends on. The Slurm and Kubernetes writers only render these.
 */
public final class ClusterExport {

    /** Plan ids that may appear in a directive or a label: a service id (UUID) or {@code file-<hash>}. */
    static final Pattern PLAN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Proposal keys, as the input rules them (checked again: a key is written into directives and file names). */
    static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private ClusterExport() {
    }

    /**
     * The runs of {@code plan}. Refuses a plan that is not SOLVED, is infeasible, names a proposal or pool the
     * portfolio lacks, or uses a pool the mapping must list (with {@code requireMapping}) and does not.
     */
    public static List<ExportRun> runs(Plan plan, String planRef, Portfolio portfolio, ClusterMapping mapping) {
        if (plan.status() != Plan.Status.SOLVED) {
            throw new ExportException(ExportException.Kind.BAD_INPUT, "plan " + planRef + " is " + plan.status()
                    + ": only a SOLVED plan can be exported");
        }
        if (!plan.feasible()) {
            throw new ExportException(ExportException.Kind.INFEASIBLE, "plan " + planRef + " breaks a hard rule ("
                    + String.join("; ", plan.violations()) + "): an infeasible plan is not exported");
        }
        if (!PLAN_ID.matcher(planRef).matches()) {
            throw new ExportException(ExportException.Kind.BAD_INPUT, "plan id \"" + planRef + "\" is not a plain name"
                    + " (letters, digits, . _ -): it cannot go into a job comment");
        }
        Map<String, Proposal> proposals = portfolio.proposals().stream()
                .collect(Collectors.toMap(Proposal::key, p -> p, (a, b) -> a, LinkedHashMap::new));
        Set<String> pools = portfolio.pools().stream().map(dev.gpuplan.domain.Pool::name).collect(Collectors.toSet());
        Set<String> selected = plan.assignments().stream().map(Plan.Assignment::proposal).collect(Collectors.toSet());
        List<String> errors = new ArrayList<>();
        List<ExportRun> runs = new ArrayList<>();
        for (Plan.Assignment a : plan.assignments()) {
            Proposal proposal = proposals.get(a.proposal());
            if (proposal == null) {
                errors.add("run \"" + a.proposal() + "\" is not a proposal of the portfolio (is it the portfolio the plan was solved from?)");
                continue;
            }
            if (!KEY.matcher(a.proposal()).matches()) {
                errors.add("run \"" + a.proposal() + "\": the key is not a plain name ([a-z0-9][a-z0-9._-]{0,63})");
                continue;
            }
            if (proposal.gpus() != a.gpus()) {
                errors.add("run \"" + a.proposal() + "\" has " + a.gpus() + " GPUs in the plan but " + proposal.gpus()
                        + " in the portfolio (is it the portfolio the plan was solved from?)");
                continue;
            }
            if (!pools.contains(a.pool())) {
                errors.add("run \"" + a.proposal() + "\" is on pool \"" + a.pool() + "\", which the portfolio does not have");
                continue;
            }
            if (mapping.requireMapping() && !mapping.lists(a.pool())) {
                errors.add("pool \"" + a.pool() + "\" (run \"" + a.proposal() + "\") has no mapping under cluster.pools,"
                        + " and the config sets cluster.requireMapping: true");
                continue;
            }
            ClusterMapping.PoolMapping pool = mapping.pool(a.pool());
            if (!ClusterMapping.NAME.matcher(pool.partition()).matches() || !ClusterMapping.NAME.matcher(pool.queue()).matches()) {
                errors.add("pool \"" + a.pool() + "\" is not a plain name, so it cannot stand for a Slurm partition or a Kueue queue:"
                        + " map it under cluster.pools with partition and queue");
                continue;
            }
            // A pilot gates its full run like a dependency: the full run starts only once its pilot has succeeded.
            List<String> inPlan = proposal.prerequisites().stream().filter(selected::contains).toList();
            List<String> outside = proposal.prerequisites().stream().filter(d -> !selected.contains(d)).toList();
            runs.add(new ExportRun(planRef, a.proposal(), proposal.title(), proposal.team(), proposal.command(), a.pool(),
                    a.start(), a.end(), a.gpus(), proposal.hours(), inPlan, outside, pool));
        }
        if (!errors.isEmpty()) {
            throw new ExportException(ExportException.Kind.BAD_INPUT, "plan " + planRef + " cannot be exported:\n  "
                    + String.join("\n  ", errors));
        }
        return dependencyOrder(runs);
    }

    /** Runs by planned start, each moved after the runs it depends on (a feasible plan already starts them later). */
    static List<ExportRun> dependencyOrder(List<ExportRun> runs) {
        List<ExportRun> byStart = new ArrayList<>(runs);
        byStart.sort(java.util.Comparator.comparing(ExportRun::start).thenComparing(ExportRun::proposal));
        Map<String, ExportRun> byKey = new HashMap<>();
        byStart.forEach(r -> byKey.put(r.proposal(), r));
        List<ExportRun> ordered = new ArrayList<>();
        Set<String> placed = new java.util.HashSet<>();
        for (ExportRun run : byStart) {
            place(run, byKey, placed, ordered, new java.util.HashSet<>());
        }
        return ordered;
    }

    private static void place(ExportRun run, Map<String, ExportRun> byKey, Set<String> placed, List<ExportRun> ordered, Set<String> path) {
        if (placed.contains(run.proposal())) {
            return;
        }
        if (!path.add(run.proposal())) {
            throw new ExportException(ExportException.Kind.BAD_INPUT, "dependency cycle through \"" + run.proposal() + "\"");
        }
        for (String dependency : run.dependsOn()) {
            place(byKey.get(dependency), byKey, placed, ordered, path);
        }
        placed.add(run.proposal());
        ordered.add(run);
    }

    /** The plan reference of a plan file without an id: {@code file-} and the first 12 hex digits of its SHA-256. */
    public static String fileReference(String planJson) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(planJson.getBytes(StandardCharsets.UTF_8));
            return "file-" + HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
