package dev.gpuplan.rest;

import static dev.gpuplan.rest.Api.assertProblem;
import static dev.gpuplan.rest.Api.map;
import static dev.gpuplan.rest.Api.pool;
import static dev.gpuplan.rest.Api.postProposals;
import static dev.gpuplan.rest.Api.proposal;
import static dev.gpuplan.rest.Api.with;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** {@code /api/pools} and {@code /api/horizon}: the cluster that plans without a portfolio of their own are solved on. */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterResourceTest {

    /** Other test classes rely on the standard cluster; whatever a test here changes is put back. */
    @AfterEach
    void restoreStandardCluster() {
        Api.ensureCluster();
    }

    /**
     * There is no DELETE of the horizon, so "not set" can only be seen before any test sets one: this runs first in
     * this class, and Quarkus orders test classes by name, so before the other REST test classes. When some other
     * test has set the horizon already, the check is skipped rather than failed.
     */
    @Test
    @Order(1)
    void horizonIs404BeforeItIsSet() {
        Response response = given().when().get("/api/horizon");
        Assumptions.assumeTrue(response.statusCode() == 404, "another test has already set the horizon");

        assertProblem(response, 404, null).body("detail", containsString("PUT /api/horizon"));
    }

    @Test
    void putHorizonThenGetIt() {
        Map<String, Object> horizon = map("start", "2026-11-30T00:00:00Z", "hours", 36, "slotMinutes", 30);

        given().contentType(ContentType.JSON).body(horizon).when().put("/api/horizon")
                .then().statusCode(200).body("start", equalTo("2026-11-30T00:00:00Z"));

        given().when().get("/api/horizon").then().statusCode(200)
                .body("start", equalTo("2026-11-30T00:00:00Z"))
                .body("hours", equalTo(36))
                .body("slotMinutes", equalTo(30));
    }

    @Test
    void putHorizonInDaysWithTheDefaultSlot() {
        given().contentType(ContentType.JSON).body(map("start", "2026-12-01T00:00:00Z", "days", 2)).when().put("/api/horizon")
                .then().statusCode(200);

        given().when().get("/api/horizon").then().statusCode(200)
                .body("hours", equalTo(48))
                .body("slotMinutes", equalTo(60));
    }

    @Test
    void putHorizonAsYaml() {
        given().contentType(Api.YAML).body(Api.yamlBody("start: 2026-12-01T00:00:00Z\nhours: 12\nslotMinutes: 15\n")).when().put("/api/horizon")
                .then().statusCode(200);

        given().when().get("/api/horizon").then().statusCode(200).body("hours", equalTo(12)).body("slotMinutes", equalTo(15));
    }

    @Test
    void badHorizonIs400AndKeepsTheStoredOne() {
        Api.ensureCluster();

        assertProblem(given().contentType(ContentType.JSON).body(map("start", "2026-12-01T00:00:00Z", "days", 0))
                .when().put("/api/horizon"), 400, "days");
        assertProblem(given().contentType(ContentType.JSON).body(map("start", "2026-12-01T00:00:00Z"))
                .when().put("/api/horizon"), 400, "days");
        assertProblem(given().contentType(ContentType.JSON).body(map("start", "2026-12-01T00:00:00Z", "days", 1, "hours", 24))
                .when().put("/api/horizon"), 400, "days");
        assertProblem(given().contentType(ContentType.JSON).body(map("start", "first of december", "days", 1))
                .when().put("/api/horizon"), 400, "start");
        assertProblem(given().contentType(ContentType.JSON).body(map("days", 1))
                .when().put("/api/horizon"), 400, "start");
        assertProblem(given().contentType(ContentType.JSON).body(map("start", "2026-12-01T00:00:00Z", "days", 1, "slotMinutes", 0))
                .when().put("/api/horizon"), 400, "slotMinutes");
        assertProblem(given().contentType(ContentType.JSON).body(map("start", "2026-12-01T00:00:00Z", "days", 1, "weeks", 1))
                .when().put("/api/horizon"), 400, "weeks");

        given().when().get("/api/horizon").then().statusCode(200)
                .body("start", equalTo(Api.HORIZON_START))
                .body("hours", equalTo(72));
    }

    @Test
    void putPoolsReplacesAllPoolsInOrder() {
        List<Map<String, Object>> pools = List.of(
                pool("h100-west", "h100", 8),
                map("name", "a100-east", "gpuType", "a100", "gpus", 8,
                        "unavailable", List.of(map("from", "2026-12-02T00:00:00Z", "to", "2026-12-03T00:00:00Z"))),
                pool("h100-north", "h100", 16));

        given().contentType(ContentType.JSON).body(pools).when().put("/api/pools")
                .then().statusCode(200).body("name", contains("h100-west", "a100-east", "h100-north"));

        given().when().get("/api/pools").then().statusCode(200)
                .body("name", contains("h100-west", "a100-east", "h100-north"))
                .body("gpus", contains(8, 8, 16))
                .body("[1].unavailable[0].from", equalTo("2026-12-02T00:00:00Z"))
                .body("[1].unavailable[0].to", equalTo("2026-12-03T00:00:00Z"));

        Api.ensurePools();
        given().when().get("/api/pools").then().statusCode(200).body("name", contains("a100-east", "h100-west"));
    }

    @Test
    void badPoolsAre400AndKeepTheStoredOnes() {
        Api.ensurePools();

        assertProblem(given().contentType(ContentType.JSON).body(map("name", "lonely", "gpuType", "a100", "gpus", 8))
                .when().put("/api/pools"), 400, "pools");
        assertProblem(given().contentType(ContentType.JSON).body(List.of(pool("a100-east", "a100", 0), pool("h100-west", "h100", 8)))
                .when().put("/api/pools"), 400, "gpus");
        assertProblem(given().contentType(ContentType.JSON).body(List.of(map("name", "a100-east", "gpus", 8), pool("h100-west", "h100", 8)))
                .when().put("/api/pools"), 400, "gpuType");
        assertProblem(given().contentType(ContentType.JSON).body(List.of(pool("a100-east", "a100", 8), pool("a100-east", "h100", 8)))
                .when().put("/api/pools"), 400, "name");
        assertProblem(given().contentType(ContentType.JSON).body(List.of(with(pool("a100-east", "a100", 8), "gpus", "many"), pool("h100-west", "h100", 8)))
                .when().put("/api/pools"), 400, "gpus");
        assertProblem(given().contentType(ContentType.JSON).body(List.of(
                        with(pool("a100-east", "a100", 8), "unavailable", List.of(map("from", "2026-12-02T00:00:00Z", "to", "2026-12-01T00:00:00Z"))),
                        pool("h100-west", "h100", 8)))
                .when().put("/api/pools"), 400, "to");
        assertProblem(given().contentType(ContentType.JSON).body(List.of(with(pool("a100-east", "a100", 8), "region", "eu"), pool("h100-west", "h100", 8)))
                .when().put("/api/pools"), 400, "region");

        given().when().get("/api/pools").then().statusCode(200).body("name", contains("a100-east", "h100-west")).body("gpus", contains(8, 8));
    }

    /** A stored proposal of type h100 needs a pool of that type: pools without one are refused, not half-applied. */
    @Test
    void poolsThatLeaveAStoredProposalWithoutItsGpuTypeAre400() {
        Api.ensurePools();
        postProposals(with(proposal("pools-h100-user", "pools-h100", 8, 2, 10), "gpuType", "h100"));
        try {
            Response response = given().contentType(ContentType.JSON).body(List.of(pool("a100-only", "a100", 8)))
                    .when().put("/api/pools");

            assertProblem(response, 400, "gpuType").body("detail", containsString("h100"));
            List<String> names = given().when().get("/api/pools").then().statusCode(200).extract().jsonPath().getList("name");
            assertThat(names).containsExactly("a100-east", "h100-west");
        } finally {
            given().when().delete("/api/proposals/pools-h100-user").then().statusCode(204);
        }
    }

    /** A proposal pinned to a pool keeps that pool from being removed, and the horizon from moving away from its start. */
    @Test
    void pinnedProposalGuardsItsPoolAndHorizon() {
        Api.ensureCluster();
        postProposals(with(proposal("pools-pinned", "pools-pinned", 4, 2, 10),
                "pinned", map("pool", "a100-east", "start", "2026-12-01T04:00:00Z")));
        try {
            assertProblem(given().contentType(ContentType.JSON).body(List.of(pool("h100-west", "h100", 8), pool("a100-other", "a100", 8)))
                    .when().put("/api/pools"), 400, "pinned.pool");
            assertProblem(given().contentType(ContentType.JSON).body(map("start", "2026-12-05T00:00:00Z", "days", 1))
                    .when().put("/api/horizon"), 400, "pinned.start");

            given().when().get("/api/pools").then().statusCode(200).body("name", contains("a100-east", "h100-west"));
            given().when().get("/api/horizon").then().statusCode(200).body("start", equalTo(Api.HORIZON_START));
        } finally {
            given().when().delete("/api/proposals/pools-pinned").then().statusCode(204);
        }
    }
}
