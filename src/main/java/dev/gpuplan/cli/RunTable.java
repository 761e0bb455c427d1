package dev.gpuplan.cli;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import dev.gpuplan.domain.Run;

/** Runs as a table for people. */
final class RunTable {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'").withZone(ZoneOffset.UTC);

    private RunTable() {
    }

    static void print(PrintStream out, List<Run> runs) {
        if (runs.isEmpty()) {
            out.println("No runs.");
            return;
        }
        int keyWidth = Math.max(8, runs.stream().mapToInt(r -> r.proposal().length()).max().orElse(0));
        int teamWidth = Math.max(4, runs.stream().mapToInt(r -> r.team().length()).max().orElse(0));
        int poolWidth = Math.max(4, runs.stream().mapToInt(r -> r.pool() == null ? 1 : r.pool().length()).max().orElse(0));
        String row = "%-" + keyWidth + "s  %-" + teamWidth + "s  %-9s  %7s  %-" + poolWidth + "s  %-17s  %-17s  %-17s  %9s  %9s%n";
        out.printf(row, "PROPOSAL", "TEAM", "STATUS", "ATTEMPT", "POOL", "PLANNED START", "START", "END", "EST GPU-H", "ACTUAL");
        for (Run r : runs) {
            out.printf(row, r.proposal(), r.team(), r.status(), r.attempt(), r.pool(), when(r.plannedStart()), when(r.start()), when(r.end()),
                    number(r.estimatedGpuHours()), number(r.actualGpuHours()));
        }
    }

    static String when(Instant instant) {
        return instant == null ? "-" : WHEN.format(instant);
    }

    static String number(BigDecimal amount) {
        return amount == null ? "-" : amount.stripTrailingZeros().toPlainString();
    }
}
