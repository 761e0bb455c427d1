package dev.gpuplan.solver;

/**
 * The run {@code dependentId} may only be selected if {@code prerequisiteId} is, and ends before it starts.
 * {@code pilot}: the prerequisite is the dependent's pilot (the rule is the same; the sentence says which).
 */
public record Dependency(int dependentId, int prerequisiteId, boolean pilot) {

    public Dependency(int dependentId, int prerequisiteId) {
        this(dependentId, prerequisiteId, false);
    }
}
