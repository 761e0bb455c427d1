package dev.gpuplan.solver;

/** A team's GPU-hour cap, in thousandths of a GPU-hour. */
public record TeamCap(String team, long gpuMilliHours) {
}
