package dev.gpuplan.cluster;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.input.PortfolioReader;

/** A small portfolio with hostile text in titles and commands, and a hand-made SOLVED plan of it. */
final class ExportFixtures {

    /** A title that tries to end the quoting, start a directive line and run commands. */
    static final String HOSTILE_TITLE = "it's \"quoted\" $(touch pwned-title) `touch pwned-tick` \\ #SBATCH --partition=evil '; touch pwned-quote; '";
    /** A command whose own lines look like directives; as a command it is the user's to run, but it must stay one command. */
    static final String HOSTILE_COMMAND = "printf '%s\\n' \"$GPUPLAN_TITLE\" > title.out\n#SBATCH --partition=evil\necho \"it's $GPUPLAN_PROPOSAL\" > command.out";

    static final String PORTFOLIO = """
            horizon: {start: 2026-12-01T00:00:00Z, days: 2, slotMinutes: 60}
            budget: {gpuHours: 1000}
            pools:
              - {name: a100-east, gpuType: a100, gpus: 8}
              - {name: h100-west, gpuType: h100, gpus: 8}
            proposals:
              - key: base
                title: %s
                team: pretrain
                value: 10
                gpus: 4
                hours: 2.5
                command: %s
              - key: ablation.v2
                team: pretrain
                value: 5
                gpus: 2
                hours: 1
                dependsOn: [base]
              - key: eval_1
                team: evals
                value: 3
                gpus: 1
                hours: 30
                dependsOn: [base, ablation.v2]
                command: "exit 0"
            """.formatted(yamlString(HOSTILE_TITLE), yamlString(HOSTILE_COMMAND));

    private ExportFixtures() {
    }

    static String yamlString(String text) {
        StringBuilder s = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                default -> s.append(c);
            }
        }
        return s.append('"').toString();
    }

    static Portfolio portfolio() {
        return PortfolioReader.read("fixture.yaml", PORTFOLIO);
    }

    /** base on a100-east at 00:00, ablation.v2 on h100-west at 03:00, eval_1 on a100-east at 04:00 (listed out of order). */
    static Plan plan(String id, Plan.Status status, boolean feasible) {
        List<Plan.Assignment> assignments = new ArrayList<>();
        assignments.add(assignment("eval_1", "a100-east", "2026-12-01T04:00:00Z", 30, 1));
        assignments.add(assignment("ablation.v2", "h100-west", "2026-12-01T03:00:00Z", 1, 2));
        assignments.add(assignment("base", "a100-east", "2026-12-01T00:00:00Z", 3, 4));
        return new Plan(id, status, new BigDecimal("1000"), new BigDecimal("950"), "default", "planning-configs", "0hard/18medium/0soft",
                feasible, new Plan.Totals(BigDecimal.TEN, BigDecimal.TEN, new BigDecimal("42"), 3, 3), assignments, List.of(),
                feasible ? List.of() : List.of("budget: 42 over"));
    }

    static Plan.Assignment assignment(String key, String pool, String start, int slots, int gpus) {
        Instant from = Instant.parse(start);
        return new Plan.Assignment(key, pool, from, from.plusSeconds(3600L * slots), gpus, BigDecimal.valueOf((long) gpus * slots),
                BigDecimal.ONE);
    }

    static Proposal proposal(String key) {
        return portfolio().proposals().stream().filter(p -> p.key().equals(key)).findFirst().orElseThrow();
    }
}
