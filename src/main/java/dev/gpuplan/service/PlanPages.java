package dev.gpuplan.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.TypedQuery;

import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.PlanSummary;
import dev.gpuplan.input.InvalidInputException;
import dev.gpuplan.persistence.PlanEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Plans newest first, a page at a time, read as summary columns only: one query per page, never the plans'
 * assignments or reasons. Ordered by (createdAt, id) descending; the cursor is the last row's pair.
 */
public final class PlanPages {

    private static final String COLUMNS = "select p.id, p.status, p.budgetGpuHours, p.usableGpuHours, p.configName, p.configDir, p.score, "
            + "p.feasible, p.expectedValue, p.totalValue, p.gpuHours, p.selectedCount, p.candidateCount, p.createdAt from PlanEntity p ";
    private static final String ORDER = " order by p.createdAt desc, p.id desc";

    private PlanPages() {
    }

    public static Page<PlanSummary> page(String cursor, int limit) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            TypedQuery<Object[]> query;
            if (cursor == null || cursor.isEmpty()) {
                query = PlanEntity.getEntityManager().createQuery(COLUMNS + ORDER, Object[].class);
            } else {
                String position = Page.decode(cursor);
                int bar = position.indexOf('|');
                Instant createdAt;
                try {
                    createdAt = bar < 0 ? null : Instant.parse(position.substring(0, bar));
                } catch (DateTimeParseException e) {
                    createdAt = null;
                }
                if (createdAt == null) {
                    throw InvalidInputException.of("query", "", "cursor", "is not a cursor this service handed out");
                }
                query = PlanEntity.getEntityManager().createQuery(COLUMNS
                        + "where p.createdAt < ?1 or (p.createdAt = ?1 and p.id < ?2)" + ORDER, Object[].class)
                        .setParameter(1, createdAt).setParameter(2, position.substring(bar + 1));
            }
            List<Object[]> rows = query.setMaxResults(limit + 1).getResultList();
            List<PlanSummary> plans = new ArrayList<>();
            for (int i = 0; i < Math.min(limit, rows.size()); i++) {
                Object[] r = rows.get(i);
                plans.add(new PlanSummary((String) r[0], (Plan.Status) r[1], plain(r[2]), plain(r[3]), (String) r[4], (String) r[5],
                        (String) r[6], (Boolean) r[7],
                        new Plan.Totals(plain(r[8]), plain(r[9]), plain(r[10]), (Integer) r[11], (Integer) r[12]), (Instant) r[13]));
            }
            String next = rows.size() > limit
                    ? Page.encode(plans.get(plans.size() - 1).createdAt() + "|" + plans.get(plans.size() - 1).id()) : null;
            return new Page<>(plans, next);
        });
    }

    private static BigDecimal plain(Object stored) {
        return PlanEntity.plain((BigDecimal) stored);
    }
}
