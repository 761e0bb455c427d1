package dev.gpuplan.service;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import dev.gpuplan.access.AuditLog;
import dev.gpuplan.access.Caller;
import dev.gpuplan.domain.Horizon;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.Pool;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.input.InvalidInputException;
import dev.gpuplan.input.Json;
import dev.gpuplan.input.PortfolioReader;
import dev.gpuplan.persistence.HorizonEntity;
import dev.gpuplan.persistence.PlanEntity;
import dev.gpuplan.persistence.PoolEntity;
import dev.gpuplan.persistence.ProposalEntity;
import io.quarkus.panache.common.Sort;

/**
 * The stored proposals, pools and horizon. The catalog's invariants (unique keys, every dependency stored, no
 * dependency cycle, every proposal fits the pools and horizon) hold after every write, under any interleaving:
 * <ul>
 * <li>writes are serialised: each first updates the one {@code catalog_lock} row in its own transaction, whose row
 * lock holds any other write back until it commits, on H2 and PostgreSQL alike. Within one process, writers first
 * queue for a local permit held until their transaction ends, so at most one of them at a time holds a database
 * connection while it waits for that row: a burst of writes cannot take every pooled connection and leave reads
 * waiting for one;</li>
 * <li>a proposal write validates only what it touches: the written proposals, the stored proposals they depend on,
 * and (for a cycle) the stored dependency chains reachable from them; a delete looks only for proposals naming the
 * key. So a write costs about the same with 100 or 100,000 stored proposals. Pools and horizon concern every
 * proposal, so their writes check the whole catalog.</li>
 * </ul>
 * Every write is all-or-nothing, checks the caller may make it (a researcher changes their own teams' proposals
 * only), and records itself in the audit trail in the same transaction; a write that changes nothing records nothing.
 */
@ApplicationScoped
public class CatalogService {

    /** A proposal with its status from the newest solved plan that considered it. */
    public record ProposalView(Proposal proposal, String status) {
    }

    private static final int IN_CHUNK = 500;

    /** Marks a transaction that holds {@link #localWriter} (a write may call another write in the same transaction). */
    private static final Object HOLDS_LOCAL_WRITER = new Object();

    private final WorkLimits limits;
    private final Caller caller;
    private final AuditLog audit;
    private final TransactionSynchronizationRegistry transactions;
    /** This process's one writer at a time; fair, so writers go in the order they came. */
    private final Semaphore localWriter = new Semaphore(1, true);

    public CatalogService(WorkLimits limits, Caller caller, AuditLog audit, TransactionSynchronizationRegistry transactions) {
        this.limits = limits;
        this.caller = caller;
        this.audit = audit;
        this.transactions = transactions;
    }

