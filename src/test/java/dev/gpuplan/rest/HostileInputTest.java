package dev.gpuplan.rest;

import static dev.gpuplan.rest.Api.assertNotStored;
import static dev.gpuplan.rest.Api.map;
import static dev.gpuplan.rest.Api.proposal;
import static dev.gpuplan.rest.Api.with;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gpuplan.domain.Plan;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * What a hostile or careless client can send, by class of defect: values that would overflow the solver's sums or
 * the schema's columns, unsafe characters, requests that ask for unbounded work, oversized bodies, malformed query
 * parameters, and unforeseen failures. Each refusal is checked for its status, its problem+json shape (and the limit
 * it names), that nothing was stored, and that a normal plan still solves afterwards.
 */
@QuarkusTest
class HostileInputTest {

    private static final String TEAM = "hostile";

    @BeforeEach
    void cluster() {
        Api.ensureCluster();
    }

    // ---------------------------------------------------------------- poison values and column limits

    static Stream<Arguments> poisonProposalFields() {
        return Stream.of(
                Arguments.of("value", 1e20),
                Arguments.of("value", new java.math.BigDecimal("1e10000")),
                Arguments.of("value", new java.math.BigDecimal("1e-40")),
                Arguments.of("value", -1),
                Arguments.of("gpus", 2_147_483_648L),
                Arguments.of("gpus", 1_000_000),
                Arguments.of("hours", 1e20),
                Arguments.of("hours", new java.math.BigDecimal("1e-999999999")),
                Arguments.of("successProbability", new java.math.BigDecimal("1e-40")),
                Arguments.of("successProbability", 0),
                Arguments.of("team", "t".repeat(201)),
                Arguments.of("team", "nul\u0000team"),
                Arguments.of("team", "evil\u202Eteam"),
                Arguments.of("team", "iso\u2066late"),
                Arguments.of("owner", "o".repeat(300)),
                Arguments.of("owner", "line\nbreak"),
                Arguments.of("title", "x".repeat(201)),
                Arguments.of("exclusiveGroup", "g".repeat(3000)),
                Arguments.of("gpuType", "h".repeat(65)),
                Arguments.of("key", "bidi\u202Ekey"),
                Arguments.of("dependsOn", List.of("d".repeat(300))));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("poisonProposalFields")
    void poisonValuesAreRefusedOnEveryWritePathAndNothingIsStored(String field, Object value) {
        String key = "hostile-poison-" + Math.abs((field + value).hashCode());
        Map<String, Object> bad = with(proposal(key, TEAM, 1, 1, 1), field, value);
        String expectedField = field.equals("dependsOn") ? "dependsOn[0]" : field;

        Api.assertProblem(given().contentType(ContentType.JSON).body(bad).when().post("/api/proposals"), 400, expectedField);
        if (!field.equals("key")) {
            Api.assertProblem(given().contentType(ContentType.JSON).body(bad).when().put("/api/proposals/{key}", key), 400, expectedField);
        }
        // In a batch, the error names the entry by its index in the batch
        Response batch = given().contentType(ContentType.JSON).body(List.of(proposal(key + "-ok", TEAM, 1, 1, 1), bad))
                .when().post("/api/proposals");
        Api.assertProblem(batch, 400, expectedField).body("errors[0].entry", startsWith("proposals[1]"));

        assertNotStored(key, key + "-ok");
        assertNormalPlansStillSolve();
    }

    static Stream<Arguments> poisonPlanRequests() {
        return Stream.of(
                Arguments.of(map("budgetGpuHours", 1e20), "budgetGpuHours"),
                Arguments.of(map("budgetGpuHours", new java.math.BigDecimal("1e10000")), "budgetGpuHours"),
                Arguments.of(map("budgetGpuHours", 100, "perTeam", map("vision", 1e20)), "perTeam.vision"),
                Arguments.of(map("budgetGpuHours", 100, "perTeam", map("vision", -1)), "perTeam.vision"),
                Arguments.of(map("budgetGpuHours", 100, "perTeam", map("nul\u0000team", 5)), "perTeam"),
                Arguments.of(map("budgetGpuHours", 100, "config", "c".repeat(500)), "config"),
                Arguments.of(map("budgetGpuHours", 100, "proposals", List.of("k\u202E")), "proposals[0]"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("poisonPlanRequests")
    void poisonPlanRequestsAreRefusedAndNoPlanIsStored(Map<String, Object> body, String field) {
        int before = Api.planCount();

        Api.assertProblem(given().contentType(ContentType.JSON).body(body).when().post("/api/plans"), 400, field);
        Map<String, Object> frontier = new java.util.LinkedHashMap<>(body);
        Object budget = frontier.remove("budgetGpuHours");
        frontier.put("budgets", List.of(budget instanceof Number n && n.doubleValue() < 1e12 ? budget : 100));
        if (!field.equals("budgetGpuHours")) {
            Api.assertProblem(given().contentType(ContentType.JSON).body(frontier).when().post("/api/frontiers"), 400, field);
        }

        assertThat(Api.planCount()).isEqualTo(before);
        assertNormalPlansStillSolve();
    }

    static Stream<Arguments> poisonPools() {
        return Stream.of(
                Arguments.of(Api.pool("p".repeat(300), "a100", 8), "name"),
                Arguments.of(Api.pool("nul\u0000pool", "a100", 8), "name"),
                Arguments.of(Api.pool("big", "a100", 1_000_000_000), "gpus"),
                Arguments.of(Api.pool("typed", "t".repeat(100), 8), "gpuType"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("poisonPools")
    void poisonPoolsAreRefusedAndThePoolsStay(Map<String, Object> pool, String field) {
        List<Map<String, Object>> pools = new ArrayList<>(Api.standardPools());
        pools.add(pool);

        Api.assertProblem(given().contentType(ContentType.JSON).body(pools).when().put("/api/pools"), 400, field);

        assertThat(given().when().get("/api/pools").then().statusCode(200).extract().jsonPath().getList("name", String.class))
                .containsExactly("a100-east", "h100-west");
        assertNormalPlansStillSolve();
    }

    // ---------------------------------------------------------------- bounded work

    static Stream<Arguments> unboundedFrontiers() {
        return Stream.of(
                Arguments.of(map("budgets", "1:2:1e-40"), 400, "budgets", null),
                Arguments.of(map("budgets", "1:2147483649:1"), 400, "budgets", null),
                Arguments.of(map("budgets", "1e-999999999:2:1"), 400, "budgets", null),
                Arguments.of(map("budgets", "1:1e999999999:1"), 400, "budgets", null),
                Arguments.of(map("budgets", "100:6000:100"), 422, "budgets", "gpuplan.limits.frontier-points"),
                Arguments.of(map("budgets", List.of(100, 200), "timeLimitSeconds", 301), 422, "timeLimitSeconds",
                        "gpuplan.limits.frontier-point-seconds"),
                Arguments.of(map("budgets", "100:2000:100", "timeLimitSeconds", 300), 422, "budgets", "gpuplan.limits.frontier-seconds"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unboundedFrontiers")
    void frontiersAskingForUnboundedWorkAreRefusedAtOnce(Map<String, Object> request, int status, String field, String limit) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(request);
        body.put("portfolio", Api.yamlAsJson(Api.smallExampleYaml()));
        long started = System.nanoTime();

        Response response = given().contentType(ContentType.JSON).body(body).when().post("/api/frontiers");

        var checked = Api.assertProblem(response, status, field);
        if (limit != null) {
            checked.body("limit", equalTo(limit)).body("detail", containsString(limit));
        }
        assertThat((System.nanoTime() - started) / 1e9).as("refused before any work (seconds)").isLessThan(30);
        assertNormalPlansStillSolve();
    }

    @Test
    void plansAskingForTooMuchAreRefusedNamingTheLimit() {
        int before = Api.planCount();
        Map<String, Object> portfolio = Api.yamlAsJson(Api.smallExampleYaml());

        Api.assertProblem(given().contentType(ContentType.JSON).body(map("budgetGpuHours", 100, "timeLimitSeconds", 3601, "portfolio", portfolio))
                .when().post("/api/plans"), 422, "timeLimitSeconds").body("limit", equalTo("gpuplan.limits.plan-seconds"));

        // 20,000 slots (1-minute slots for ~2 weeks) x 60 pools: past the slot-pools limit
        Map<String, Object> wide = new java.util.LinkedHashMap<>(portfolio);
        wide.put("horizon", map("start", Api.HORIZON_START, "hours", 333, "slotMinutes", 1));
        List<Map<String, Object>> pools = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            pools.add(Api.pool("wide-" + i, i == 0 ? "h100" : "a100", 8));
        }
        wide.put("pools", pools);
        Api.assertProblem(given().contentType(ContentType.JSON).body(map("budgetGpuHours", 100, "portfolio", wide))
                .when().post("/api/plans"), 422, "horizon").body("limit", equalTo("gpuplan.limits.slot-pools"));

        // more pools than a portfolio may have
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            many.add(Api.pool("many-" + i, i == 0 ? "h100" : "a100", 8));
        }
        Map<String, Object> manyPools = new java.util.LinkedHashMap<>(portfolio);
        manyPools.put("pools", many);
        Api.assertProblem(given().contentType(ContentType.JSON).body(map("budgetGpuHours", 100, "portfolio", manyPools))
                .when().post("/api/plans"), 413, "pools").body("limit", equalTo("gpuplan.limits.pools"));

        assertThat(Api.planCount()).isEqualTo(before);
        assertNormalPlansStillSolve();
    }

    @Test
    void aBodyOverTheLimitIs413ProblemJsonWithOrWithoutALength() {
        byte[] huge = ("[\"" + "x".repeat(17 * 1024 * 1024) + "\"]").getBytes(StandardCharsets.UTF_8);

        Response declared = given().contentType(ContentType.JSON).body(huge).when().post("/api/proposals");
        Api.assertProblem(declared, 413, null).body("limit", equalTo("gpuplan.limits.body-size"));

        // An input stream goes out chunked, without a Content-Length: counted as it is read
        Response chunked = given().contentType(ContentType.JSON).body(new ByteArrayInputStream(huge)).when().post("/api/plans");
        Api.assertProblem(chunked, 413, null).body("limit", equalTo("gpuplan.limits.body-size"));

        assertNormalPlansStillSolve();
    }

    @Test
    void malformedQueryParametersAre400() {
        Api.assertProblem(given().queryParam("limit", "abc").when().get("/api/plans"), 400, "limit");
        Api.assertProblem(given().queryParam("limit", 0).when().get("/api/proposals"), 400, "limit");
        Api.assertProblem(given().queryParam("limit", 1001).when().get("/api/proposals"), 422, "limit")
                .body("limit", equalTo("gpuplan.limits.max-page-size"));
        Api.assertProblem(given().queryParam("cursor", "not a cursor!").when().get("/api/plans"), 400, "cursor");
        Api.assertProblem(given().queryParam("cursor", "bm90LWEtY3Vyc29y").when().get("/api/plans"), 400, "cursor");
        Api.assertProblem(given().queryParam("status", "maybe").when().get("/api/proposals"), 400, "status");
    }

    // ---------------------------------------------------------------- shapes of every error

    @Test
    void everyErrorIsProblemJsonAndA500ShowsOnlyAnErrorId() {
        Response failure = given().when().get("/test-only/failure");
        Api.assertProblem(failure, 500, null)
                .body("errorId", notNullValue())
                .body("detail", containsString(failure.jsonPath().getString("errorId")))
                .body(not(containsString("SecretRepository")))
                .body(not(containsString("hunter2")))
                .body(not(containsString("IllegalStateException")))
                .body(not(containsString("stack")));

        Api.assertProblem(given().when().get("/api/no-such-endpoint"), 404, null);
        Api.assertProblem(given().contentType(ContentType.JSON).body("{}").when().patch("/api/proposals"), 405, null);
        Api.assertProblem(given().contentType(ContentType.TEXT).body("key: x").when().post("/api/proposals"), 415, null);
    }

    // ---------------------------------------------------------------- pagination

    @Test
    void listsArePagedWithAStableCursorAndNoItemIsMissedOrRepeated() {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            batch.add(proposal("hostile-page-" + i, "hostile-page", 1, 1, 1));
        }
        Api.postProposals(batch);

        List<String> keys = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = given().queryParam("team", "hostile-page").queryParam("limit", 3);
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            Response page = request.when().get("/api/proposals");
            page.then().statusCode(200);
            List<String> got = page.jsonPath().getList("proposal.key", String.class);
            assertThat(got.size()).isLessThanOrEqualTo(3);
            keys.addAll(got);
            cursor = page.header("X-Next-Cursor");
            if (cursor != null) {
                assertThat(page.header("Link")).contains("rel=\"next\"").contains("cursor=" + cursor);
            }
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(keys).containsExactly("hostile-page-0", "hostile-page-1", "hostile-page-2", "hostile-page-3", "hostile-page-4",
                "hostile-page-5", "hostile-page-6");

        Response plans = given().queryParam("limit", 1).when().get("/api/plans");
        plans.then().statusCode(200);
        assertThat(plans.jsonPath().getList("$")).hasSizeLessThanOrEqualTo(1);
        if (!plans.jsonPath().getList("$").isEmpty()) {
            assertThat(plans.jsonPath().getMap("[0]")).doesNotContainKeys("assignments", "unselected");
        }
    }

    // ---------------------------------------------------------------- afterwards

    /** A self-contained plan, and one over stored proposals, still solve after whatever the test sent. */
    static void assertNormalPlansStillSolve() {
        String portfolioPlan = Api.postPlan(map("budgetGpuHours", 400, "timeLimitSeconds", 1, "portfolio", Api.yamlAsJson(Api.smallExampleYaml())));
        given().contentType(ContentType.JSON).body(proposal("hostile-normal", TEAM, 2, 2, 10)).when().put("/api/proposals/{key}", "hostile-normal")
                .then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(200), equalTo(201)));
        String storedPlan = Api.postPlan(map("budgetGpuHours", 100, "timeLimitSeconds", 1, "proposals", List.of("hostile-normal")));
        Plan solved = Api.awaitSolved(storedPlan);
        assertThat(solved.assignments()).extracting(Plan.Assignment::proposal).containsExactly("hostile-normal");
        assertThat(Api.awaitSolved(portfolioPlan).feasible()).isTrue();
    }
}
