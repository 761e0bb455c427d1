package dev.gpuplan.rest;

import static dev.gpuplan.rest.Api.assertProblem;
import static dev.gpuplan.rest.Api.map;
import static dev.gpuplan.rest.Api.postPlan;
import static dev.gpuplan.rest.Api.postProposals;
import static dev.gpuplan.rest.Api.proposal;
import static dev.gpuplan.rest.Api.with;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gpuplan.domain.Plan;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * {@code /api/plans}: requests answered 202 with a Location at once, plans solved asynchronously (awaited, never
 * slept on), the plan's shape of SPEC section 4, snapshots, and the refusals of SPEC section 7.
 * Solves here are short (1-2 s); stopping and queueing are in {@link PlanSolvingTest}.
 */
@QuarkusTest
class PlanResourceTest {

    // ---------------------------------------------------------------- self-contained portfolios

    @Test
    void selfContainedYamlPortfolioIsSolvedInTheShapeOfTheSpec() {
        String small = Api.smallExampleYaml();
        String request = "budgetGpuHours: 400\ntimeLimitSeconds: 2\nportfolio:\n" + Api.indent(small, 2);

        String id = postPlan(Api.YAML, Api.yamlBody(request));
        Plan plan = Api.awaitSolved(id);

        given().when().get("/api/plans/{id}", id).then().statusCode(200)
                .contentType(ContentType.JSON)
                .body("id", equalTo(id))
                .body("status", equalTo("SOLVED"))
                .body("budgetGpuHours", equalTo(400))
                .body("config", equalTo("default"))
                .body("score", notNullValue())
                .body("feasible", equalTo(true))
                .body("totals", allOf(hasKey("expectedValue"), hasKey("value"), hasKey("gpuHours"), hasKey("selected"), hasKey("candidates")))
                .body("totals.candidates", equalTo(10))
                .body("assignments", not(empty()))
                .body("assignments", everyItem(allOf(hasKey("proposal"), hasKey("pool"), hasKey("start"), hasKey("end"),
                        hasKey("gpus"), hasKey("gpuHours"))))
                .body("unselected", not(empty()))
                .body("unselected", everyItem(allOf(hasKey("proposal"), hasKey("code"), hasKey("message"), hasKey("details"))))
                .body("violations", empty());

        assertThat(plan.usableGpuHours()).as("400 less the default config's 5% reserve").isEqualByComparingTo("380");
        assertThat(plan.assignments()).extracting(Plan.Assignment::proposal).contains("baseline-1b"); // required
        assertThat(plan.unselected()).filteredOn(u -> u.proposal().equals("moe-16x")).singleElement()
                .satisfies(u -> {
                    assertThat(u.code()).isNotNull();
                    assertThat(u.message()).isNotBlank();
                }); // 16 GPUs, no pool has more than 8
        assertThat(plan.totals().expectedValue()).isPositive();
        PlanAssertions.assertCheckerClean(small, plan);
    }

    @Test
    void selfContainedJsonPortfolioTakesTheRequestsBudgetAndConfig() {
        Map<String, Object> portfolio = Api.yamlAsJson(Api.smallExampleYaml());

        String id = postPlan(map("budgetGpuHours", 200, "config", "deadline-crunch", "timeLimitSeconds", 2, "portfolio", portfolio));
        Plan plan = Api.awaitSolved(id);

        assertThat(plan.budgetGpuHours()).isEqualByComparingTo("200");
        assertThat(plan.usableGpuHours()).as("deadline-crunch holds no reserve").isEqualByComparingTo("200");
        assertThat(plan.config()).isEqualTo("deadline-crunch");
        Map<String, Object> solvedFrom = new LinkedHashMap<>(portfolio);
        solvedFrom.put("budget", map("gpuHours", 200, "perTeam", map("evals", 60)));
        PlanAssertions.assertCheckerClean(Api.json(solvedFrom), plan);
    }

    @Test
    void selfContainedPortfolioStoresNothingButThePlan() {
        int plansBefore = Api.planCount();
        Map<String, Object> portfolio = map(
                "horizon", Api.standardHorizon(),
                "pools", List.of(Api.pool("alone-pool", "l4", 4)),
                "proposals", List.of(proposal("plan-alone-a", "plan-alone", 2, 3, 5), proposal("plan-alone-b", "plan-alone", 4, 1, 1)));

        String id = postPlan(map("budgetGpuHours", 50, "timeLimitSeconds", 1, "portfolio", portfolio));
        Plan plan = Api.awaitSolved(id);

        assertThat(Api.planCount()).isEqualTo(plansBefore + 1);
        Api.assertNotStored("plan-alone-a", "plan-alone-b");
        given().when().get("/api/pools").then().statusCode(200).body("name", not(hasItem("alone-pool")));
        assertThat(plan.assignments()).extracting(Plan.Assignment::pool).containsOnly("alone-pool");
        portfolio.put("budget", map("gpuHours", 50));
        PlanAssertions.assertCheckerClean(Api.json(portfolio), plan);
    }