    @Transactional
    public List<Proposal> create(List<Proposal> proposals) {
        if (proposals.size() > limits.limits().proposalsPerBatch()) {
            throw LimitExceededException.tooLarge("proposals-per-batch", "proposals", "a batch may hold at most "
                    + limits.limits().proposalsPerBatch() + " proposals, got " + proposals.size());
        }
        proposals.forEach(p -> caller.requireTeam(p.team(), "add proposals"));
        lockCatalog();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < proposals.size(); i++) {
            Proposal proposal = proposals.get(i);
            if (!seen.add(proposal.key())) {
                throw InvalidInputException.of("request body", "proposals[" + i + "] (key \"" + proposal.key() + "\")", "key",
                        "is given twice in the batch");
            }
        }
        List<String> existing = storedKeys(seen);
        if (!existing.isEmpty()) {
            String key = existing.get(0);
            throw new ConflictException("key", "proposal \"" + key + "\" already exists; use PUT /api/proposals/" + key + " to replace it");
        }
        checkCatalogRoom(proposals.size());
        validateTouched(proposals);
        proposals.forEach(p -> ProposalEntity.of(p).persist());
        proposals.forEach(p -> audit.record("proposal", p.key(), "create", null, p));
        return proposals;
    }

    /** @return true when the proposal was created, false when replaced */
    @Transactional
    public boolean replace(String key, Proposal proposal) {
        if (!key.equals(proposal.key())) {
            throw InvalidInputException.of("request body", "", "key", "\"" + proposal.key() + "\" does not match the path's \"" + key + "\"");
        }
        lockCatalog();
        ProposalEntity entity = ProposalEntity.findById(key);
        if (entity != null) {
            caller.requireTeam(entity.team, "change proposals");
        }
        caller.requireTeam(proposal.team(), entity == null ? "add proposals" : "move proposals to the team");
        if (entity == null) {
            checkCatalogRoom(1);
        }
        validateTouched(List.of(proposal));
        if (entity != null) {
            refuseCycleThroughStored(proposal);
        }
        if (entity == null) {
            ProposalEntity.of(proposal).persist();
            audit.record("proposal", key, "create", null, proposal);
            return true;
        }
        Proposal before = entity.toProposal();
        entity.replaceWith(proposal);
        if (!before.equals(proposal)) {
            audit.record("proposal", key, "update", before, proposal);
        }
        return false;
    }

    @Transactional
    public void delete(String key) {
        lockCatalog();
        ProposalEntity entity = ProposalEntity.findById(key);
        if (entity == null) {
            throw new NotFoundException("proposal \"" + key + "\" does not exist");
        }
        caller.requireTeam(entity.team, "delete proposals");
        List<String> dependents = dependentsOf(key);
        if (!dependents.isEmpty()) {
            throw new ConflictException("key", "proposal \"" + key + "\" cannot be deleted: " + String.join(", ", dependents) + " depend on it");
        }
        Proposal before = entity.toProposal();
        entity.delete();
        audit.record("proposal", key, "delete", before, null);
    }

    @Transactional
    public Optional<Proposal> proposal(String key) {
        return ProposalEntity.<ProposalEntity>findByIdOptional(key).map(ProposalEntity::toProposal);
    }

    @Transactional
    public long proposalCount() {
        return ProposalEntity.count();
    }

    /**
     * One page of stored proposals in key order, optionally of one team and one status (selected, unselected,
     * unplanned, per the newest solved plan). The status filter runs in the database, so a page costs one page of rows.
     */
    @Transactional
    public Page<ProposalView> proposals(String team, String status, String cursor, int limit) {
        String after = cursor == null || cursor.isEmpty() ? null : Page.decode(cursor);
        String latest = latestSolvedPlan();
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (team != null) {
            where.append(" and team = :team");
            params.put("team", team);
        }
        if (after != null) {
            where.append(" and key > :after");
            params.put("after", after);
        }
        String selected = "select a.proposal from PlanEntity p join p.assignments a where p.id = :plan";
        String unselected = "select u.proposal from PlanEntity p join p.unselected u where p.id = :plan";
        if (status != null) {
            switch (status.toLowerCase()) {
                case "selected" -> where.append(" and key in (").append(selected).append(")");
                case "unselected" -> where.append(" and key in (").append(unselected).append(")");
                case "unplanned" -> where.append(" and key not in (").append(selected).append(") and key not in (").append(unselected).append(")");
                default -> throw InvalidInputException.of("query", "", "status", "must be selected, unselected or unplanned, got \""
                        + dev.gpuplan.input.FieldLimits.quote(status, 40) + "\"");
            }
            params.put("plan", latest == null ? "" : latest);
        }
        List<ProposalEntity> rows = ProposalEntity.<ProposalEntity>find(where.toString(), Sort.by("key"), params).page(0, limit + 1).list();
        List<ProposalEntity> page = rows.subList(0, Math.min(limit, rows.size()));
        Map<String, String> statuses = statusesOf(latest, page.stream().map(e -> e.key).toList());
        List<ProposalView> views = page.stream()
                .map(e -> new ProposalView(e.toProposal(), statuses.getOrDefault(e.key, "unplanned"))).toList();
        String next = rows.size() > limit ? Page.encode(page.get(page.size() - 1).key) : null;
        return new Page<>(views, next);
    }

    private static String latestSolvedPlan() {
        return PlanEntity.getEntityManager()
                .createQuery("select p.id from PlanEntity p where p.status = ?1 order by p.createdAt desc, p.id desc", String.class)
                .setParameter(1, Plan.Status.SOLVED).setMaxResults(1).getResultStream().findFirst().orElse(null);
    }

    private static Map<String, String> statusesOf(String plan, List<String> keys) {
        Map<String, String> statuses = new HashMap<>();
        if (plan == null || keys.isEmpty()) {
            return statuses;
        }
        PlanEntity.getEntityManager().createQuery("select u.proposal from PlanEntity p join p.unselected u where p.id = ?1 and u.proposal in ?2",
                String.class).setParameter(1, plan).setParameter(2, keys).getResultList().forEach(k -> statuses.put(k, "unselected"));
        PlanEntity.getEntityManager().createQuery("select a.proposal from PlanEntity p join p.assignments a where p.id = ?1 and a.proposal in ?2",
                String.class).setParameter(1, plan).setParameter(2, keys).getResultList().forEach(k -> statuses.put(k, "selected"));
        return statuses;
    }

    @Transactional
    public List<Pool> pools() {
        return PoolEntity.<PoolEntity>listAll(Sort.by("position")).stream().map(PoolEntity::toPool).toList();
    }

    @Transactional
    public List<Pool> replacePools(List<Pool> pools) {
        if (pools.size() > limits.limits().pools()) {
            throw LimitExceededException.tooLarge("pools", "pools", "at most " + limits.limits().pools() + " pools are allowed, got " + pools.size());
        }
        lockCatalog();
        validateAll(storedHorizon().orElse(null), pools, storedProposals());
        List<Pool> before = pools();
        PoolEntity.getEntityManager().clear(); // the bulk delete below does not evict the pools just read; new ones reuse their ids
        PoolEntity.deleteAll();
        PoolEntity.flush();
        for (int i = 0; i < pools.size(); i++) {
            PoolEntity.of(i, pools.get(i)).persist();
        }
        if (!before.equals(pools)) {
            audit.record("pools", "all", "replace", before, pools);
        }
        return pools;
    }

    @Transactional
    public Optional<Horizon> storedHorizon() {
        return HorizonEntity.<HorizonEntity>findByIdOptional(HorizonEntity.ID).map(HorizonEntity::toHorizon);
    }

    @Transactional
    public Horizon replaceHorizon(Horizon horizon) {
        lockCatalog();
        validateAll(horizon, pools(), storedProposals());
        HorizonEntity entity = HorizonEntity.findById(HorizonEntity.ID);
        Horizon before = entity == null ? null : entity.toHorizon();
        if (!horizon.equals(before)) {
            audit.record("horizon", "current", "replace", before, horizon);
        }
        if (entity == null) {
            entity = new HorizonEntity();
            entity.document = Json.write(horizon);
            entity.persist();
        } else {
            entity.document = Json.write(horizon);
        }
        return horizon;
    }

    /** All stored proposals by key, in key order. */
    @Transactional
    public Map<String, Proposal> storedProposals() {
        Map<String, Proposal> proposals = new LinkedHashMap<>();
        ProposalEntity.<ProposalEntity>listAll(Sort.by("key")).forEach(e -> proposals.put(e.key, e.toProposal()));
        return proposals;
    }

    /**
     * Takes the catalog's write lock for the rest of this transaction: first this process's permit (waiting without a
     * connection, as the connection is taken at the transaction's first statement), then the row lock that serialises
     * writers across replicas. Both are let go when the transaction ends, committed or rolled back.
     */
    private void lockCatalog() {
        if (transactions.getResource(HOLDS_LOCAL_WRITER) == null) {
            localWriter.acquireUninterruptibly();
            try {
                transactions.putResource(HOLDS_LOCAL_WRITER, Boolean.TRUE);
                transactions.registerInterposedSynchronization(new Synchronization() {
                    @Override
                    public void beforeCompletion() {
                    }

                    @Override
                    public void afterCompletion(int status) {
                        localWriter.release();
                    }
                });
            } catch (RuntimeException e) {
                localWriter.release();
                throw e;
            }
        }
        ProposalEntity.getEntityManager().createNativeQuery("UPDATE catalog_lock SET version = version + 1 WHERE id = 1").executeUpdate();
    }

    private void checkCatalogRoom(int adding) {
        long stored = ProposalEntity.count();
        if (stored + adding > limits.limits().proposalsPerCatalog()) {
            throw LimitExceededException.tooLarge("proposals-per-catalog", "proposals", "the catalog holds " + stored + " proposals; adding "
                    + adding + " would pass the most it may hold, " + limits.limits().proposalsPerCatalog());
        }
    }

    /**
     * The written proposals against the pools, the horizon and the stored proposals they name: their fields across
     * entries (types, pins, unknown or self dependencies, cycles among them), with each stored dependency standing in
     * without its own dependencies (those were checked when it was stored). Errors name the index in the request.
     */
    private void validateTouched(List<Proposal> written) {
        Set<String> writtenKeys = new HashSet<>();
        written.forEach(p -> writtenKeys.add(p.key()));
        Set<String> named = new HashSet<>();
        written.forEach(p -> p.prerequisites().stream().filter(d -> !writtenKeys.contains(d)).forEach(named::add));
        List<Proposal> checked = new ArrayList<>(written);
        for (ProposalEntity stored : storedEntities(named)) {
            Proposal p = stored.toProposal();
            checked.add(new Proposal(p.key(), p.title(), p.team(), p.owner(), p.value(), p.successProbability(), p.gpuType(), p.gpus(),
                    p.hours(), List.of(), p.exclusiveGroup(), p.earliestStart(), p.deadline(), p.required(), null));
        }
        PortfolioReader.validate("request body", storedHorizon().orElse(null), pools(), checked);
    }

    /**
     * A replaced proposal may close a cycle through stored proposals: follows its dependencies through the stored
     * ones (only the chains reachable from it, a level per query) and refuses the write if they lead back to it.
     */
    private void refuseCycleThroughStored(Proposal proposal) {
        Map<String, String> reachedFrom = new HashMap<>();
        Deque<String> level = new ArrayDeque<>();
        for (String dependency : proposal.prerequisites()) {
            if (reachedFrom.putIfAbsent(dependency, proposal.key()) == null) {
                level.add(dependency);
            }
        }
        while (!level.isEmpty()) {
            List<String> keys = new ArrayList<>(level);
            level.clear();
            for (ProposalEntity stored : storedEntities(keys)) {
                for (String dependency : stored.toProposal().prerequisites()) {
                    if (dependency.equals(proposal.key())) {
                        List<String> cycle = new ArrayList<>();
                        cycle.add(proposal.key());
                        for (String at = stored.key; !at.equals(proposal.key()); at = reachedFrom.get(at)) {
                            cycle.add(1, at);
                        }
                        cycle.add(proposal.key());
                        throw InvalidInputException.of("request body", "proposals[0] (key \"" + proposal.key() + "\")", "dependsOn",
                                "forms a cycle: " + String.join(" -> ", cycle));
                    }
                    if (reachedFrom.putIfAbsent(dependency, stored.key) == null) {
                        level.add(dependency);
                    }
                }
            }
        }
    }

    /** Stored proposals whose dependsOn names {@code key}: the documents that mention it, read to be sure. */
    private static List<String> dependentsOf(String key) {
        String pattern = "%\"" + key.replace("!", "!!").replace("_", "!_").replace("%", "!%") + "\"%";
        List<ProposalEntity> mentioning = ProposalEntity.list("key <> ?1 and document like ?2 escape '!'", Sort.by("key"), key, pattern);
        return mentioning.stream().filter(e -> e.toProposal().prerequisites().contains(key)).map(e -> e.key).toList();
    }

    private static List<String> storedKeys(Set<String> keys) {
        return storedEntities(keys).stream().map(e -> e.key).sorted().toList();
    }

    private static List<ProposalEntity> storedEntities(java.util.Collection<String> keys) {
        List<String> all = new ArrayList<>(keys);
        List<ProposalEntity> found = new ArrayList<>();
        for (int i = 0; i < all.size(); i += IN_CHUNK) {
            found.addAll(ProposalEntity.list("key in ?1", all.subList(i, Math.min(all.size(), i + IN_CHUNK))));
        }
        return found;
    }

    private static void validateAll(Horizon horizon, List<Pool> pools, Map<String, Proposal> proposals) {
        PortfolioReader.validate("stored portfolio", horizon, pools, new ArrayList<>(proposals.values()));
    }
}
