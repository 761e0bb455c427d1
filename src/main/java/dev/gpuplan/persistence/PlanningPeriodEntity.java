package dev.gpuplan.persistence;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** The one planning period: its budget (total and per team, as JSON), its window, and the plan last committed. */
@Entity
@Table(name = "planning_period")
public class PlanningPeriodEntity extends PanacheEntityBase {

    public static final int ID = 1;

    @Id
    public int id = ID;
    @Column(name = "budget_gpu_hours")
    public BigDecimal budgetGpuHours;
    @Column(name = "per_team")
    public String perTeam;
    @Column(name = "period_start")
    public Instant start;
    @Column(name = "period_end")
    public Instant end;
    @Column(name = "committed_plan_id")
    public String committedPlanId;
    @Version
    public long version;
}
