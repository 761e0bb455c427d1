package dev.gpuplan.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The portfolios plans and frontiers were solved from, which the page reads to draw them. */
@QuarkusTest
class SnapshotResourceTest {

    @Test
    @SuppressWarnings("unchecked")
    void aPlansPortfolioIsTheOneItWasSubmittedWith() {
        Map<String, Object> submitted = Api.yamlAsJson(Api.smallExampleYaml());
        String id = Api.postPlan(Api.map("budgetGpuHours", 321, "timeLimitSeconds", 1, "portfolio", submitted));
        Map<String, Object> snapshot = given().get("/api/plans/{id}/portfolio", id).then().statusCode(200).extract().as(Map.class);

        List<Map<String, Object>> pools = (List<Map<String, Object>>) snapshot.get("pools");
        assertThat(pools).extracting(p -> p.get("name"))
                .containsExactlyElementsOf(((List<Map<String, Object>>) submitted.get("pools")).stream().map(p -> p.get("name")).toList());
        List<Map<String, Object>> proposals = (List<Map<String, Object>>) snapshot.get("proposals");
        assertThat(proposals).extracting(p -> p.get("key"))
                .containsExactlyElementsOf(((List<Map<String, Object>>) submitted.get("proposals")).stream().map(p -> p.get("key")).toList());
        assertThat(((Map<String, Object>) snapshot.get("budget")).get("gpuHours")).isEqualTo(321);
        assertThat(((Map<String, Object>) snapshot.get("horizon")).get("start")).isNotNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFrontiersPortfolioIsTheOneItWasSubmittedWith() {
        Map<String, Object> submitted = Api.yamlAsJson(Api.smallExampleYaml());
        String id = given().contentType(ContentType.JSON).body(Api.map("budgets", List.of(150, 300), "timeLimitSeconds", 1, "portfolio", submitted))
                .post("/api/frontiers").then().statusCode(202).extract().path("id");
        Map<String, Object> snapshot = given().get("/api/frontiers/{id}/portfolio", id).then().statusCode(200).extract().as(Map.class);
        assertThat((List<Object>) snapshot.get("proposals")).hasSameSizeAs((List<Object>) submitted.get("proposals"));
    }

    @Test
    void theyNeedCredentials() {
        given().noFiltersOfType(dev.gpuplan.access.TestTokens.DefaultToken.class).get("/api/plans/{id}/portfolio", "any").then().statusCode(401);
        given().noFiltersOfType(dev.gpuplan.access.TestTokens.DefaultToken.class).get("/api/frontiers/{id}/portfolio", "any").then().statusCode(401);
    }

    @Test
    void unknownIdsAre404() {
        Api.assertProblem(given().get("/api/plans/{id}/portfolio", "no-such-plan"), 404, null);
        Api.assertProblem(given().get("/api/frontiers/{id}/portfolio", "no-such-frontier"), 404, null);
    }
}
