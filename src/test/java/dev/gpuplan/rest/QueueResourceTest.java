package dev.gpuplan.rest;

import static dev.gpuplan.rest.Api.map;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Idempotency-Key on creating POSTs, frontier cancellation, and the queue's state at {@code GET /api/queue}. */
@QuarkusTest
class QueueResourceTest {

    private static Map<String, Object> small() {
        return Api.yamlAsJson(Api.smallExampleYaml());
    }

    private static Response post(String path, String key, Object body) {
        var request = given().contentType(ContentType.JSON).body(body);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.when().post(path);
    }

    @Test
    void aRetriedPlanWithTheSameKeyAndBodyGetsTheFirstPlan() {
        Map<String, Object> body = map("budgetGpuHours", 300, "timeLimitSeconds", 1, "portfolio", small());
        String key = UUID.randomUUID().toString();
        int before = Api.planCount();
        Response first = post("/api/plans", key, body);
        first.then().statusCode(202);
        Response retry = post("/api/plans", key, body);
        retry.then().statusCode(202).body("id", equalTo(first.jsonPath().getString("id")));
        assertThat(retry.header("Location")).isEqualTo(first.header("Location"));
        assertThat(Api.planCount()).as("plans stored").isEqualTo(before + 1);

        // The same key with another body is refused and stores nothing.
        Api.assertProblem(post("/api/plans", key, map("budgetGpuHours", 301, "timeLimitSeconds", 1, "portfolio", small())),
                422, "Idempotency-Key");
        assertThat(Api.planCount()).isEqualTo(before + 1);
        // Without a key every POST is a new plan.
        post("/api/plans", null, body).then().statusCode(202);
        assertThat(Api.planCount()).isEqualTo(before + 2);
        Api.awaitSolved(first.jsonPath().getString("id"));
    }

    @Test
    void aRetriedProposalBatchWithTheSameKeyIsStoredOnce() {
        String suffix = Long.toString(System.nanoTime());
        List<Map<String, Object>> batch = List.of(Api.proposal("idem-a-" + suffix, "idem", 1, 2, 10),
                Api.proposal("idem-b-" + suffix, "idem", 2, 2, 20));
        String key = UUID.randomUUID().toString();
        String first = post("/api/proposals", key, batch).then().statusCode(201).extract().asString();
        String retry = post("/api/proposals", key, batch).then().statusCode(201).extract().asString();
        assertThat(retry).isEqualTo(first);
        // Without the key the same batch is a duplicate.
        post("/api/proposals", null, batch).then().statusCode(409);
    }

    @Test
    void aRetriedFrontierWithTheSameKeyGetsTheFirstFrontier() {
        Map<String, Object> body = map("budgets", List.of(150, 300), "timeLimitSeconds", 1, "portfolio", small());
        String key = UUID.randomUUID().toString();
        String id = post("/api/frontiers", key, body).then().statusCode(202).extract().jsonPath().getString("id");
        post("/api/frontiers", key, body).then().statusCode(202).body("id", equalTo(id));
    }

    @Test
    void aCancelledFrontierStopsItsRemainingPointsAndKeepsTheSolvedOnes() {
        Map<String, Object> body = map("budgets", "100:1000:100", "timeLimitSeconds", 2, "portfolio", small());
        String id = post("/api/frontiers", null, body).then().statusCode(202).extract().jsonPath().getString("id");
        Api.await("a first point of frontier " + id, Api.PLAN_TIMEOUT)
                .until(() -> given().get("/api/frontiers/{id}", id).then().statusCode(200).extract().jsonPath().getList("points").size(),
                        points -> points > 0);

        given().when().delete("/api/frontiers/{id}", id).then().statusCode(200).body("status", equalTo("CANCELLED"));
        // Points being solved at the cancel stop at their owner's next renewal and keep what they found; nothing else starts.
        Api.await("the cancelled frontier's points to stop", Api.PLAN_TIMEOUT).until(() -> given().get("/api/queue").then().statusCode(200)
                .extract().jsonPath().getMap("solvingByKind").containsKey("FRONTIER_POINT") == false);
        List<Object> kept = given().get("/api/frontiers/{id}", id).then().statusCode(200).body("status", equalTo("CANCELLED"))
                .extract().jsonPath().getList("points");
        assertThat(kept).as("points kept of 10").isNotEmpty().hasSizeLessThan(10);
        // Cancelling again changes nothing; an unknown frontier is 404.
        given().when().delete("/api/frontiers/{id}", id).then().statusCode(200).body("status", equalTo("CANCELLED"));
        Api.assertProblem(given().when().delete("/api/frontiers/{id}", "no-such-frontier"), 404, null);
    }

    @Test
    void theQueueStateNamesThisReplica() {
        given().when().get("/api/queue").then().statusCode(200)
                .body("replica", notNullValue()).body("queued", notNullValue()).body("solving", notNullValue())
                .body("replicas", notNullValue());
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("gpuplan_queue_queued").contains("gpuplan_queue_solving_here");
    }
}
