package dev.gpuplan.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.PlanDiff;
import dev.gpuplan.input.InvalidInputException;
import dev.gpuplan.input.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Compares two plans (JSON from 'gpuplan solve --json' or the REST API): runs added, removed and moved, "
                + "and the change in expected value and GPU-hours.", footer = ExitCodes.HELP)
public final class DiffCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PLAN_A.json")
    Path a;

    @Parameters(index = "1", paramLabel = "PLAN_B.json")
    Path b;

    @Option(names = "--json", description = "Print the difference as JSON.")
    boolean json;

    @Override
    public Integer call() {
        PlanDiff diff = PlanDiff.between(read(a), read(b));
        if (json) {
            System.out.println(Json.writePretty(diff));
            return ExitCodes.OK;
        }
        System.out.printf("From %s to %s: expected value %s, GPU-hours %s, runs %+d%n", a, b, signed(diff.expectedValueChange()),
                signed(diff.gpuHoursChange()), diff.selectedChange());
        diff.added().forEach(x -> System.out.printf("  + %-30s %s %s (%s GPU-h, expected value %s)%n", x.proposal(), x.pool(), x.start(),
                x.gpuHours().toPlainString(), x.expectedValue() == null ? "-" : x.expectedValue().toPlainString()));
        diff.removed().forEach(x -> System.out.printf("  - %-30s %s %s (%s GPU-h, expected value %s)%n", x.proposal(), x.pool(), x.start(),
                x.gpuHours().toPlainString(), x.expectedValue() == null ? "-" : x.expectedValue().toPlainString()));
        diff.moved().forEach(m -> System.out.printf("  ~ %-30s %s %s -> %s %s%n", m.proposal(), m.fromPool(), m.fromStart(), m.toPool(), m.toStart()));
        return ExitCodes.OK;
    }

    private static String signed(java.math.BigDecimal amount) {
        return (amount.signum() >= 0 ? "+" : "") + amount.toPlainString();
    }

    private static Plan read(Path file) {
        try {
            return Json.mapper().readValue(Files.readString(file), Plan.class);
        } catch (JsonProcessingException e) {
            throw InvalidInputException.of(file.toString(), "", "", "is not a plan in JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw InvalidInputException.of(file.toString(), "", "", "cannot be read: " + e.getMessage());
        }
    }
}
