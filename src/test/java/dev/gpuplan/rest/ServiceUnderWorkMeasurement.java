package dev.gpuplan.rest;

import static dev.gpuplan.rest.Api.map;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import dev.gpuplan.domain.Plan;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Not part of the default suite: what the service costs under the heaviest requests it accepts, and whether it keeps
 * answering its readiness probe while it works. Run with
 * {@code ./mvnw -B test -Dtest=ServiceUnderWorkMeasurement -Dgpuplan.measure=true -Dpg.skip=true}; it prints the
 * figures and checks only that every request was answered with a status the contract allows.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "gpuplan.measure", matches = "true")
class ServiceUnderWorkMeasurement {

    private static final Path REALISTIC = Path.of("planning-configs/examples/realistic.yaml");
    private static final Path LARGE = Path.of("planning-configs/examples/large.yaml");

    /** Readiness while 2 plans, 1 frontier and 4 explains run at once. */
    @Test
    void readinessWhileSolving() throws Exception {
        Map<String, Object> realistic = portfolio(REALISTIC);
        String explained = Api.postPlan(map("budgetGpuHours", 8000, "timeLimitSeconds", 5, "portfolio", realistic));
        Plan solved = Api.awaitSolved(explained);
        List<String> unselected = solved.unselected().stream().map(Plan.Unselected::proposal).limit(4).toList();
        assertThat(unselected).hasSize(4);

        List<String> plans = List.of(
                Api.postPlan(map("budgetGpuHours", 8000, "timeLimitSeconds", 30, "portfolio", realistic)),
                Api.postPlan(map("budgetGpuHours", 10000, "timeLimitSeconds", 30, "portfolio", realistic)));
        String frontier = given().contentType(ContentType.JSON)
                .body(map("budgets", List.of(4000, 6000, 8000, 10000), "timeLimitSeconds", 5, "portfolio", realistic))
                .when().post("/api/frontiers").then().statusCode(202).extract().path("id");

        ExecutorService explains = Executors.newFixedThreadPool(4);
        Map<Integer, Integer> explainStatuses = new ConcurrentHashMap<>();
        List<Future<?>> running = new ArrayList<>();
        for (String key : unselected) {
            running.add(explains.submit(() -> {
                int status = given().queryParam("resolveLimitSeconds", 5)
                        .when().get("/api/plans/{id}/explain/{proposal}", explained, key).statusCode();
                explainStatuses.merge(status, 1, Integer::sum);
            }));
        }

        List<Double> ready = Collections.synchronizedList(new ArrayList<>());
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < until) {
            ready.add(millis(() -> given().when().get("/q/health/ready").then().statusCode(200)));
            Thread.sleep(100);
        }
        for (Future<?> f : running) {
            f.get(2, TimeUnit.MINUTES);
        }
        explains.shutdown();
        for (String id : plans) {
            Api.awaitFinished(id, Plan.Status.SOLVED);
        }
        given().when().delete("/api/frontiers/{id}", frontier);

        System.out.printf("readiness while 2 plans, 1 frontier (4 points) and 4 explains ran (realistic example, %d probes "
                + "over 30 s): p50 %.1f ms, p95 %.1f ms, max %.1f ms; explain answers by status: %s%n",
                ready.size(), quantile(ready, 0.50), quantile(ready, 0.95), quantile(ready, 1.0), explainStatuses);
        assertThat(explainStatuses.keySet()).allMatch(s -> s == 200 || s == 503);
    }

    /** The heaviest single requests the limits allow: how long each takes and what it allocates. */
    @Test
    void heaviestSingleRequests() throws Exception {
        Map<String, Object> large = portfolio(LARGE);
        List<String> rows = new ArrayList<>();

        String planId = measure(rows, "POST /api/plans, large example (2,000 proposals) inline", () -> given()
                .contentType(ContentType.JSON).body(map("budgetGpuHours", 60000, "timeLimitSeconds", 20, "portfolio", large))
                .when().post("/api/plans")).then().statusCode(202).extract().path("id");
        Plan plan = Api.awaitSolved(planId);
        String unselected = plan.unselected().get(0).proposal();

        measure(rows, "GET /api/plans/{id}, large plan", () -> given().when().get("/api/plans/{id}", planId))
                .then().statusCode(200);
        measure(rows, "GET explain of an unselected proposal, large plan, resolve limit 10 s", () -> given()
                .queryParam("resolveLimitSeconds", 10).when().get("/api/plans/{id}/explain/{proposal}", planId, unselected))
                .then().statusCode(200);
        measure(rows, "GET /api/plans/{id}/portfolio, large plan", () -> given().when().get("/api/plans/{id}/portfolio", planId))
                .then().statusCode(200);
        // The most a frontier may ask: 50 points (frontier-points) x 72 s = 3,600 s (frontier-seconds).
        String frontier = measure(rows, "POST /api/frontiers, 50 points x 72 s (the limits), large example", () -> given()
                .contentType(ContentType.JSON).body(map("budgets", "1000:50000:1000", "timeLimitSeconds", 72, "portfolio", large))
                .when().post("/api/frontiers")).then().statusCode(202).extract().path("id");
        measure(rows, "POST /api/frontiers, budgets 1:2:1e-40 (refused before any point)", () -> given()
                .contentType(ContentType.JSON).body(map("budgets", "1:2:1e-40", "timeLimitSeconds", 1, "portfolio", large))
                .when().post("/api/frontiers")).then().statusCode(400);

        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            batch.add(Api.proposal(String.format("heavy-%05d", i), "heavy-" + (i % 20), 1 + i % 8, 1 + i % 12, 1 + i % 100));
        }
        measure(rows, "POST /api/proposals, a batch of 10,000 (the batch limit)", () -> given().contentType(ContentType.JSON)
                .body(batch).when().post("/api/proposals")).then().statusCode(201);
        measure(rows, "GET /api/proposals?limit=1000 (the largest page)", () -> given().queryParam("limit", 1000)
                .when().get("/api/proposals")).then().statusCode(200);
        byte[] huge = new byte[17 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) ' ');
        measure(rows, "POST /api/proposals, a 17 MiB body (over the body limit)", () -> given().contentType(ContentType.JSON)
                .body(huge).when().post("/api/proposals")).then().statusCode(413);

        given().when().delete("/api/frontiers/{id}", frontier).then().statusCode(200);
        System.out.println("heaviest single requests (time; bytes allocated by all threads while it ran; heap used after):");
        rows.forEach(System.out::println);
    }

    private static Response measure(List<String> rows, String what, Supplier<Response> request) {
        System.gc();
        long allocated = allocatedBytes();
        long start = System.nanoTime();
        Response response = request.get();
        double ms = (System.nanoTime() - start) / 1e6;
        long bytes = allocatedBytes() - allocated;
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        String row = String.format("  %-85s %6d  %8.0f ms  %7.1f MiB allocated  %6.0f MiB heap", what, response.statusCode(), ms,
                bytes / 1048576.0, used / 1048576.0);
        rows.add(row);
        System.out.println("measured:" + row); // as it goes: a later failure keeps what was measured
        return response;
    }

    private static long allocatedBytes() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long b : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            sum += Math.max(0, b);
        }
        return sum;
    }

    private static Map<String, Object> portfolio(Path file) throws Exception {
        return Api.yamlAsJson(Files.readString(file));
    }

    private static double millis(Runnable request) {
        long start = System.nanoTime();
        request.run();
        return (System.nanoTime() - start) / 1e6;
    }

    private static double quantile(List<Double> values, double q) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
    }
}
