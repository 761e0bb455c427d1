package dev.gpuplan.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Proposals with every prerequisite before its dependents: the one ordering used to validate a portfolio
 * (a cycle has none), to build the solver's runs and to send proposals to the service. Depth-first in list
 * order, prerequisites in {@code dependsOn} order (a pilot last), without recursion so that long chains cannot overflow the
 * stack. A {@code dependsOn} key not among the proposals is skipped (the reader reports it separately).
 */
public final class DependencyOrder {

    /**
     * @param ordered the proposals, prerequisites first (empty when there is a cycle)
     * @param cycle   the first cycle found, as keys {@code a, b, a}; empty when there is none
     */
    public record Result(List<Proposal> ordered, List<String> cycle) {
        public boolean hasCycle() {
            return !cycle.isEmpty();
        }
    }

    private DependencyOrder() {
    }

    /** The proposals prerequisites first; throws if they form a cycle (validated input never does). */
    public static List<Proposal> of(List<Proposal> proposals) {
        Result result = find(proposals);
        if (result.hasCycle()) {
            throw new IllegalArgumentException("dependencies form a cycle: " + String.join(" -> ", result.cycle()));
        }
        return result.ordered();
    }

    public static Result find(List<Proposal> proposals) {
        Map<String, Integer> indexByKey = new HashMap<>();
        for (int i = 0; i < proposals.size(); i++) {
            indexByKey.putIfAbsent(proposals.get(i).key(), i);
        }
        int[] state = new int[proposals.size()]; // 0 new, 1 on the path, 2 done
        List<Proposal> ordered = new ArrayList<>(proposals.size());
        for (int start = 0; start < proposals.size(); start++) {
            if (state[start] != 0) {
                continue;
            }
            List<Integer> path = new ArrayList<>();
            List<Integer> nextChild = new ArrayList<>();
            path.add(start);
            nextChild.add(0);
            state[start] = 1;
            while (!path.isEmpty()) {
                int top = path.get(path.size() - 1);
                int child = nextChild.get(nextChild.size() - 1);
                List<String> dependsOn = proposals.get(top).prerequisites();
                if (child == dependsOn.size()) {
                    state[top] = 2;
                    ordered.add(proposals.get(top));
                    path.remove(path.size() - 1);
                    nextChild.remove(nextChild.size() - 1);
                    continue;
                }
                nextChild.set(nextChild.size() - 1, child + 1);
                Integer next = indexByKey.get(dependsOn.get(child));
                if (next == null) {
                    continue;
                }
                if (state[next] == 1) {
                    List<String> cycle = new ArrayList<>();
                    for (int k = path.indexOf(next); k < path.size(); k++) {
                        cycle.add(proposals.get(path.get(k)).key());
                    }
                    cycle.add(proposals.get(next).key());
                    return new Result(List.of(), List.copyOf(cycle));
                }
                if (state[next] == 0) {
                    state[next] = 1;
                    path.add(next);
                    nextChild.add(0);
                }
            }
        }
        return new Result(List.copyOf(ordered), List.of());
    }
}
