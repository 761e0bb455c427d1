package dev.gpuplan.rest;

import static dev.gpuplan.rest.Api.map;
import static dev.gpuplan.rest.Api.postPlan;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.PlanDiff;
import dev.gpuplan.input.Json;
import dev.gpuplan.service.FrontierService;
import dev.gpuplan.analysis.Frontier;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * {@code GET /api/plans/{id}/explain/{proposal}}, {@code GET /api/plans/{a}/diff/{b}} and the asynchronous frontiers
 * of {@code /api/frontiers}. Every plan and frontier here is solved from the small example sent as a self-contained
 * portfolio, so nothing depends on what other test classes store in the shared database.
 */
@QuarkusTest
class ExplainDiffFrontierResourceTest {

    private static final Duration FRONTIER_TIMEOUT = Duration.ofSeconds(90);

    @ConfigProperty(name = "gpuplan.solver.parallel-solves")
    int parallelSolves;

    /** The small example solved once at 400 GPU-hours for the explain tests (each test class instance is new). */
    private static String solvedSmallPlan;

    private static synchronized String solvedSmallPlan() {
        if (solvedSmallPlan == null) {
            String id = postPlan(map("budgetGpuHours", 400, "timeLimitSeconds", 2, "portfolio", smallPortfolio()));
            Api.awaitSolved(id);
            solvedSmallPlan = id;
        }
        return solvedSmallPlan;
    }

    private static Map<String, Object> smallPortfolio() {
        return Api.yamlAsJson(Api.smallExampleYaml());
    }

    // ---------------------------------------------------------------- explain

    @Test
    void explainAnUnselectedProposalGivesReasonsAndVerifiedThresholds() {
        String id = solvedSmallPlan();
        Plan plan = Api.plan(id);
        Plan.Unselected inPlan = plan.unselected().stream().filter(u -> u.proposal().equals("tokenizer-v2")).findFirst().orElseThrow();

        Response response = given().queryParam("resolveLimitSeconds", 1)
                .when().get("/api/plans/{id}/explain/{proposal}", id, "tokenizer-v2");

        response.then().statusCode(200).contentType(ContentType.JSON)
                .body("proposal", equalTo("tokenizer-v2"))
                .body("selected", equalTo(false));
        Map<String, Object> body = response.jsonPath().getMap("");
        assertThat(body).containsOnlyKeys("proposal", "selected", "reasons", "wouldBeSelectedIf", "displaces");
        List<Map<String, Object>> reasons = response.jsonPath().getList("reasons");
        assertThat(reasons).hasSize(1);
        assertThat(reasons.get(0)).containsOnlyKeys("proposal", "code", "message", "details")
                .containsEntry("proposal", "tokenizer-v2")
                .containsEntry("code", inPlan.code().name())
                .containsEntry("message", inPlan.message());
        Map<String, Object> thresholds = response.jsonPath().getMap("wouldBeSelectedIf");
        assertThat(thresholds.keySet()).isSubsetOf("valueAtLeast", "hoursAtMost", "budgetGpuHoursAtLeast");
        assertThat(thresholds.values()).allMatch(v -> v instanceof Number);
        List<String> displaces = response.jsonPath().getList("displaces", String.class);
        Set<String> selected = Set.copyOf(plan.assignments().stream().map(Plan.Assignment::proposal).toList());
        assertThat(displaces).as("displaced runs are runs of this plan").allMatch(selected::contains);
        assertThat(displaces.isEmpty()).as("displaces comes with a value threshold").isEqualTo(!thresholds.containsKey("valueAtLeast"));
    }

    @Test
    void explainASelectedAndAStructurallyExcludedProposal() {
        String id = solvedSmallPlan();
        Plan plan = Api.plan(id);
        Plan.Assignment baseline = plan.assignments().stream().filter(a -> a.proposal().equals("baseline-1b")).findFirst().orElseThrow();

        given().queryParam("resolveLimitSeconds", 1).when().get("/api/plans/{id}/explain/{proposal}", id, "baseline-1b")
                .then().statusCode(200)
                .body("selected", equalTo(true))
                .body("reasons[0].code", equalTo("SELECTED"))
                .body("reasons[0].details.pool", equalTo(baseline.pool()))
                .body("reasons[0].details.start", equalTo(baseline.start().toString()))
                .body("wouldBeSelectedIf", equalTo(Map.of()))
                .body("displaces", equalTo(List.of()));
        given().queryParam("resolveLimitSeconds", 1).when().get("/api/plans/{id}/explain/{proposal}", id, "moe-16x")
                .then().statusCode(200)
                .body("selected", equalTo(false))
                .body("reasons[0].code", equalTo("NO_FITTING_POOL"))
                .body("reasons[0].details.largestPoolGpus", equalTo(8))
                .body("wouldBeSelectedIf", equalTo(Map.of()));
    }

