package dev.gpuplan.rest;

import static dev.gpuplan.rest.Api.map;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The operational endpoints of the README's endpoint table: health with a database check, the OpenAPI document, metrics. */
@QuarkusTest
class HealthAndMetricsTest {

    private static final Pattern SOLVES_STARTED = Pattern.compile("(?m)^gpuplan_solves_started_total(?:\\{[^}]*})? (\\S+)$");

    @Test
    void healthIsUpWithADatabaseAndASolverCheck() {
        given().when().get("/q/health").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Database")))
                .body("checks.find { it.name.contains('Database') }.status", equalTo("UP"))
                .body("checks.find { it.name == 'solver' }.status", equalTo("UP"));
        given().when().get("/q/health/ready").then().statusCode(200).body("checks.name", hasItem(containsString("Database")));
        given().when().get("/q/health/live").then().statusCode(200).body("checks.name", hasItem("solver"));
    }

    @Test
    void openApiDescribesTheApi() {
        given().when().get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/plans"))
                .body(containsString("/api/proposals/{key}"));
        given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .body("paths", hasKey("/api/plans"))
                .body("paths", hasKey("/api/pools"))
                .body("paths", hasKey("/api/horizon"))
                .body("paths", hasKey("/api/configs/{name}"));
        given().when().get("/q/swagger-ui").then().statusCode(200);
    }

    @Test
    void metricsCountStartedSolves() {
        double before = solvesStarted();
        String id = Api.postPlan(map("budgetGpuHours", 10, "timeLimitSeconds", 1, "portfolio", map(
                "horizon", Api.standardHorizon(),
                "pools", List.of(Api.pool("metrics-pool", "a100", 8)),
                "proposals", List.of(Api.proposal("metrics-a", "metrics", 2, 2, 3)))));
        Api.awaitSolved(id);

        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();

        assertThat(metrics).contains("gpuplan_solves_started_total", "gpuplan_solves_finished_total");
        assertThat(solvesStarted()).isGreaterThanOrEqualTo(before + 1);
    }

    /** The started-solves counter, 0 before the first solve registers it. */
    private static double solvesStarted() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher matcher = SOLVES_STARTED.matcher(metrics);
        double total = 0;
        while (matcher.find()) {
            total += Double.parseDouble(matcher.group(1));
        }
        return total;
    }
}
