package dev.gpuplan.rest;

import static dev.gpuplan.rest.Api.map;
import static dev.gpuplan.rest.Api.proposal;
import static dev.gpuplan.rest.Api.with;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.gpuplan.domain.Plan;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Catalog writes raced from several threads: whatever the interleaving, the stored catalog never holds a dependency
 * cycle or a dependency on a missing proposal, and plans over it still solve. Each race starts its writes together
 * behind a latch; rounds repeat it so that many interleavings are tried.
 */
@QuarkusTest
class CatalogConcurrencyTest {

    private static final int THREADS = 6;
    private static final int ROUNDS = 12;

    private ExecutorService threads;

    @BeforeEach
    void start() {
        Api.ensureCluster();
        threads = Executors.newFixedThreadPool(THREADS);
    }

    @AfterEach
    void stop() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    void twoPutsThatWouldCloseACycleNeverBothSucceed() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            String x = "race-cycle-x" + round;
            String y = "race-cycle-y" + round;
            String z = "race-cycle-z" + round;
            Api.postProposals(List.of(proposal(x, "race", 1, 1, 1), proposal(y, "race", 1, 1, 1), proposal(z, "race", 1, 1, 1)));
            keys.addAll(List.of(x, y, z));
            // x -> y, y -> z, z -> x: any two may be stored, never all three
            List<Integer> statuses = race(
                    () -> put(with(proposal(x, "race", 1, 1, 1), "dependsOn", List.of(y))),
                    () -> put(with(proposal(y, "race", 1, 1, 1), "dependsOn", List.of(z))),
                    () -> put(with(proposal(z, "race", 1, 1, 1), "dependsOn", List.of(x))));
            assertThat(statuses).as("round " + round).allMatch(s -> s == 200 || s == 400);
            assertThat(statuses).as("round " + round + ": exactly one refused").filteredOn(s -> s == 400).hasSize(1);
        }
        assertCatalogConsistent();
        assertPlanOverSolves(keys);
    }

    @Test
    void aDeleteRacingAPutThatDependsOnItNeverLeavesADanglingDependency() throws Exception {
        List<String> survivors = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            String base = "race-dangle-base" + round;
            String dependent = "race-dangle-dep" + round;
            Api.postProposals(List.of(proposal(base, "race", 1, 1, 1), proposal(dependent, "race", 1, 1, 1)));
            List<Integer> statuses = race(
                    () -> given().when().delete("/api/proposals/{key}", base).statusCode(),
                    () -> put(with(proposal(dependent, "race", 1, 1, 1), "dependsOn", List.of(base))));
            // either the delete came first (the PUT names an unknown key: 400) or the PUT did (the delete is refused: 409)
            assertThat(statuses).as("round " + round).isIn(List.of(204, 400), List.of(409, 200));
            survivors.add(dependent);
            if (statuses.get(0) == 409) {
                survivors.add(base);
            }
        }
        assertCatalogConsistent();
        assertPlanOverSolves(survivors);
    }

    @Test
    void concurrentBatchesAndEditsKeepEveryInvariant() throws Exception {
        List<Callable<Integer>> writes = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            writes.add(() -> {
                int ok = 0;
                for (int i = 0; i < 5; i++) {
                    String key = "race-mixed-" + thread + "-" + i;
                    String other = "race-mixed-" + ((thread + 1) % THREADS) + "-" + i;
                    ok += given().contentType(ContentType.JSON).body(List.of(proposal(key, "race", 1, 1, 1)))
                            .when().post("/api/proposals").statusCode() == 201 ? 1 : 0;
                    // a dependency on the neighbour thread's key, which may or may not exist yet, or be deleted meanwhile
                    put(with(proposal(key, "race", 1, 1, 1), "dependsOn", List.of(other)));
                    given().when().delete("/api/proposals/{key}", other).statusCode();
                }
                return ok;
            });
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> done = new ArrayList<>();
        for (Callable<Integer> write : writes) {
            done.add(threads.submit(() -> {
                go.await();
                return write.call();
            }));
        }
        go.countDown();
        for (Future<Integer> f : done) {
            f.get(120, TimeUnit.SECONDS);
        }
        assertCatalogConsistent();
        List<String> left = Api.keysOfTeam("race").stream().filter(k -> k.startsWith("race-mixed-")).toList();
        if (!left.isEmpty()) {
            assertPlanOverSolves(left);
        }
    }

    private static int put(Map<String, Object> proposal) {
        return given().contentType(ContentType.JSON).body(proposal).when().put("/api/proposals/{key}", proposal.get("key")).statusCode();
    }

    @SafeVarargs
    private List<Integer> race(Callable<Integer>... writes) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> futures = new ArrayList<>();
        for (Callable<Integer> write : writes) {
            futures.add(threads.submit(() -> {
                go.await();
                return write.call();
            }));
        }
        go.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> future : futures) {
            statuses.add(future.get(60, TimeUnit.SECONDS));
        }
        return statuses;
    }

    /** Every stored proposal (all pages): no dependency names a missing key, and following dependencies never loops. */
    @SuppressWarnings("unchecked")
    private static void assertCatalogConsistent() {
        Map<String, List<String>> dependsOn = new HashMap<>();
        String cursor = null;
        do {
            var request = given().queryParam("limit", 1000);
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            var page = request.when().get("/api/proposals");
            page.then().statusCode(200);
            for (Map<String, Object> view : page.jsonPath().<Map<String, Object>>getList("$")) {
                Map<String, Object> p = (Map<String, Object>) view.get("proposal");
                dependsOn.put((String) p.get("key"), (List<String>) p.get("dependsOn"));
            }
            cursor = page.header("X-Next-Cursor");
        } while (cursor != null);
        dependsOn.forEach((key, deps) -> assertThat(dependsOn.keySet()).as(key + " depends only on stored proposals").containsAll(deps));
        Set<String> done = new HashSet<>();
        for (String key : dependsOn.keySet()) {
            assertNoCycleFrom(key, dependsOn, new HashSet<>(), done);
        }
    }

    private static void assertNoCycleFrom(String key, Map<String, List<String>> dependsOn, Set<String> path, Set<String> done) {
        if (done.contains(key)) {
            return;
        }
        assertThat(path.add(key)).as("dependency cycle through " + path).isTrue();
        for (String dependency : dependsOn.getOrDefault(key, List.of())) {
            assertNoCycleFrom(dependency, dependsOn, path, done);
        }
        path.remove(key);
        done.add(key);
    }

    /** A plan over these stored proposals (and what they depend on) solves. */
    @SuppressWarnings("unchecked")
    private static void assertPlanOverSolves(List<String> keys) {
        Set<String> closure = new HashSet<>();
        List<String> open = new ArrayList<>(keys);
        while (!open.isEmpty()) {
            String key = open.remove(open.size() - 1);
            if (closure.add(key)) {
                Map<String, Object> p = given().when().get("/api/proposals/{key}", key).then().statusCode(200).extract().jsonPath().getMap("$");
                open.addAll((List<String>) p.get("dependsOn"));
            }
        }
        String id = Api.postPlan(map("budgetGpuHours", 1000, "timeLimitSeconds", 1, "proposals", new ArrayList<>(closure)));
        Plan plan = Api.awaitSolved(id);
        assertThat(plan.totals().candidates()).isEqualTo(closure.size());
    }
}
