package dev.gpuplan.rest;

import static dev.gpuplan.rest.Api.assertProblem;
import static dev.gpuplan.rest.Api.map;
import static dev.gpuplan.rest.Api.postPlan;
import static dev.gpuplan.rest.Api.postProposals;
import static dev.gpuplan.rest.Api.proposal;
import static dev.gpuplan.rest.Api.with;
import static dev.gpuplan.rest.RunResourceTest.event;
import static dev.gpuplan.rest.RunResourceTest.postEvents;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.gpuplan.checker.PlanChecker;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.input.Json;
import dev.gpuplan.domain.Replan;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * {@code POST /api/plans} with {@code replan: true} from a seeded history: running runs pinned on their pool from the
 * current slot, finished and failed runs (and what depends on a failed one) not proposed again, the budget less what
 * was spent never exceeded, and the changes against the committed plan listed.
 */
@QuarkusTest
class ReplanResourceTest {

    private static final List<String> KEYS = List.of("rp-done", "rp-running", "rp-failed", "rp-after-failed", "rp-after-done", "rp-planned");

    /** A horizon that holds now (the shared one starts on a fixed day and lasts three), restored after each test. */
    private static void horizonHoldingNow() {
        Instant standard = Instant.parse(Api.HORIZON_START);
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        Instant start = today.isBefore(standard) ? today : standard;
        long days = Duration.between(start, today).toDays() + 3;
        given().contentType(ContentType.JSON).body(map("start", start.toString(), "days", days, "slotMinutes", 60))
                .when().put("/api/horizon").then().statusCode(200);
    }

    @AfterEach
    void restoreTheSharedCluster() {
        Api.ensureCluster();
    }

    @Test
    void aReplanPinsRunningRunsDropsEndedOnesAndStaysWithinBudgetLessSpent() {
        Api.ensurePools();
        horizonHoldingNow();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        postProposals(List.of(
                proposal("rp-done", "replan", 2, 3, 10),
                proposal("rp-running", "replan", 4, 10, 50),
                proposal("rp-failed", "replan", 1, 2, 10),
                with(proposal("rp-after-failed", "replan", 1, 1, 10), "dependsOn", List.of("rp-failed")),
                with(proposal("rp-after-done", "replan", 1, 1, 10), "dependsOn", List.of("rp-done")),
                proposal("rp-planned", "replan", 2, 4, 10)));
        given().contentType(ContentType.JSON).body(map("gpuHours", 10000, "start", now.minus(Duration.ofDays(30)).toString(),
                "end", now.plus(Duration.ofDays(30)).toString())).when().put("/api/budget").then().statusCode(200);
        String committed = postPlan(map("budgetGpuHours", 10000, "timeLimitSeconds", 1, "proposals", KEYS));
        assertThat(Api.awaitSolved(committed).assignments()).hasSize(KEYS.size());
        given().when().post("/api/plans/{id}/commit", committed).then().statusCode(200);

        postEvents("rp-done", List.of(event("STARTED", now.minus(Duration.ofHours(5))), event("FINISHED", now.minus(Duration.ofHours(2)),
                "gpuHours", 6.5))).then().statusCode(200);
        postEvents("rp-running", event("STARTED", now.minus(Duration.ofHours(3)), "pool", "h100-west")).then().statusCode(200);
        postEvents("rp-failed", List.of(event("STARTED", now.minus(Duration.ofHours(4))), event("FAILED", now.minus(Duration.ofHours(3)),
                "reason", "diverged"))).then().statusCode(200);

        String id = postPlan(map("replan", true, "timeLimitSeconds", 2, "proposals", KEYS));
        Plan replan = Api.awaitSolved(id);

        assertThat(replan.feasible()).as("violations %s", replan.violations()).isTrue();
        Replan account = replan.replan();
        assertThat(account.committedPlanId()).isEqualTo(committed);
        assertThat(account.asOf()).isBeforeOrEqualTo(Instant.now()).isAfter(now.minus(Duration.ofHours(1)));
        assertThat(account.pinned()).containsExactly("rp-running");
        assertThat(account.dropped()).extracting(Replan.Dropped::proposal).containsExactlyInAnyOrder("rp-done", "rp-failed", "rp-after-failed");

        Plan.Assignment running = replan.assignments().stream().filter(a -> a.proposal().equals("rp-running")).findFirst().orElseThrow();
        assertThat(running.pool()).isEqualTo("h100-west");
        assertThat(running.start()).isEqualTo(account.asOf());
        assertThat(running.end()).as("its estimate ends 7 hours after now").isAfterOrEqualTo(now.plus(Duration.ofHours(7)));
        assertThat(replan.assignments()).extracting(Plan.Assignment::proposal).doesNotContain("rp-done", "rp-failed", "rp-after-failed");
        // the independent checker, on the portfolio the replan was solved from: the running run pinned where it runs
        Portfolio solvedFrom = Json.read(given().when().get("/api/plans/{id}/portfolio", id).then().statusCode(200).extract().asString(),
                Portfolio.class);
        assertThat(solvedFrom.proposals()).filteredOn(p -> p.key().equals("rp-running")).singleElement()
                .extracting(p -> p.pinned().pool()).isEqualTo("h100-west");
        assertThat(PlanChecker.check(solvedFrom, replan.usableGpuHours(), replan)).isEmpty();

        BigDecimal left = account.periodBudgetGpuHours().subtract(account.spentGpuHours());
        assertThat(replan.budgetGpuHours()).isEqualByComparingTo(left);
        assertThat(replan.totals().gpuHours()).as("never more than budget - spent").isLessThanOrEqualTo(left);
        assertThat(account.spentGpuHours()).as("at least what these runs used").isGreaterThanOrEqualTo(new BigDecimal("6.5").add(BigDecimal.ONE));
        assertThat(account.changes()).isNotNull();
        assertThat(account.changes().removed()).extracting(Plan.Assignment::proposal).contains("rp-done", "rp-failed", "rp-after-failed");

        String retried = postPlan(map("replan", true, "timeLimitSeconds", 1, "proposals", KEYS, "retry", List.of("rp-failed")));
        assertThat(Api.awaitSolved(retried).replan().dropped()).extracting(Replan.Dropped::proposal).containsExactlyInAnyOrder("rp-done");
    }

