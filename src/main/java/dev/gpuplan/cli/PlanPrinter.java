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
        out.printf("Score:          %s%n", plan.score());
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
                out.printf(reasonRow, u.proposal(), u.code(), u.reason());
            }
        }
    }

    private static String when(Instant instant) {
        return WHEN.format(instant);
    }

    private static String number(BigDecimal amount) {
        return amount == null ? "-" : amount.stripTrailingZeros().toPlainString();
    }
}
