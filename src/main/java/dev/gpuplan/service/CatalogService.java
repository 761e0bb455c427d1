package dev.gpuplan.service;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
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
 * The stored proposals, pools and horizon. Every write validates the whole stored set as it would be after
 * the write (references, cycles, pool types) and is all-or-nothing, checks the caller may make it (a researcher
 * changes their own teams' proposals only), and records itself in the audit trail in the same transaction; a write
 * that changes nothing (the same pools again) records nothing.
 */
@ApplicationScoped
public class CatalogService {

    /** A proposal with its status from the newest solved plan that considered it. */
    public record ProposalView(Proposal proposal, String status) {
    }

    private final Caller caller;
    private final AuditLog audit;

    public CatalogService(Caller caller, AuditLog audit) {
        this.caller = caller;
        this.audit = audit;
    }

    @Transactional
    public List<Proposal> create(List<Proposal> proposals) {
        proposals.forEach(p -> caller.requireTeam(p.team(), "add proposals"));
        Set<String> seen = new HashSet<>();
        for (Proposal proposal : proposals) {
            if (!seen.add(proposal.key())) {
                throw new InvalidInputException("request body", List.of(new dev.gpuplan.input.InputError(0,
                        "proposals (key \"" + proposal.key() + "\")", "key", "is given twice in the batch")));
            }
            if (ProposalEntity.findById(proposal.key()) != null) {
                throw new ConflictException("key", "proposal \"" + proposal.key() + "\" already exists; use PUT /api/proposals/"
                        + proposal.key() + " to replace it");
            }
        }
        Map<String, Proposal> after = storedProposals();
        proposals.forEach(p -> after.put(p.key(), p));
        validate(storedHorizon().orElse(null), pools(), after);
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
        ProposalEntity entity = ProposalEntity.findById(key);
        if (entity != null) {
            caller.requireTeam(entity.team, "change proposals");
        }
        caller.requireTeam(proposal.team(), entity == null ? "add proposals" : "move proposals to the team");
        Map<String, Proposal> after = storedProposals();
        after.put(key, proposal);
        validate(storedHorizon().orElse(null), pools(), after);
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
        ProposalEntity entity = ProposalEntity.findById(key);
        if (entity == null) {
            throw new NotFoundException("proposal \"" + key + "\" does not exist");
        }
        caller.requireTeam(entity.team, "delete proposals");
        List<String> dependents = storedProposals().values().stream().filter(p -> p.dependsOn().contains(key)).map(Proposal::key).toList();
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

    /** Stored proposals, optionally of one team and one status (selected, unselected, unplanned). */
    @Transactional
    public List<ProposalView> proposals(String team, String status) {
        List<ProposalEntity> entities = team == null ? ProposalEntity.listAll(Sort.by("key")) : ProposalEntity.list("team", Sort.by("key"), team);
        Map<String, String> statuses = latestStatuses();
        List<ProposalView> views = new ArrayList<>();
        for (ProposalEntity entity : entities) {
            String proposalStatus = statuses.getOrDefault(entity.key, "unplanned");
            if (status == null || status.equalsIgnoreCase(proposalStatus)) {
                views.add(new ProposalView(entity.toProposal(), proposalStatus));
            }
        }
        return views;
    }

    private Map<String, String> latestStatuses() {
        Optional<PlanEntity> latest = PlanEntity.find("status = ?1 order by createdAt desc", Plan.Status.SOLVED).firstResultOptional();
        Map<String, String> statuses = new LinkedHashMap<>();
        latest.ifPresent(plan -> {
            plan.assignments.forEach(a -> statuses.put(a.proposal, "selected"));
            plan.unselected.forEach(u -> statuses.put(u.proposal, "unselected"));
        });
        return statuses;
    }

    @Transactional
    public List<Pool> pools() {
        return PoolEntity.<PoolEntity>listAll(Sort.by("position")).stream().map(PoolEntity::toPool).toList();
    }

    @Transactional
    public List<Pool> replacePools(List<Pool> pools) {
        validate(storedHorizon().orElse(null), pools, storedProposals());
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
        validate(horizon, pools(), storedProposals());
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

    private static void validate(Horizon horizon, List<Pool> pools, Map<String, Proposal> proposals) {
        PortfolioReader.validate("stored portfolio", horizon, pools, new ArrayList<>(proposals.values()));
    }
}
