package dev.gpuplan.cli;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;

import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.config.PlanningConfigs;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.input.InvalidInputException;
import dev.gpuplan.input.PortfolioReader;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The inputs of every local solve: the portfolio file, an optional budget, the planning config and a time limit. */
final class PortfolioInput {

    @Parameters(index = "0", paramLabel = "FILE", description = "Portfolio file (YAML or JSON): horizon, budget, pools, proposals.")
    Path file;

    @Option(names = "--budget", paramLabel = "GPU_HOURS", converter = BudgetText.class,
            description = "GPU-hour budget (2000, 2000h or 2000-gpu-hours); replaces budget.gpuHours of the file.")
    BigDecimal budget;

    @Option(names = "--config", paramLabel = "NAME", defaultValue = PlanningConfigs.DEFAULT_NAME,
            description = "Planning config: planning-configs/NAME.yaml (default: ${DEFAULT-VALUE}).")
    String config;

    @Option(names = "--config-dir", paramLabel = "DIR",
            description = "Directory of planning configs (default: $GPUPLAN_CONFIG_DIR, else ./planning-configs, else the packaged defaults).")
    String configDir;

    @Option(names = "--time-limit", paramLabel = "DURATION", converter = TimeLimitText.class,
            description = "Solver time limit such as 30s, 2m (default: the config's solver.timeLimit).")
    Duration timeLimit;

    /** The validated portfolio, with {@code --budget} applied; a budget is required from the file or the option. */
    Portfolio portfolio() {
        Portfolio portfolio = PortfolioReader.read(file);
        if (budget != null) {
            return portfolio.withBudgetGpuHours(budget);
        }
        if (portfolio.budget() == null) {
            throw InvalidInputException.of(file.toString(), "budget", "gpuHours", "is required: give it in the file or pass --budget");
        }
        return portfolio;
    }

    PlanningConfig planningConfig() {
        return PlanningConfigs.locate(configDir).load(config);
    }
}