    // ---------------------------------------------------------------- stored proposals, snapshots

    @Test
    void storedProposalsArePlannedAndThePlanIsASnapshot() {
        Api.ensureCluster();
        List<Map<String, Object>> proposals = List.of(
                proposal("plan-stored-base", "plan-stored", 8, 6, 40),
                with(proposal("plan-stored-next", "plan-stored", 8, 4, 30), "dependsOn", List.of("plan-stored-base")),
                with(proposal("plan-stored-h100", "plan-stored", 4, 5, 20), "gpuType", "h100"),
                proposal("plan-stored-huge", "plan-stored", 8, 100, 1)); // 100 h of a 72-hour horizon: never fits
        postProposals(proposals);
        List<String> keys = proposals.stream().map(p -> (String) p.get("key")).toList();

        String id = postPlan(map("budgetGpuHours", 200, "timeLimitSeconds", 1, "proposals", keys));
        Plan plan = Api.awaitSolved(id);

        assertThat(plan.totals().candidates()).isEqualTo(4);
        assertThat(plan.assignments()).extracting(Plan.Assignment::proposal)
                .containsExactlyInAnyOrder("plan-stored-base", "plan-stored-next", "plan-stored-h100");
        assertThat(plan.assignments()).filteredOn(a -> a.proposal().equals("plan-stored-h100")).extracting(Plan.Assignment::pool)
                .containsExactly("h100-west");
        assertThat(plan.unselected()).extracting(Plan.Unselected::proposal).containsExactly("plan-stored-huge");
        PlanAssertions.assertCheckerClean(Api.json(map("horizon", Api.standardHorizon(), "budget", map("gpuHours", 200),
                "pools", Api.standardPools(), "proposals", proposals)), plan);

        // Later edits of the stored proposals leave the solved plan as it was.
        String before = given().when().get("/api/plans/{id}", id).then().statusCode(200).extract().asString();
        given().contentType(ContentType.JSON).body(with(proposals.get(2), "gpus", 8, "hours", 50, "value", 1))
                .when().put("/api/proposals/plan-stored-h100").then().statusCode(200);
        given().when().delete("/api/proposals/plan-stored-huge").then().statusCode(204);

        String after = given().when().get("/api/plans/{id}", id).then().statusCode(200).extract().asString();
        assertThat(after).isEqualTo(before);
    }

    @Test
    void planOfStoredProposalsNeedsTheirDependencies() {
        Api.ensureCluster();
        postProposals(List.of(proposal("plan-deps-base", "plan-deps", 1, 1, 1),
                with(proposal("plan-deps-child", "plan-deps", 1, 1, 1), "dependsOn", List.of("plan-deps-base"))));
        int plansBefore = Api.planCount();

        Response response = given().contentType(ContentType.JSON)
                .body(map("budgetGpuHours", 10, "proposals", List.of("plan-deps-child"))).when().post("/api/plans");

        assertProblem(response, 400, "proposals").body("detail", containsString("plan-deps-base"));
        assertThat(Api.planCount()).isEqualTo(plansBefore);
    }

    // ---------------------------------------------------------------- reading

    @Test
    void listShowsPlansNewestFirst() {
        Map<String, Object> portfolio = map("horizon", Api.standardHorizon(), "pools", List.of(Api.pool("list-pool", "a100", 8)),
                "proposals", List.of(proposal("plan-list-a", "plan-list", 1, 1, 1)));
        String first = postPlan(map("budgetGpuHours", 10, "timeLimitSeconds", 1, "portfolio", portfolio));
        String second = postPlan(map("budgetGpuHours", 20, "timeLimitSeconds", 1, "portfolio", portfolio));
        Api.awaitSolved(first);
        Api.awaitSolved(second);

        List<String> ids = Api.allPlans().stream().map(plan -> (String) plan.get("id")).toList();

        assertThat(ids).containsSubsequence(second, first);
    }

    @Test
    void unknownPlanIs404() {
        assertProblem(given().when().get("/api/plans/{id}", "no-such-plan"), 404, null).body("detail", containsString("no-such-plan"));
        assertProblem(given().when().delete("/api/plans/{id}", "no-such-plan"), 404, null);
    }

    // ---------------------------------------------------------------- bad input: SPEC section 7

