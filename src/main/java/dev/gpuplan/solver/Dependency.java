package dev.gpuplan.solver;

/** The run {@code dependentId} may only be selected if {@code prerequisiteId} is, and ends before it starts. */
public record Dependency(int dependentId, int prerequisiteId) {
}
