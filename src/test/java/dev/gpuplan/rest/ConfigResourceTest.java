package dev.gpuplan.rest;

import static dev.gpuplan.rest.Api.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** {@code /api/configs}: the planning configs (README "Editing planning-configs"), as in force. */
@QuarkusTest
class ConfigResourceTest {

    @Test
    void listNamesTheConfigsAndTheirDirectory() {
        given().when().get("/api/configs").then().statusCode(200)
                .body("names", hasItems("default", "deadline-crunch"))
                .body("directory", not(emptyOrNullString()));
    }

    @Test
    void defaultConfigShowsItsTextAndParsedValues() {
        given().when().get("/api/configs/default").then().statusCode(200)
                .body("name", equalTo("default"))
                .body("text", containsString("earlier-results"))
                .body("algorithm", equalTo("late-acceptance"))
                .body("timeLimit", equalTo("PT30S"))
                .body("unimprovedTimeLimit", equalTo("PT10S"))
                .body("weights.earlier-results", equalTo(1))
                .body("weights.deadline-margin", equalTo(0))
                .body("reservePercent", equalTo(5));
    }

    @Test
    void deadlineCrunchConfigHasNoReserveAndAMargin() {
        given().when().get("/api/configs/deadline-crunch").then().statusCode(200)
                .body("name", equalTo("deadline-crunch"))
                .body("timeLimit", equalTo("PT15S"))
                .body("weights.deadline-margin", equalTo(1000))
                .body("reservePercent", equalTo(0))
                .body("deadlineMarginHours", equalTo(24));
    }

    @Test
    void overrunAwareConfigShowsItsConfidenceAndGatedSpend() {
        given().when().get("/api/configs/overrun-aware").then().statusCode(200)
                .body("confidence", equalTo(0.9f))
                .body("gatedSpend", equalTo("expected"));
        given().when().get("/api/configs/default").then().statusCode(200)
                .body("confidence", equalTo(null))
                .body("gatedSpend", equalTo("full"));
    }

    @Test
    void unknownConfigIs404NamingTheAvailableOnes() {
        assertProblem(given().when().get("/api/configs/no-such-config"), 404, null)
                .body("detail", containsString("no-such-config"))
                .body("detail", containsString("default"));
        assertProblem(given().when().get("/api/configs/Default"), 404, null);
        assertProblem(given().when().get("/api/configs/..%2Fpom"), 404, null);
    }
}
