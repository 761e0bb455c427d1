package dev.gpuplan.rest;

import static dev.gpuplan.rest.Api.map;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A large, valid portfolio for the REST tests that need a solve to run long (stop, queueing), as a JSON-ready map.
 * Fixed seed: the same call gives the same portfolio every run. Proposals depend only on earlier ones (no cycles),
 * fit at least one pool, and the budget is about a third of what all of them cost, so selection matters.
 */
final class PortfolioGenerator {

    private static final String[] TEAMS = {"pretrain", "optim", "evals", "scaling", "data"};
    private static final int[] GPUS = {1, 2, 4, 8};

    private PortfolioGenerator() {
    }

    static Map<String, Object> portfolio(String keyPrefix, int proposalCount, long seed) {
        Random random = new Random(seed);
        List<Map<String, Object>> pools = List.of(
                Api.pool("gen-a100-1", "a100", 8), Api.pool("gen-a100-2", "a100", 8), Api.pool("gen-a100-3", "a100", 8),
                Api.pool("gen-h100-1", "h100", 8), Api.pool("gen-h100-2", "h100", 8), Api.pool("gen-h100-3", "h100", 8));
        List<Map<String, Object>> proposals = new ArrayList<>();
        long totalGpuHours = 0;
        for (int i = 0; i < proposalCount; i++) {
            String key = keyPrefix + "-" + i;
            int gpus = GPUS[random.nextInt(GPUS.length)];
            int hours = 1 + random.nextInt(24);
            totalGpuHours += (long) gpus * hours;
            Map<String, Object> proposal = Api.proposal(key, TEAMS[random.nextInt(TEAMS.length)], gpus, hours, 1 + random.nextInt(100));
            if (random.nextInt(4) == 0) {
                proposal.put("successProbability", (1 + random.nextInt(10)) / 10.0);
            }
            if (random.nextInt(3) == 0) {
                proposal.put("gpuType", random.nextBoolean() ? "a100" : "h100");
            }
            if (i > 0 && random.nextInt(6) == 0) {
                proposal.put("dependsOn", List.of(keyPrefix + "-" + random.nextInt(i)));
            }
            if (random.nextInt(8) == 0) {
                proposal.put("exclusiveGroup", "group-" + random.nextInt(proposalCount / 8 + 1));
            }
            proposals.add(proposal);
        }
        return map(
                "horizon", map("start", Api.HORIZON_START, "days", 14, "slotMinutes", 60),
                "budget", map("gpuHours", Math.max(1, totalGpuHours / 3)),
                "pools", pools,
                "proposals", proposals);
    }
}
