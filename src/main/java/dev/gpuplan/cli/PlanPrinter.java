package dev.gpuplan.cli;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;


import dev.gpuplan.domain.Plan;
import dev.gpuplan.input.Json;

/** Prints a plan as a table for people, JSON for programs (the REST plan shape) or CSV for spreadsheets. */
public final class PlanPrinter {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'").withZone(ZoneOffset.UTC);
    private final PrintStream out;

    public PlanPrinter(PrintStream out) {
        this.out = out;
    }

    public void json(Plan plan) {
        out.println(Json.writePretty(plan));
    }

    public void csv(Plan plan) {
        out.println("proposal,pool,start,end,gpus,gpuHours");
        for (Plan.Assignment a : plan.assignments()) {
            out.println(String.join(",", a.proposal(), a.pool(), a.start().toString(), a.end().toString(),
                    Integer.toString(a.gpus()), a.gpuHours().toPlainString()));
        }
    }

    public void table(Plan plan) {
        Plan.Totals totals = plan.totals();
        out.printf("Plan (%s): %s, config %s from %s%n", plan.status(), plan.feasible() ? "feasible" : "INFEASIBLE",
                plan.config(), plan.configDir());
        out.printf("GPU-hours:      %s used of %s usable (budget %s)%n", number(totals.gpuHours()), number(plan.usableGpuHours()),
                number(plan.budgetGpuHours()));
        out.printf("Expected value: %s from %d of %d proposals (value if all succeed: %s)%n", number(totals.expectedValue()),
                totals.selected(), totals.candidates(), number(totals.value()));
        if (plan.reserve() != null) {
            out.printf("Reserve:        %s%n", plan.reserve().statement());
        }
        out.printf("Score:          %s%n", plan.score());
        if (plan.replan() != null) {
            replan(plan.replan());
        }
        for (String violation : plan.violations()) {
            out.println("VIOLATION: " + violation);
        }
        out.println();
        int keyWidth = Math.max(8, plan.assignments().stream().mapToInt(a -> a.proposal().length()).max().orElse(0));
        int poolWidth = Math.max(4, plan.assignments().stream().mapToInt(a -> a.pool().length()).max().orElse(0));
        String row = "%-" + poolWidth + "s  %-17s  %-17s  %-" + keyWidth + "s  %4s  %9s%n";
        out.printf(row, "POOL", "START", "END", "PROPOSAL", "GPUS", "GPU-HOURS");
        for (Plan.Assignment a : plan.assignments()) {
            out.printf(row, a.pool(), when(a.start()), when(a.end()), a.proposal(), a.gpus(), number(a.gpuHours()));
        }
        if (!plan.unselected().isEmpty()) {
            out.println();
            out.printf("Not selected (%d):%n", plan.unselected().size());
            int width = Math.max(8, plan.unselected().stream().mapToInt(u -> u.proposal().length()).max().orElse(0));
            String reasonRow = "%-" + width + "s  %-23s  %s%n";
            out.printf(reasonRow, "PROPOSAL", "CODE", "REASON");
            for (Plan.Unselected u : plan.unselected()) {
                out.printf(reasonRow, u.proposal(), u.code(), u.message());
            }
        }
    }

    private void replan(dev.gpuplan.domain.Replan replan) {
        out.printf("Replan from %s: period budget %s, spent %s, running runs' remainder %s (%d pinned)%n", when(replan.asOf()),
                number(replan.periodBudgetGpuHours()), number(replan.spentGpuHours()), number(replan.runningRemainderGpuHours()),
                replan.pinned().size());
        for (dev.gpuplan.domain.Replan.Dropped dropped : replan.dropped()) {
            out.printf("  not proposed again: %s: %s%n", dropped.proposal(), dropped.reason());
        }
        dev.gpuplan.domain.PlanDiff changes = replan.changes();
        if (changes != null) {
            out.printf("Against committed plan %s: %d added, %d removed, %d moved%n", replan.committedPlanId(), changes.added().size(),
                    changes.removed().size(), changes.moved().size());
            changes.added().forEach(a -> out.printf("  + %s  %s %s%n", a.proposal(), a.pool(), when(a.start())));
            changes.removed().forEach(a -> out.printf("  - %s  (was %s %s)%n", a.proposal(), a.pool(), when(a.start())));
            changes.moved().forEach(m -> out.printf("  ~ %s  %s %s -> %s %s%n", m.proposal(), m.fromPool(), when(m.fromStart()), m.toPool(),
                    when(m.toStart())));
        }
    }

    private static String when(Instant instant) {
        return WHEN.format(instant);
    }

    private static String number(BigDecimal amount) {
        return amount == null ? "-" : amount.stripTrailingZeros().toPlainString();
    }
}
