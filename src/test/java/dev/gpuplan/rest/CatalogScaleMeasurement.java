package dev.gpuplan.rest;

import static dev.gpuplan.rest.Api.proposal;
import static dev.gpuplan.rest.Api.with;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Not part of the default suite (it stores 100,000 proposals): the latency of single catalog writes with a large
 * catalog stored. Run with {@code -Dtest=CatalogScaleMeasurement -Dgpuplan.measure=true -Dpg.skip=true}; it prints
 * the figures and checks only that every write was answered as expected.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "gpuplan.measure", matches = "true")
class CatalogScaleMeasurement {

    private static final int STORED = Integer.getInteger("gpuplan.measure.proposals", 100_000);
    private static final int BATCH = 10_000;

    @Test
    void singleWritesWithALargeCatalogStored() {
        Api.ensureCluster();
        // One below the catalog's limit, so each timed POST brings it to the limit and the DELETE after it frees the slot.
        int filled = STORED - 1;
        long fill = System.nanoTime();
        for (int start = 0; start < filled; start += BATCH) {
            List<Map<String, Object>> batch = new ArrayList<>();
            for (int i = start; i < Math.min(filled, start + BATCH); i++) {
                Map<String, Object> p = proposal(String.format("scale-%06d", i), "scale-" + (i % 20), 1 + i % 8, 1 + i % 12, 1 + i % 100);
                if (i % 10 != 0) {
                    p = with(p, "dependsOn", List.of(String.format("scale-%06d", i - i % 10)));
                }
                batch.add(p);
            }
            given().contentType(ContentType.JSON).body(batch).when().post("/api/proposals").then().statusCode(201);
        }
        System.out.printf("stored %d proposals in %.1f s%n", filled, (System.nanoTime() - fill) / 1e9);

        List<Double> post = new ArrayList<>();
        List<Double> put = new ArrayList<>();
        List<Double> delete = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String key = "scale-new-" + i;
            post.add(time(() -> given().contentType(ContentType.JSON)
                    .body(with(proposal(key, "scale-new", 2, 3, 10), "dependsOn", List.of("scale-000010")))
                    .when().post("/api/proposals").then().statusCode(201)));
            put.add(time(() -> given().contentType(ContentType.JSON)
                    .body(with(proposal("scale-000011", "scale-1", 2, 3, 10), "dependsOn", List.of("scale-000010", key)))
                    .when().put("/api/proposals/{key}", "scale-000011").then().statusCode(200)));
            put.add(time(() -> given().contentType(ContentType.JSON)
                    .body(with(proposal("scale-000011", "scale-1", 2, 3, 10), "dependsOn", List.of("scale-000010")))
                    .when().put("/api/proposals/{key}", "scale-000011").then().statusCode(200)));
            delete.add(time(() -> given().when().delete("/api/proposals/{key}", key).then().statusCode(204)));
        }
        long listStart = System.nanoTime();
        given().queryParam("limit", 1000).when().get("/api/proposals").then().statusCode(200);
        double list = (System.nanoTime() - listStart) / 1e6;
        System.out.printf("with %d stored: POST %s ms, PUT %s ms, DELETE %s ms (median / max of %d); GET a page of 1000: %.0f ms%n",
                STORED, summary(post), summary(put), summary(delete), post.size(), list);
        assertThat(post).hasSize(20);
    }

    private static double time(Runnable request) {
        long start = System.nanoTime();
        request.run();
        return (System.nanoTime() - start) / 1e6;
    }

    private static String summary(List<Double> millis) {
        List<Double> sorted = millis.stream().sorted().toList();
        return String.format("%.0f / %.0f", sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
    }
}