    static Stream<Arguments> badPlanRequests() {
        Map<String, Object> portfolio = map("horizon", Api.standardHorizon(), "pools", List.of(Api.pool("bad-plan-pool", "a100", 8)),
                "proposals", List.of(proposal("bad-plan-a", "bad-plan", 1, 1, 1)));
        return Stream.of(
                Arguments.of("budget 0", map("budgetGpuHours", 0, "portfolio", portfolio), "budgetGpuHours"),
                Arguments.of("negative budget", map("budgetGpuHours", -10, "portfolio", portfolio), "budgetGpuHours"),
                Arguments.of("missing budget", map("portfolio", portfolio), "budgetGpuHours"),
                Arguments.of("budget of the wrong type", map("budgetGpuHours", "lots", "portfolio", portfolio), "budgetGpuHours"),
                Arguments.of("unknown config", map("budgetGpuHours", 10, "config", "no-such-config", "portfolio", portfolio), "config"),
                Arguments.of("config name that is a path", map("budgetGpuHours", 10, "config", "../default", "portfolio", portfolio), "config"),
                Arguments.of("unknown field", map("budgetGpuHours", 10, "budgt", 5, "portfolio", portfolio), "budgt"),
                Arguments.of("time limit 0", map("budgetGpuHours", 10, "timeLimitSeconds", 0, "portfolio", portfolio), "timeLimitSeconds"),
                Arguments.of("fractional time limit", map("budgetGpuHours", 10, "timeLimitSeconds", 1.5, "portfolio", portfolio), "timeLimitSeconds"),
                Arguments.of("negative team cap", map("budgetGpuHours", 10, "perTeam", map("bad-plan", -1), "portfolio", portfolio), "perTeam.bad-plan"),
                Arguments.of("unknown proposal key", map("budgetGpuHours", 10, "proposals", List.of("bad-plan-nobody")), "proposals"),
                Arguments.of("proposals and portfolio", map("budgetGpuHours", 10, "proposals", List.of("bad-plan-a"), "portfolio", portfolio), "proposals"),
                Arguments.of("portfolio without horizon", map("budgetGpuHours", 10, "portfolio", without(portfolio, "horizon")), "horizon"),
                Arguments.of("portfolio with gpus 0", map("budgetGpuHours", 10, "portfolio",
                        withProposals(portfolio, proposal("bad-plan-z", "bad-plan", 0, 1, 1))), "gpus"),
                Arguments.of("portfolio with unknown gpuType", map("budgetGpuHours", 10, "portfolio",
                        withProposals(portfolio, with(proposal("bad-plan-t", "bad-plan", 1, 1, 1), "gpuType", "h100"))), "gpuType"),
                Arguments.of("portfolio with a cycle", map("budgetGpuHours", 10, "portfolio", withProposals(portfolio,
                        with(proposal("bad-plan-c1", "bad-plan", 1, 1, 1), "dependsOn", List.of("bad-plan-c2")),
                        with(proposal("bad-plan-c2", "bad-plan", 1, 1, 1), "dependsOn", List.of("bad-plan-c1")))), "dependsOn"),
                Arguments.of("portfolio with an unknown dependency", map("budgetGpuHours", 10, "portfolio", withProposals(portfolio,
                        with(proposal("bad-plan-d", "bad-plan", 1, 1, 1), "dependsOn", List.of("bad-plan-nobody")))), "dependsOn"),
                Arguments.of("portfolio with a duplicate key", map("budgetGpuHours", 10, "portfolio", withProposals(portfolio,
                        proposal("bad-plan-dup", "bad-plan", 1, 1, 1), proposal("bad-plan-dup", "bad-plan", 2, 1, 1))), "key"),
                Arguments.of("portfolio with deadline before earliestStart", map("budgetGpuHours", 10, "portfolio", withProposals(portfolio,
                        with(proposal("bad-plan-w", "bad-plan", 1, 1, 1), "earliestStart", "2026-12-02T00:00:00Z",
                                "deadline", "2026-12-01T12:00:00Z"))), "deadline"),
                Arguments.of("portfolio with an unknown field", map("budgetGpuHours", 10, "portfolio", with(portfolio, "teams", List.of())), "teams"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPlanRequests")
    void badPlanRequestIs400NamingTheFieldAndStoresNoPlan(String badInput, Map<String, Object> body, String field) {
        Api.ensureCluster(); // without a stored horizon a request without a portfolio is refused for that first (409)
        int plansBefore = Api.planCount();

        Response response = given().contentType(ContentType.JSON).body(body).when().post("/api/plans");

        assertProblem(response, 400, field);
        assertThat(Api.planCount()).as("plans after a refused request").isEqualTo(plansBefore);
    }

    @Test
    void planRequestThatIsNotAnObjectIs400() {
        assertProblem(given().contentType(ContentType.JSON).body("[1, 2]").when().post("/api/plans"), 400, null);
        assertProblem(given().contentType(ContentType.JSON).body("{\"budgetGpuHours\": ").when().post("/api/plans"), 400, null);
    }

    private static Map<String, Object> withProposals(Map<String, Object> portfolio, Map<?, ?>... proposals) {
        return with(portfolio, "proposals", List.of(proposals));
    }

    private static Map<String, Object> without(Map<String, Object> map, String field) {
        return Api.without(map, field);
    }
}
