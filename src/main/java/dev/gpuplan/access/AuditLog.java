package dev.gpuplan.access;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gpuplan.input.Json;
import dev.gpuplan.persistence.AuditEntryEntity;

/**
 * The audit trail: one row per change, written in the transaction of the change itself (a change that rolls back
 * leaves no row, and no row is missing for a change that commits). Code that changes something calls
 * {@link #record} from inside its own transaction; the actor is the current caller.
 */
@ApplicationScoped
public class AuditLog {

    /** {@code GET /api/audit}: one change, with the entity as it was before and after (null when created/deleted). */
    public record Entry(long id, Instant at, String actor, String entityType, String entityId, String action, JsonNode before,
                        JsonNode after) {
    }

    private final Caller caller;

    public AuditLog(Caller caller) {
        this.caller = caller;
    }

    /**
     * Appends one change. Must run inside the transaction that makes the change.
     *
     * @param before the entity before the change (any value Jackson writes), null when it is created
     * @param after  the entity after the change, null when it is deleted
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String entityType, String entityId, String action, Object before, Object after) {
        AuditEntryEntity entry = new AuditEntryEntity();
        entry.at = Instant.now();
        entry.actor = caller.name();
        entry.entityType = entityType;
        entry.entityId = entityId;
        entry.action = action;
        entry.before = before == null ? null : Json.write(before);
        entry.after = after == null ? null : Json.write(after);
        entry.persist();
    }

    /** Changes newest first, filtered by entity type (and id as {@code type/id}), actor and time; at most {@code limit}. */
    @Transactional
    public List<Entry> entries(String entity, String actor, Instant since, int offset, int limit) {
        List<String> where = new ArrayList<>();
        Map<String, Object> parameters = new HashMap<>();
        if (entity != null && !entity.isBlank()) {
            int slash = entity.indexOf('/');
            where.add("entityType = :type");
            parameters.put("type", slash < 0 ? entity : entity.substring(0, slash));
            if (slash >= 0) {
                where.add("entityId = :id");
                parameters.put("id", entity.substring(slash + 1));
            }
        }
        if (actor != null && !actor.isBlank()) {
            where.add("actor = :actor");
            parameters.put("actor", actor);
        }
        if (since != null) {
            where.add("at >= :since");
            parameters.put("since", since);
        }
        String query = (where.isEmpty() ? "" : String.join(" and ", where) + " ") + "order by at desc, id desc";
        return AuditEntryEntity.<AuditEntryEntity>find(query, parameters).range(offset, offset + limit - 1).list().stream()
                .map(e -> new Entry(e.id, e.at, e.actor, e.entityType, e.entityId, e.action, tree(e.before), tree(e.after)))
                .toList();
    }

    private static JsonNode tree(String json) {
        return json == null ? null : Json.read(json, JsonNode.class);
    }
}