    @Test
    void explainOfAnUnknownProposalOrPlanIs404() {
        String id = solvedSmallPlan();

        Api.assertProblem(given().when().get("/api/plans/{id}/explain/{proposal}", id, "no-such-proposal"), 404, null)
                .body("detail", containsString("no-such-proposal"));
        Api.assertProblem(given().when().get("/api/plans/{id}/explain/{proposal}", "no-such-plan", "tokenizer-v2"), 404, null)
                .body("detail", containsString("no-such-plan"));
    }

    @Test
    void explainWithAResolveLimitOutOfRangeIs400() {
        String id = solvedSmallPlan();

        Api.assertProblem(given().queryParam("resolveLimitSeconds", 0).when().get("/api/plans/{id}/explain/{proposal}", id, "tokenizer-v2"),
                400, "resolveLimitSeconds");
        Api.assertProblem(given().queryParam("resolveLimitSeconds", 61).when().get("/api/plans/{id}/explain/{proposal}", id, "tokenizer-v2"),
                422, "resolveLimitSeconds").body("limit", equalTo("gpuplan.limits.explain-resolve-seconds"));
        Api.assertProblem(given().queryParam("resolveLimitSeconds", "abc").when().get("/api/plans/{id}/explain/{proposal}", id, "tokenizer-v2"),
                400, "resolveLimitSeconds");
    }

    @Test
    void explainOfAPlanStillSolvingIs409AndWorksOnceStopped() {
        String id = postPlan(map("budgetGpuHours", 400, "timeLimitSeconds", 60, "portfolio", smallPortfolio()));

        Api.assertProblem(given().when().get("/api/plans/{id}/explain/{proposal}", id, "baseline-1b"), 409, "status")
                .body("detail", containsString("explain needs a SOLVED or STOPPED plan"));

        Api.await("plan " + id + " to be solving with a best plan so far", Api.PLAN_TIMEOUT)
                .until(() -> Api.plan(id), p -> p.status() == Plan.Status.SOLVING && !p.assignments().isEmpty());
        given().when().delete("/api/plans/{id}", id).then().statusCode(200).body("status", equalTo("STOPPED"));
        given().queryParam("resolveLimitSeconds", 1).when().get("/api/plans/{id}/explain/{proposal}", id, "moe-16x")
                .then().statusCode(200).body("reasons[0].code", equalTo("NO_FITTING_POOL"));
    }

    /** A plan stopped while it waited for a solver thread has no plan to explain: a conflict, not a server error. */
    @Test
    void explainOfAPlanStoppedBeforeItWasSolvedIs409() {
        Api.awaitNoPlanRunning();
        List<String> running = new ArrayList<>();
        for (int i = 0; i < parallelSolves; i++) {
            running.add(postPlan(map("budgetGpuHours", 400, "timeLimitSeconds", 60, "portfolio", smallPortfolio())));
        }
        String queued = postPlan(map("budgetGpuHours", 400, "timeLimitSeconds", 60, "portfolio", smallPortfolio()));
        try {
            given().when().delete("/api/plans/{id}", queued).then().statusCode(200).body("status", equalTo("STOPPED"));
            assertThat(Api.plan(queued).assignments()).as("stopped before it was solved").isEmpty();

            Api.assertProblem(given().queryParam("resolveLimitSeconds", 1).when().get("/api/plans/{id}/explain/{proposal}", queued, "baseline-1b"),
                    409, "status").body("detail", containsString("stopped before it was solved"));
        } finally {
            running.forEach(id -> given().when().delete("/api/plans/{id}", id).then().statusCode(200));
        }
    }

    // ---------------------------------------------------------------- diff

    @Test
    void diffOfTwoPlansNamesAddedRemovedAndMovedRuns() {
        String a = postPlan(map("budgetGpuHours", 150, "timeLimitSeconds", 1, "portfolio", smallPortfolio()));
        String b = postPlan(map("budgetGpuHours", 400, "timeLimitSeconds", 1, "portfolio", smallPortfolio()));
        Plan planA = Api.awaitSolved(a);
        Plan planB = Api.awaitSolved(b);

        Response response = given().when().get("/api/plans/{a}/diff/{b}", a, b);

        response.then().statusCode(200).contentType(ContentType.JSON)
                .body("$", hasKey("added")).body("$", hasKey("removed")).body("$", hasKey("moved"))
                .body("$", hasKey("expectedValueChange")).body("$", hasKey("gpuHoursChange")).body("$", hasKey("selectedChange"));
        PlanDiff diff = read(response.asString(), PlanDiff.class);
        Set<String> keysA = Set.copyOf(planA.assignments().stream().map(Plan.Assignment::proposal).toList());
        Set<String> keysB = Set.copyOf(planB.assignments().stream().map(Plan.Assignment::proposal).toList());
        assertThat(diff.added()).containsExactlyElementsOf(planB.assignments().stream().filter(x -> !keysA.contains(x.proposal())).toList());
        assertThat(diff.removed()).containsExactlyElementsOf(planA.assignments().stream().filter(x -> !keysB.contains(x.proposal())).toList());
        List<String> moved = new ArrayList<>();
        for (Plan.Assignment after : planB.assignments()) {
            planA.assignments().stream().filter(before -> before.proposal().equals(after.proposal()))
                    .filter(before -> !before.pool().equals(after.pool()) || !before.start().equals(after.start()))
                    .forEach(before -> moved.add(after.proposal()));
        }
        assertThat(diff.moved()).extracting(PlanDiff.Move::proposal).containsExactlyElementsOf(moved);
        assertThat(diff.added()).as("400 GPU-hours hold more than 150").isNotEmpty();
        assertThat(diff.expectedValueChange()).isEqualByComparingTo(planB.totals().expectedValue().subtract(planA.totals().expectedValue()));
        assertThat(diff.gpuHoursChange()).isEqualByComparingTo(planB.totals().gpuHours().subtract(planA.totals().gpuHours()));
        assertThat(diff.selectedChange()).isEqualTo(planB.totals().selected() - planA.totals().selected());

        Api.assertProblem(given().when().get("/api/plans/{a}/diff/{b}", a, "no-such-plan"), 404, null);
    }

