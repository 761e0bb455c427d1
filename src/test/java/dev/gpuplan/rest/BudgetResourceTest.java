package dev.gpuplan.rest;

import static dev.gpuplan.rest.Api.assertProblem;
import static dev.gpuplan.rest.Api.map;
import static dev.gpuplan.rest.Api.proposal;
import static dev.gpuplan.rest.RunResourceTest.committedPlan;
import static dev.gpuplan.rest.RunResourceTest.event;
import static dev.gpuplan.rest.RunResourceTest.postEvents;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** {@code GET|PUT /api/budget}: the ledger agrees with the runs to the thousandth, in all and per team. */
@QuarkusTest
class BudgetResourceTest {

    @Test
    void theLedgerAgreesWithTheRunsToTheThousandth() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        committedPlan(List.of(
                proposal("ledger-done", "ledger", 2, 3, 10),
                proposal("ledger-failed", "ledger", 1, 2, 10),
                proposal("ledger-running", "ledger", 3, 5, 10),
                proposal("ledger-planned", "ledger", 1, 4, 10),
                proposal("ledger-other", "ledger-other", 1, 1, 10)));
        given().contentType(ContentType.JSON)
                .body(map("gpuHours", 500, "perTeam", map("ledger", 100), "start", now.minus(Duration.ofDays(30)).toString(),
                        "end", now.plus(Duration.ofDays(30)).toString()))
                .when().put("/api/budget").then().statusCode(200).body("budgetGpuHours", equalTo(500));

        Instant runningSince = now.minus(Duration.ofMinutes(100));
        postEvents("ledger-done", List.of(event("STARTED", now.minus(Duration.ofHours(5))), event("FINISHED", now.minus(Duration.ofHours(1)),
                "gpuHours", 7.125))).then().statusCode(200);
        postEvents("ledger-failed", List.of(event("STARTED", now.minus(Duration.ofHours(3))), event("FAILED", now.minus(Duration.ofMinutes(20)),
                "reason", "oom"))).then().statusCode(200); // 1 GPU x 2h40m = 2.667
        postEvents("ledger-running", event("STARTED", runningSince)).then().statusCode(200);
        postEvents("ledger-other", event("CANCELLED", now.minus(Duration.ofMinutes(1)))).then().statusCode(200);

        JsonPath ledger = given().when().get("/api/budget").then().statusCode(200).extract().jsonPath();
        Instant asOf = Instant.parse(ledger.getString("asOf"));
        BigDecimal runningSoFar = BigDecimal.valueOf(3 * Duration.between(runningSince, asOf).toSeconds())
                .divide(BigDecimal.valueOf(3600), 3, RoundingMode.HALF_UP);
        BigDecimal spent = new BigDecimal("7.125").add(new BigDecimal("2.667")).add(runningSoFar);
        BigDecimal committed = new BigDecimal("15").subtract(runningSoFar).add(new BigDecimal("4"));

        assertThat(decimal(ledger, "perTeam.ledger.spentGpuHours")).isEqualByComparingTo(spent);
        assertThat(decimal(ledger, "perTeam.ledger.committedGpuHours")).isEqualByComparingTo(committed);
        assertThat(decimal(ledger, "perTeam.ledger.budgetGpuHours")).isEqualByComparingTo("100");
        assertThat(decimal(ledger, "perTeam.ledger.freeGpuHours")).isEqualByComparingTo(new BigDecimal("100").subtract(spent).subtract(committed));
        assertThat(decimal(ledger, "perTeam.ledger-other.spentGpuHours")).as("cancelled before it started").isEqualByComparingTo("0");
        assertThat(decimal(ledger, "perTeam.ledger-other.committedGpuHours")).isEqualByComparingTo("0");
        assertThat(ledger.getString("perTeam.ledger-other.budgetGpuHours")).as("no cap").isNull();

        BigDecimal teamSpent = BigDecimal.ZERO;
        BigDecimal teamCommitted = BigDecimal.ZERO;
        for (String team : ledger.getMap("perTeam").keySet().stream().map(Object::toString).toList()) {
            teamSpent = teamSpent.add(decimal(ledger, "perTeam.'" + team + "'.spentGpuHours"));
            teamCommitted = teamCommitted.add(decimal(ledger, "perTeam.'" + team + "'.committedGpuHours"));
        }
        assertThat(decimal(ledger, "spentGpuHours")).as("total = sum of teams").isEqualByComparingTo(teamSpent);
        assertThat(decimal(ledger, "committedGpuHours")).isEqualByComparingTo(teamCommitted);
        assertThat(decimal(ledger, "freeGpuHours")).isEqualByComparingTo(
                new BigDecimal("500").subtract(teamSpent).subtract(teamCommitted));
        assertThat(decimal(ledger, "reserveGpuHours")).as("default config: 5% flat").isEqualByComparingTo("25");
    }

    @Test
    void aBadBudgetIsRefused() {
        assertProblem(given().contentType(ContentType.JSON).body(map("gpuHours", 0)).when().put("/api/budget"), 400, "gpuHours");
        assertProblem(given().contentType(ContentType.JSON).body(map("gpuHours", 10, "start", "2026-12-02T00:00:00Z", "end", "2026-12-01T00:00:00Z"))
                .when().put("/api/budget"), 400, "end");
        assertProblem(given().when().get("/api/budget?config=no-such-config"), 400, "config");
    }

    private static BigDecimal decimal(JsonPath json, String path) {
        return new BigDecimal(json.getString(path));
    }
}
