package dev.gpuplan.rest;

import static dev.gpuplan.rest.Api.map;
import static dev.gpuplan.rest.Api.postPlan;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.gpuplan.domain.Plan;
import dev.gpuplan.generate.PortfolioGenerator;
import dev.gpuplan.input.Json;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Plans as jobs: stopping a solving plan keeps its best plan; plans beyond the solver threads wait as QUEUED. */
@QuarkusTest
class PlanSolvingTest {

    @ConfigProperty(name = "gpuplan.solver.parallel-solves")
    int parallelSolves;

    @Test
    void deleteStopsASolvingPlanAndKeepsItsBestPlan() {
        Api.awaitNoPlanRunning(); // so the plan starts solving at once
        @SuppressWarnings("unchecked")
        Map<String, Object> portfolio = Json.mapper().convertValue(
                PortfolioGenerator.of(PortfolioGenerator.Shape.REALISTIC, 300, 0).generate(), Map.class);
        String id = postPlan(map("budgetGpuHours", ((Map<?, ?>) portfolio.get("budget")).get("gpuHours"), "timeLimitSeconds", 60,
                "portfolio", portfolio));

        // SOLVING with a best plan saved: the solver is inside its solve, well before its 60 s are up.
        Api.await("plan " + id + " to be solving with a best plan so far", Duration.ofSeconds(50))
                .until(() -> Api.plan(id), p -> p.status() == Plan.Status.SOLVING && !p.assignments().isEmpty());

        Response response = given().when().delete("/api/plans/{id}", id);

        response.then().statusCode(200).body("id", equalTo(id)).body("status", equalTo("STOPPED"));
        Plan stopped = Api.readPlan(response.asString());
        assertThat(stopped.assignments()).as("the best plan so far is kept").isNotEmpty();
        assertThat(stopped.totals().selected()).isEqualTo(stopped.assignments().size());
        assertThat(stopped.totals().candidates()).isEqualTo(300);

        Plan stored = Api.plan(id);
        assertThat(stored.status()).isEqualTo(Plan.Status.STOPPED);
        assertThat(stored.assignments()).isEqualTo(stopped.assignments());
        assertThat(stored.score()).isEqualTo(stopped.score());

        // Stopping again changes nothing.
        given().when().delete("/api/plans/{id}", id).then().statusCode(200).body("status", equalTo("STOPPED"));
        assertThat(Api.plan(id).assignments()).isEqualTo(stopped.assignments());
    }

    @Test
    void plansBeyondTheSolverThreadsWaitAsQueued() {
        Api.awaitNoPlanRunning(); // every solver thread free: the first plans start at once
        Map<String, Object> portfolio = Api.yamlAsJson(Api.smallExampleYaml());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(postPlan(map("budgetGpuHours", 400, "timeLimitSeconds", 3, "portfolio", portfolio)));
        }
        // Newest first: a plan starts only after an older one finished, so reading newer plans before older ones
        // never counts the same solver thread twice.
        List<String> newestFirst = new ArrayList<>(ids);
        Collections.reverse(newestFirst);

        AtomicInteger mostSolving = new AtomicInteger();
        AtomicBoolean queuedWhileAllThreadsBusy = new AtomicBoolean();
        Api.await("all three plans to finish", Api.PLAN_TIMEOUT).until(() -> {
            List<Plan.Status> statuses = newestFirst.stream().map(id -> Api.plan(id).status()).toList();
            long solving = statuses.stream().filter(s -> s == Plan.Status.SOLVING).count();
            mostSolving.accumulateAndGet((int) solving, Math::max);
            if (solving == parallelSolves && statuses.contains(Plan.Status.QUEUED)) {
                queuedWhileAllThreadsBusy.set(true);
            }
            return statuses.stream().allMatch(s -> s == Plan.Status.SOLVED || s == Plan.Status.STOPPED || s == Plan.Status.FAILED);
        });

        assertThat(mostSolving.get()).as("plans solving at once").isBetween(1, parallelSolves);
        if (parallelSolves < ids.size()) {
            assertThat(queuedWhileAllThreadsBusy).as("a plan waited QUEUED while %d solved", parallelSolves).isTrue();
        }
        String small = Api.smallExampleYaml();
        for (String id : ids) {
            Plan plan = Api.plan(id);
            assertThat(plan.status()).as("plan %s", id).isEqualTo(Plan.Status.SOLVED);
            PlanAssertions.assertCheckerClean(small, plan);
        }
    }
}
