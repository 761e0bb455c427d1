package dev.gpuplan.cli;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.gpuplan.domain.DependencyOrder;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.PlanProgress;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.input.InvalidInputException;
import dev.gpuplan.input.Json;
import dev.gpuplan.input.PortfolioReader;
import dev.gpuplan.input.YamlFields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Sends proposals to a running gpuplan service and starts a plan with the given budget. "
                + "The file (a portfolio or just proposals, YAML or JSON) is validated here first: on an error nothing is sent. "
                + "Proposals are upserted by key; the plan covers every proposal stored on the service. "
                + "A portfolio file's horizon and pools are sent only when the service has none yet.",
        footer = ExitCodes.HELP)
public final class SubmitCommand implements Callable<Integer> {

    static final String SERVER_ENV = "GPUPLAN_SERVER";

    @Parameters(index = "0", paramLabel = "FILE", description = "Portfolio or proposals file (YAML or JSON).")
    Path file;

    @Option(names = "--budget", paramLabel = "GPU_HOURS", converter = BudgetText.class,
            description = "GPU-hour budget of the plan: 2000, 2000h or 2000-gpu-hours (required unless --replan).")
    BigDecimal budget;

    @Option(names = "--replan", description = "Replan from now: running runs stay pinned, finished and failed ones are not proposed again, "
            + "the budget is the period's (or --budget) less what was spent.")
    boolean replan;

    @Option(names = "--config", paramLabel = "NAME", description = "Planning config on the service (default: the service's default).")
    String config;

    @Option(names = "--time-limit", paramLabel = "DURATION", converter = TimeLimitText.class,
            description = "Solver time limit such as 30s (default: the config's).")
    java.time.Duration timeLimit;

    @Option(names = "--server", paramLabel = "URL",
            description = "The service (default: $" + SERVER_ENV + ", else http://localhost:8080).")
    String server;

    @picocli.CommandLine.Mixin
    TokenOption token;

    @Option(names = "--wait", description = "Show progress while the service solves, then print the plan.")
    boolean await;

    @Option(names = "--json", description = "With --wait: print the plan as JSON; without: print the created plan as JSON.")
    boolean json;

    static String serverOrDefault(String option) {
        if (option != null && !option.isBlank()) {
            return option;
        }
        String env = System.getenv(SERVER_ENV);
        return env != null && !env.isBlank() ? env : "http://localhost:8080";
    }

    @Override
    public Integer call() {
        if (budget == null && !replan) {
            throw InvalidInputException.of("command line", "", "--budget", "is required (unless --replan, which uses the period's budget)");
        }
        Submission submission = read(file);
        List<Proposal> proposals = submission.proposals();
        ServiceClient client = new ServiceClient(serverOrDefault(server), token.resolve());
        PrintStream err = System.err;
        if (submission.portfolio() != null) {
            if (!client.hasHorizon()) {
                client.putHorizon(Json.write(submission.portfolio().horizon()));
                err.println("The service had no horizon: set it from " + file);
            }
            if (!client.hasPools()) {
                client.putPools(Json.write(submission.portfolio().pools()));
                err.println("The service had no pools: set them from " + file);
            }
        }
        for (Proposal proposal : DependencyOrder.of(proposals)) { // prerequisites first: the service checks each dependency on arrival
            client.putProposal(proposal.key(), Json.write(proposal));
        }
        Map<String, Object> request = new LinkedHashMap<>();
        if (budget != null) {
            request.put("budgetGpuHours", budget);
        }
        if (replan) {
            request.put("replan", true);
        }
        if (config != null) {
            request.put("config", config);
        }
        if (submission.portfolio() != null && submission.portfolio().budget() != null
                && !submission.portfolio().budget().perTeam().isEmpty()) {
            request.put("perTeam", submission.portfolio().budget().perTeam());
        }
        if (timeLimit != null) {
            request.put("timeLimitSeconds", Math.max(1, timeLimit.toSeconds()));
        }
        Plan plan = client.createPlan(Json.write(request));
        String url = client.url("/api/plans/" + plan.id()).toString();
        err.printf("Sent %d proposals. Plan %s is %s: %s%n", proposals.size(), plan.id(), plan.status(), url);
        if (!await) {
            if (json) {
                new PlanPrinter(System.out).json(plan);
            } else {
                System.out.println(plan.id());
            }
            return ExitCodes.OK;
        }
        return new PlanWatcher(client, err, json).watch(plan.id());
    }

    /** What a file holds: a whole portfolio (then {@code portfolio} is set) or proposals alone. */
    record Submission(Portfolio portfolio, List<Proposal> proposals) {
    }

    /** A portfolio (with horizon) or proposals alone; validated here so nothing invalid is sent. */
    static Submission read(Path file) {
        String source = file.toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (java.io.IOException e) {
            throw InvalidInputException.of(source, "", "", "cannot be read: " + e.getMessage());
        }
        if (YamlFields.hasField(PortfolioReader.parse(source, text), "horizon")) {
            Portfolio portfolio = PortfolioReader.read(source, text);
            return new Submission(portfolio, portfolio.proposals());
        }
        return new Submission(null, PortfolioReader.readProposals(source, text));
    }

    /**
     * Follows a plan until it is done, showing progress: from the service's event stream, or by polling every second
     * when there is none; Ctrl-C stops waiting, not the plan.
     */
    static final class PlanWatcher {
        private final ServiceClient client;
        private final PrintStream err;
        private final boolean json;
        private final boolean terminal = System.console() != null;

        PlanWatcher(ServiceClient client, PrintStream err, boolean json) {
            this.client = client;
            this.err = err;
            this.json = json;
        }

        int watch(String id) {
            AtomicBoolean finished = new AtomicBoolean();
            Thread hint = new Thread(() -> {
                if (!finished.get()) {
                    err.printf("%nStopped waiting; plan %s keeps solving on the service. See it with: gpuplan plans %s --server %s%n",
                            id, id, client.server());
                }
            });
            Runtime.getRuntime().addShutdownHook(hint);
            long started = System.nanoTime();
            boolean streamed = client.follow(id, progress -> show(progress, started));
            Plan plan = client.plan(id);
            while (!streamed && (plan.status() == Plan.Status.QUEUED || plan.status() == Plan.Status.SOLVING)) {
                show(new PlanProgress(plan.id(), plan.status(), plan.score(), plan.feasible(), plan.totals(), plan.violations()), started);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return ExitCodes.INTERRUPTED;
                }
                plan = client.plan(id);
            }
            finished.set(true);
            if (terminal) {
                err.println();
            }
            PlanPrinter printer = new PlanPrinter(System.out);
            if (json) {
                printer.json(plan);
            } else {
                printer.table(plan);
            }
            if (plan.status() == Plan.Status.FAILED) {
                return ExitCodes.SERVICE_ERROR;
            }
            return plan.feasible() ? ExitCodes.OK : ExitCodes.INFEASIBLE;
        }

        private void show(PlanProgress progress, long started) {
            if (progress.finished()) {
                return;
            }
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            String line = String.format("%-7s %4ds  best: %s", progress.status(), seconds, progress.score() == null ? "-"
                    : "expected value " + progress.totals().expectedValue().toPlainString() + ", "
                    + (progress.feasible() ? "feasible" : "infeasible") + ", " + progress.totals().selected() + " runs");
            err.print(terminal ? "\r" + line + "    " : line + System.lineSeparator());
            err.flush();
        }
    }
}