    // ---------------------------------------------------------------- frontiers

    @Test
    void frontierIsSolvedAsynchronouslyMonotoneAndCheckerClean() {
        Response created = given().contentType(ContentType.JSON)
                .body(map("budgets", List.of(150, 300), "timeLimitSeconds", 1, "portfolio", smallPortfolio()))
                .when().post("/api/frontiers");

        created.then().statusCode(202).body("status", equalTo("QUEUED"));
        String id = created.jsonPath().getString("id");
        assertThat(id).isNotBlank();
        assertThat(created.header("Location")).endsWith("/api/frontiers/" + id);

        FrontierService.FrontierView frontier = Api.await("frontier " + id + " to finish", FRONTIER_TIMEOUT)
                .until(() -> frontier(id), f -> f.status().name().equals("SOLVED") || f.status().name().equals("FAILED"));
        assertThat(frontier.status().name()).as("failure: %s", frontier.failure()).isEqualTo("SOLVED");
        assertThat(frontier.config()).isEqualTo("default");
        assertThat(frontier.budgets()).extracting(BigDecimal::toPlainString).containsExactly("150", "300");
        List<Frontier.Point> points = frontier.points();
        assertThat(points).extracting(p -> p.budgetGpuHours().toPlainString()).containsExactly("150", "300");
        assertThat(points.get(1).expectedValue()).isGreaterThanOrEqualTo(points.get(0).expectedValue());
        assertThat(points.get(0).marginalValuePerGpuHour()).isNull();
        assertThat(points.get(1).marginalValuePerGpuHour()).isEqualByComparingTo(points.get(1).expectedValue()
                .subtract(points.get(0).expectedValue()).divide(new BigDecimal("150"), 6, RoundingMode.HALF_UP));
        for (Frontier.Point point : points) {
            assertThat(point.plan().budgetGpuHours()).isEqualByComparingTo(point.budgetGpuHours());
            assertThat(point.expectedValue()).isEqualByComparingTo(point.plan().totals().expectedValue());
            PlanAssertions.assertCheckerClean(Api.smallExampleYaml(), point.plan());
        }
    }

    @Test
    void badBudgetsAre400NamingBudgets() {
        Map<String, Object> portfolio = smallPortfolio();
        for (Object budgets : List.of(List.of(0, 100), List.of(-5), "500:100:50", "lots", List.of())) {
            Api.assertProblem(given().contentType(ContentType.JSON).body(map("budgets", budgets, "timeLimitSeconds", 1, "portfolio", portfolio))
                    .when().post("/api/frontiers"), 400, "budgets");
        }
        Api.assertProblem(given().contentType(ContentType.JSON).body(map("timeLimitSeconds", 1, "portfolio", portfolio))
                .when().post("/api/frontiers"), 400, "budgets");
    }

    @Test
    void unknownFrontierIs404() {
        Api.assertProblem(given().when().get("/api/frontiers/{id}", "no-such-frontier"), 404, null)
                .body("detail", containsString("no-such-frontier"));
    }

    @Test
    void openApiListsTheNewPaths() {
        given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .body("paths", hasKey("/api/frontiers"))
                .body("paths", hasKey("/api/frontiers/{id}"))
                .body("paths", hasKey("/api/plans/{id}/explain/{proposal}"))
                .body("paths", hasKey("/api/plans/{a}/diff/{b}"));
    }

    // ---------------------------------------------------------------- helpers

    private static FrontierService.FrontierView frontier(String id) {
        return read(given().when().get("/api/frontiers/{id}", id).then().statusCode(200).extract().asString(), FrontierService.FrontierView.class);
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not a " + type.getSimpleName() + ": " + json, e);
        }
    }
}