    /**
     * A pilot that FAILS closes its gate: the ledger frees the full run's hours at once, and the next replan drops it.
     * The overrun-aware config learns from the finished runs and states the reserve it holds back.
     */
    @Test
    void aFailedPilotFreesItsFullRunsHoursAndTheReplanDropsItUnderALearnedReserve() {
        Api.ensurePools();
        horizonHoldingNow();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<String> keys = List.of("pg-pilot", "pg-full", "pg-done", "pg-other");
        postProposals(List.of(
                proposal("pg-pilot", "gates", 1, 2, 5),
                with(proposal("pg-full", "gates", 4, 10, 80), "pilot", "pg-pilot", "pilotSuccessProbability", 0.5),
                proposal("pg-done", "gates", 2, 3, 10),
                proposal("pg-other", "gates", 2, 4, 10)));
        given().contentType(ContentType.JSON).body(map("gpuHours", 10000, "start", now.minus(Duration.ofDays(30)).toString(),
                "end", now.plus(Duration.ofDays(30)).toString())).when().put("/api/budget").then().statusCode(200);
        String committed = postPlan(map("budgetGpuHours", 10000, "timeLimitSeconds", 1, "proposals", keys, "config", "overrun-aware"));
        Plan plan = Api.awaitSolved(committed);
        assertThat(plan.assignments()).extracting(Plan.Assignment::proposal).containsAll(keys);
        Plan.Assignment pilot = plan.assignments().stream().filter(a -> a.proposal().equals("pg-pilot")).findFirst().orElseThrow();
        Plan.Assignment full = plan.assignments().stream().filter(a -> a.proposal().equals("pg-full")).findFirst().orElseThrow();
        assertThat(full.start()).isAfterOrEqualTo(pilot.end());
        assertThat(full.expectedValue()).isEqualByComparingTo("40"); // 80 x 0.5
        given().when().post("/api/plans/{id}/commit", committed).then().statusCode(200);
        assertThat(new BigDecimal(given().when().get("/api/budget").then().statusCode(200)
                .extract().path("perTeam.gates.committedGpuHours").toString())).isEqualByComparingTo("56"); // 2 + 40 + 6 + 8

        postEvents("pg-done", List.of(event("STARTED", now.minus(Duration.ofHours(5))), event("FINISHED", now.minus(Duration.ofHours(2)),
                "gpuHours", 6.6))).then().statusCode(200);
        postEvents("pg-pilot", List.of(event("STARTED", now.minus(Duration.ofHours(4))), event("FAILED", now.minus(Duration.ofHours(3)),
                "reason", "loss spikes"))).then().statusCode(200);

        var ledger = given().when().get("/api/budget?config=overrun-aware").then().statusCode(200).extract();
        assertThat(new BigDecimal(ledger.path("gatedFreedGpuHours").toString())).isEqualByComparingTo("40");
        // pg-done (6) and pg-pilot (2) left the committed hours by ending, pg-full (40) by its closed gate: pg-other is left
        assertThat(new BigDecimal(ledger.path("perTeam.gates.committedGpuHours").toString())).isEqualByComparingTo("8");

        String id = postPlan(map("replan", true, "timeLimitSeconds", 1, "proposals", keys, "config", "overrun-aware"));
        Plan replan = Api.awaitSolved(id);

        assertThat(replan.replan().dropped()).extracting(Replan.Dropped::proposal).containsExactlyInAnyOrder("pg-done", "pg-pilot", "pg-full");
        assertThat(replan.replan().dropped()).filteredOn(d -> d.proposal().equals("pg-full")).extracting(Replan.Dropped::reason)
                .singleElement().asString().startsWith("its pilot pg-pilot will not run again");
        assertThat(replan.assignments()).extracting(Plan.Assignment::proposal).containsExactly("pg-other");
        Portfolio solvedFrom = Json.read(given().when().get("/api/plans/{id}/portfolio", id).then().statusCode(200).extract().asString(),
                Portfolio.class);
        assertThat(solvedFrom.budget().overruns()).as("the learned overruns travel with the plan's snapshot").isNotNull();
        assertThat(PlanChecker.check(solvedFrom, replan.usableGpuHours(), replan)).isEmpty();
        assertThat(replan.reserve().basis()).isEqualTo("learned");
        assertThat(replan.reserve().finishedRuns()).isPositive();
        assertThat(replan.reserve().statement()).contains("so that 90% of outcomes fit:").contains("finished run");
        assertThat(replan.usableGpuHours()).isEqualByComparingTo(replan.budgetGpuHours().subtract(replan.reserve().gpuHours()));
    }

    @Test
    void aReplanCannotRetryWhatDidNotFailNorCarryAPortfolio() {
        assertProblem(given().contentType(ContentType.JSON).body(map("budgetGpuHours", 10, "retry", List.of("x")))
                .when().post("/api/plans"), 400, "retry");
        assertProblem(given().contentType(ContentType.JSON).body(Map.of("replan", true, "portfolio", Api.yamlAsJson(Api.smallExampleYaml())))
                .when().post("/api/plans"), 400, "replan");
    }
}
