package dev.gpuplan.bench;

import java.io.File;

import org.optaplanner.persistence.common.api.domain.solution.SolutionFileIO;

import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.input.PortfolioReader;
import dev.gpuplan.solver.GpuSchedule;
import dev.gpuplan.solver.PlanningProblem;

/**
 * How the OptaPlanner Benchmarker reads its problems: a portfolio file (YAML or JSON, as {@code gpuplan solve}
 * reads it) turned into a planning problem by {@link PlanningProblem}, under the benchmark's problem config.
 * The Benchmarker names each problem after its file, so the report says {@code realistic-200-s1}.
 */
public class PortfolioFileIO implements SolutionFileIO<GpuSchedule> {

    /** The config whose budget reserve, team caps and weights the problems are built with (set by {@link ConfigBenchmark}). */
    static volatile PlanningConfig problemConfig;

    @Override
    public String getInputFileExtension() {
        return "yaml";
    }

    @Override
    public GpuSchedule read(File file) {
        if (problemConfig == null) {
            throw new IllegalStateException("no problem config: run the Benchmarker through ConfigBenchmark");
        }
        return new PlanningProblem(PortfolioReader.read(file.toPath()), problemConfig).schedule();
    }

    @Override
    public void write(GpuSchedule solution, File file) {
        throw new UnsupportedOperationException("solved schedules are not written: writeOutputSolutionEnabled is false");
    }
}
