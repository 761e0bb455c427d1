package dev.gpuplan.rest;

import static dev.gpuplan.rest.Api.assertProblem;
import static dev.gpuplan.rest.Api.map;
import static dev.gpuplan.rest.Api.postPlan;
import static dev.gpuplan.rest.Api.postProposals;
import static dev.gpuplan.rest.Api.proposal;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gpuplan.domain.Plan;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * {@code POST /api/plans/{id}/commit}, {@code POST /api/runs/{proposal}/events}, {@code GET /api/runs}: runs committed
 * from a solved plan, moved by events, refused events changing nothing, resends accepted once, retries as new attempts.
 * Keys and teams start with {@code run-}; every plan here names its proposals, so other tests' proposals stay out.
 */
@QuarkusTest
class RunResourceTest {

    private static final Instant HOUR_AGO = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));

    /** Stores the proposals, solves a plan of just them, commits it and returns the plan id. */
    static String committedPlan(List<Map<String, Object>> proposals) {
        Api.ensureCluster();
        postProposals(proposals);
        List<String> keys = proposals.stream().map(p -> (String) p.get("key")).toList();
        String id = postPlan(map("budgetGpuHours", 1000, "timeLimitSeconds", 1, "proposals", keys));
        Plan plan = Api.awaitSolved(id);
        assertThat(plan.assignments()).hasSize(keys.size());
        given().when().post("/api/plans/{id}/commit", id).then().statusCode(200)
                .body("planId", equalTo(id));
        return id;
    }

    static Response postEvents(String proposal, Object body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/api/runs/{key}/events", proposal);
    }

    static Map<String, Object> event(String type, Instant at, Object... more) {
        Map<String, Object> event = map("type", type, "at", at.toString());
        event.putAll(map(more));
        return event;
    }

    @Test
    void committingASolvedPlanMakesEveryAssignmentAPlannedRun() {
        String id = committedPlan(List.of(proposal("run-commit-a", "run-commit", 2, 3, 10), proposal("run-commit-b", "run-commit", 1, 2, 5)));

        given().queryParam("team", "run-commit").when().get("/api/runs").then().statusCode(200)
                .body("proposal", equalTo(List.of("run-commit-a", "run-commit-b")))
                .body("status", equalTo(List.of("PLANNED", "PLANNED")))
                .body("attempt", equalTo(List.of(1, 1)))
                .body("planId", equalTo(List.of(id, id)))
                .body("estimatedGpuHours", equalTo(List.of(6, 2)));

        given().when().post("/api/plans/{id}/commit", id).then().statusCode(200)
                .body("created", equalTo(0)).body("unchanged", equalTo(2));
    }

    @Test
    void onlyASolvedPlanCanBeCommitted() {
        Api.ensureCluster();
        postProposals(List.of(proposal("run-unsolved-a", "run-unsolved", 1, 1, 1)));
        String id = postPlan(map("budgetGpuHours", 100, "timeLimitSeconds", 30, "proposals", List.of("run-unsolved-a")));
        given().when().delete("/api/plans/{id}", id).then().statusCode(200);
        Plan stopped = Api.awaitFinished(id, Plan.Status.STOPPED);
        assertThat(stopped.status()).isEqualTo(Plan.Status.STOPPED);

        assertProblem(given().when().post("/api/plans/{id}/commit", id), 409, "status");
        assertProblem(given().when().post("/api/plans/{id}/commit", "no-such-plan"), 404, null);
        given().queryParam("team", "run-unsolved").when().get("/api/runs").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void eventsMoveARunThroughItsLifeAndTheActualUseIsRecorded() {
        committedPlan(List.of(proposal("run-life-a", "run-life", 2, 3, 10)));

        postEvents("run-life-a", event("STARTED", HOUR_AGO.minus(Duration.ofHours(3)), "pool", "h100-west"))
                .then().statusCode(200).body("run.status", equalTo("STARTED")).body("run.pool", equalTo("h100-west"))
                .body("accepted", equalTo(1));
        postEvents("run-life-a", event("FINISHED", HOUR_AGO)).then().statusCode(200)
                .body("run.status", equalTo("FINISHED"))
                .body("run.actualGpuHours", equalTo(6)); // 2 GPUs x 3 hours

        given().queryParam("status", "FINISHED").queryParam("team", "run-life").when().get("/api/runs").then().statusCode(200)
                .body("proposal", equalTo(List.of("run-life-a")));
    }

    @Test
    void aBatchIsAppliedInOrderAllOrNothing() {
        committedPlan(List.of(proposal("run-batch-a", "run-batch", 1, 2, 10)));

        Response refused = postEvents("run-batch-a", List.of(event("STARTED", HOUR_AGO), event("FINISHED", HOUR_AGO.minusSeconds(60))));
        assertProblem(refused, 409, "events[1].at");
        given().when().get("/api/runs/{key}", "run-batch-a").then().body("[0].status", equalTo("PLANNED"));

        postEvents("run-batch-a", List.of(event("STARTED", HOUR_AGO), event("FAILED", HOUR_AGO.plusSeconds(1800), "reason", "nan loss", "gpuHours", 0.4)))
                .then().statusCode(200).body("run.status", equalTo("FAILED")).body("run.actualGpuHours", equalTo(0.4f))
                .body("run.reason", equalTo("nan loss")).body("accepted", equalTo(2));
    }

    @Test
    void refusedEventsAnswerProblemJsonAndChangeNothing() {
        committedPlan(List.of(proposal("run-refuse-a", "run-refuse", 1, 2, 10)));

        assertProblem(postEvents("run-refuse-a", event("FINISHED", HOUR_AGO)), 409, "type");
        assertProblem(postEvents("run-refuse-a", event("STARTED", Instant.now().plus(Duration.ofHours(1)))), 409, "at");
        assertProblem(postEvents("run-refuse-a", map("type", "EXPLODED", "at", HOUR_AGO.toString())), 400, "type");
        assertProblem(postEvents("run-refuse-a", map("type", "FAILED", "at", HOUR_AGO.toString())), 400, "reason");
        assertProblem(postEvents("run-refuse-a", event("STARTED", HOUR_AGO, "pool", "no-such-pool")), 400, "pool");
        assertProblem(postEvents("run-no-such-key", event("STARTED", HOUR_AGO)), 404, null);

        given().when().get("/api/runs/{key}", "run-refuse-a").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].status", equalTo("PLANNED"));
    }

    @Test
    void theSameEventSentTwiceIsAcceptedOnce() {
        committedPlan(List.of(proposal("run-twice-a", "run-twice", 1, 2, 10)));
        Map<String, Object> start = event("STARTED", HOUR_AGO, "eventId", "job-1:start");

        postEvents("run-twice-a", start).then().statusCode(200).body("accepted", equalTo(1)).body("duplicates", equalTo(0));
        postEvents("run-twice-a", start).then().statusCode(200).body("accepted", equalTo(0)).body("duplicates", equalTo(1));
        postEvents("run-twice-a", event("STARTED", HOUR_AGO)).then().statusCode(200).body("duplicates", equalTo(1));
        assertProblem(postEvents("run-twice-a", event("FINISHED", HOUR_AGO.plusSeconds(60), "eventId", "job-1:start")), 409, "eventId");

        given().when().get("/api/runs/{key}", "run-twice-a").then().body("[0].status", equalTo("STARTED"));
    }

    @Test
    void aFailedRunCommittedAgainIsTheSecondAttempt() {
        committedPlan(List.of(proposal("run-retry-a", "run-retry", 1, 2, 10)));
        postEvents("run-retry-a", List.of(event("STARTED", HOUR_AGO), event("FAILED", HOUR_AGO.plusSeconds(600), "reason", "node lost")))
                .then().statusCode(200);

        String second = postPlan(map("budgetGpuHours", 1000, "timeLimitSeconds", 1, "proposals", List.of("run-retry-a")));
        Api.awaitSolved(second);
        given().when().post("/api/plans/{id}/commit", second).then().statusCode(200).body("created", equalTo(1));

        given().when().get("/api/runs/{key}", "run-retry-a").then().statusCode(200)
                .body("attempt", equalTo(List.of(1, 2)))
                .body("status", equalTo(List.of("FAILED", "PLANNED")));
        given().queryParam("team", "run-retry").when().get("/api/runs").then()
                .body("attempt", equalTo(List.of(2))).body("status", not(hasItem("FAILED")));
    }

    @Test
    void anUnknownStatusFilterIsRefused() {
        assertProblem(given().queryParam("status", "DONE").when().get("/api/runs"), 400, "status");
    }
}
