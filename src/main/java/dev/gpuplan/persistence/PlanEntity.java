package dev.gpuplan.persistence;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.PlanProgress;
import dev.gpuplan.domain.ReasonCode;
import dev.gpuplan.domain.Portfolio;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A stored plan: its summary in columns, assignments and reasons in child tables, and the snapshot of the
 * portfolio it was solved from, so later edits of proposals never change it. Optimistic locking guards the
 * rows that the solving thread and a stop request both write.
 */
@Entity
@Table(name = "plan")
public class PlanEntity extends PanacheEntityBase {

    @Id
    public String id;
    @Enumerated(EnumType.STRING)
    public Plan.Status status;
    @Column(name = "budget_gpu_hours")
    public BigDecimal budgetGpuHours;
    @Column(name = "usable_gpu_hours")
    public BigDecimal usableGpuHours;
    @Column(name = "config_name")
    public String configName;
    @Column(name = "config_dir")
    public String configDir;
    @Column(name = "time_limit_ms")
    public Long timeLimitMillis;
    public String score;
    public boolean feasible;
    @Column(name = "expected_value")
    public BigDecimal expectedValue;
    @Column(name = "total_value")
    public BigDecimal totalValue;
    @Column(name = "gpu_hours")
    public BigDecimal gpuHours;
    @Column(name = "selected_count")
    public int selectedCount;
    @Column(name = "candidate_count")
    public int candidateCount;
    public String violations;
    public String failure;
    public String snapshot;
    /** The reserve statement ({@link dev.gpuplan.domain.Reserve}) as JSON, set when the plan is created and restated once solved. */
    public String reserve;
    /** For a replan: what it was planned from ({@link dev.gpuplan.domain.Replan}) as JSON. */
    public String replan;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    @Column(name = "heartbeat_at")
    public Instant heartbeatAt;
    /** Who submitted the plan (may stop it, as may a lead); null for plans older than access control. */
    @Column(name = "submitted_by")
    public String submittedBy;
    @Version
    public long version;

    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(name = "plan_assignment", joinColumns = @JoinColumn(name = "plan_id"))
    @OrderColumn(name = "position")
    public List<AssignmentRow> assignments = new ArrayList<>();

    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(name = "plan_unselected", joinColumns = @JoinColumn(name = "plan_id"))
    @OrderColumn(name = "position")
    public List<UnselectedRow> unselected = new ArrayList<>();

    public static List<PlanEntity> listNewestFirst() {
        return list("order by createdAt desc");
    }

    public Portfolio snapshotPortfolio() {
        return Documents.read(snapshot, Portfolio.class);
    }

    /** Writes a (best so far or final) plan's results into this row. */
    public void record(Plan plan) {
        usableGpuHours = plan.usableGpuHours();
        if (plan.reserve() != null) { // the solved plan's own reserve replaces the one stated at creation
            reserve = Documents.write(plan.reserve());
        }
        score = plan.score();
        feasible = plan.feasible();
        expectedValue = plan.totals().expectedValue();
        totalValue = plan.totals().value();
        gpuHours = plan.totals().gpuHours();
        selectedCount = plan.totals().selected();
        candidateCount = plan.totals().candidates();
        violations = Documents.write(plan.violations());
        assignments.clear();
        plan.assignments().forEach(a -> assignments.add(new AssignmentRow(a)));
        unselected.clear();
        plan.unselected().forEach(u -> unselected.add(new UnselectedRow(u)));
    }

    /** The summary columns only: the runs (child tables) are not loaded. */
    public PlanProgress toProgress() {
        return new PlanProgress(id, status, score, feasible,
                new Plan.Totals(plain(expectedValue), plain(totalValue), plain(gpuHours), selectedCount, candidateCount),
                violationList());
    }

    public Plan toPlan() {
        List<String> violationList = violationList();
        return new Plan(id, status, plain(budgetGpuHours), plain(usableGpuHours), configName, configDir, score, feasible,
                new Plan.Totals(plain(expectedValue), plain(totalValue), plain(gpuHours), selectedCount, candidateCount),
                assignments.stream().map(AssignmentRow::toAssignment).toList(),
                unselected.stream().map(UnselectedRow::toUnselected).toList(),
                violationList,
                reserve == null ? null : Documents.read(reserve, dev.gpuplan.domain.Reserve.class),
                replan == null ? null : Documents.read(replan, dev.gpuplan.domain.Replan.class));
    }

    private List<String> violationList() {
        List<String> list = violations == null ? List.of() : Arrays.asList(Documents.read(violations, String[].class));
        if (failure != null) {
            list = new ArrayList<>(list);
            list.add("solve failed: " + failure);
        }
        return list;
    }

    /** Decimals as the input wrote them, not with the column's scale (100, not 100.000). */
    public static BigDecimal plain(BigDecimal stored) {
        return stored == null ? null : stored.stripTrailingZeros();
    }

    @Embeddable
    public static class AssignmentRow {
        @Column(name = "proposal_key")
        public String proposal;
        public String pool;
        @Column(name = "start_at")
        public Instant start;
        @Column(name = "end_at")
        public Instant end;
        public int gpus;
        @Column(name = "gpu_hours")
        public BigDecimal gpuHours;
        @Column(name = "expected_value")
        public BigDecimal expectedValue;

        protected AssignmentRow() {
        }

        AssignmentRow(Plan.Assignment a) {
            proposal = a.proposal();
            pool = a.pool();
            start = a.start();
            end = a.end();
            gpus = a.gpus();
            gpuHours = a.gpuHours();
            expectedValue = a.expectedValue();
        }

        Plan.Assignment toAssignment() {
            return new Plan.Assignment(proposal, pool, start, end, gpus, plain(gpuHours), plain(expectedValue));
        }
    }

    @Embeddable
    public static class UnselectedRow {
        @Column(name = "proposal_key")
        public String proposal;
        public String code;
        @Column(name = "reason")
        public String message;
        public String details;

        protected UnselectedRow() {
        }

        UnselectedRow(Plan.Unselected u) {
            proposal = u.proposal();
            code = u.code().name();
            message = u.message();
            details = Documents.write(u.details());
        }

        Plan.Unselected toUnselected() {
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> detailMap = details == null ? java.util.Map.of() : Documents.read(details, java.util.Map.class);
            return new Plan.Unselected(proposal, ReasonCode.valueOf(code), message, detailMap);
        }
    }
}
