package dev.gpuplan.rest;

import static dev.gpuplan.rest.Api.assertProblem;
import static dev.gpuplan.rest.Api.map;
import static dev.gpuplan.rest.Api.proposal;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import dev.gpuplan.access.ApiTokens;
import dev.gpuplan.access.Roles;
import dev.gpuplan.access.TestTokens;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.persistence.AuditEntryEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The audit trail, change by change: every change that succeeds leaves exactly one row (who, what, before and
 * after), and every change that fails (bad input, a conflict, nothing to find) or changes nothing leaves none. The
 * research loop's changes (commit, run events one by one and in a batch, the budget) and tokens (made, revoked) are
 * here; the access matrix checks the same for every endpoint against refused callers. Keys and teams start with
 * {@code au-}.
 */
@QuarkusTest
class AuditTrailTest {

    private static final Instant HOUR_AGO = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));

    private static long auditRows() {
        return QuarkusTransaction.requiringNew().call(() -> AuditEntryEntity.count());
    }

    /** Makes a request and checks how many audit rows it left. */
    private static Response expectRows(long rows, Supplier<Response> request) {
        long before = auditRows();
        Response response = request.get();
        assertThat(auditRows() - before).as("audit rows left by a request answered %d: %s", response.statusCode(),
                response.body().asString()).isEqualTo(rows);
        return response;
    }

    /** The newest audit row of one entity ({@code type/id}). */
    private static JsonPath newest(String entity) {
        return given().queryParam("entity", entity).queryParam("limit", 1).when().get("/api/audit").then().statusCode(200)
                .extract().jsonPath().setRootPath("[0]");
    }

    private static Response postEvents(String proposal, Object body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/api/runs/{key}/events", proposal);
    }

    @Test
    void commitsRunEventsAndTheBudgetLeaveOneRowEachAndFailuresNone() {
        Api.ensureCluster();
        Api.postProposals(List.of(proposal("au-one", "au-team", 1, 2, 10), proposal("au-batch", "au-team", 1, 2, 10)));
        String plan = Api.postPlan(map("budgetGpuHours", 1000, "timeLimitSeconds", 1, "proposals", List.of("au-one", "au-batch")));
        assertThat(Api.awaitSolved(plan).assignments()).hasSize(2);

        // Commit: one row; committing again changes nothing and leaves none; a plan that cannot be committed leaves none.
        expectRows(1, () -> given().when().post("/api/plans/{id}/commit", plan)).then().statusCode(200).body("created", equalTo(2));
        JsonPath commit = newest("plan/" + plan);
        assertThat(commit.getString("action")).isEqualTo("commit");
        assertThat(commit.getString("actor")).isEqualTo(TestTokens.DEFAULT_USER);
        assertThat(commit.getInt("after.created")).isEqualTo(2);
        expectRows(0, () -> given().when().post("/api/plans/{id}/commit", plan)).then().statusCode(200).body("unchanged", equalTo(2));
        String stopped = Api.postPlan(map("budgetGpuHours", 1000, "timeLimitSeconds", 30, "proposals", List.of("au-one")));
        given().when().delete("/api/plans/{id}", stopped).then().statusCode(200);
        Api.awaitFinished(stopped, Plan.Status.STOPPED);
        assertProblem(expectRows(0, () -> given().when().post("/api/plans/{id}/commit", stopped)), 409, "status");
        assertProblem(expectRows(0, () -> given().when().post("/api/plans/{id}/commit", "au-no-such-plan")), 404, null);

        // One event: one row; the same event again is a duplicate and leaves none; refused events leave none.
        Map<String, Object> started = map("type", "STARTED", "at", HOUR_AGO.minus(Duration.ofHours(1)).toString(), "eventId", "au-job:start");
        expectRows(1, () -> postEvents("au-one", started)).then().statusCode(200).body("accepted", equalTo(1));
        JsonPath event = newest("run/au-one#1");
        assertThat(event.getString("action")).isEqualTo("events");
        assertThat(event.getList("after.type")).containsExactly("STARTED");
        expectRows(0, () -> postEvents("au-one", started)).then().statusCode(200).body("duplicates", equalTo(1));
        assertProblem(expectRows(0, () -> postEvents("au-one", map("type", "STARTED", "at", HOUR_AGO.toString()))), 409, "type");
        assertProblem(expectRows(0, () -> postEvents("au-one", map("type", "EXPLODED", "at", HOUR_AGO.toString()))), 400, "type");
        assertProblem(expectRows(0, () -> postEvents("au-no-such-run", map("type", "STARTED", "at", HOUR_AGO.toString()))), 404, null);

        // A batch: one row for all its events; a batch with one bad event changes nothing and leaves none.
        List<Map<String, Object>> badBatch = List.of(map("type", "STARTED", "at", HOUR_AGO.toString()),
                map("type", "FINISHED", "at", HOUR_AGO.minusSeconds(60).toString()));
        assertProblem(expectRows(0, () -> postEvents("au-batch", badBatch)), 409, "events[1].at");
        List<Map<String, Object>> batch = List.of(map("type", "STARTED", "at", HOUR_AGO.minus(Duration.ofHours(2)).toString()),
                map("type", "FINISHED", "at", HOUR_AGO.toString(), "gpuHours", 2));
        expectRows(1, () -> postEvents("au-batch", batch)).then().statusCode(200).body("accepted", equalTo(2));
        assertThat(newest("run/au-batch#1").getList("after.type")).containsExactly("STARTED", "FINISHED");

        // The budget: a change leaves one row with the period before and after; the same budget again leaves none.
        long budget = (long) Math.floor(given().when().get("/api/budget").then().statusCode(200).extract().jsonPath()
                .getDouble("budgetGpuHours")) + 1; // not the stored budget
        expectRows(1, () -> given().contentType(ContentType.JSON).body(map("gpuHours", budget)).when().put("/api/budget"))
                .then().statusCode(200);
        JsonPath period = newest("budget/period");
        assertThat(period.getString("action")).isEqualTo("replace");
        assertThat(period.getLong("after.budgetGpuHours")).isEqualTo(budget);
        assertThat(period.getString("before")).as("the period before: opened by the commit").isNotNull();
        expectRows(0, () -> given().contentType(ContentType.JSON).body(map("gpuHours", budget)).when().put("/api/budget"))
                .then().statusCode(200);
        assertProblem(expectRows(0, () -> given().contentType(ContentType.JSON).body(map("gpuHours", -5)).when().put("/api/budget")),
                400, "gpuHours");
    }

    @Test
    void tokensMadeAndRevokedLeaveOneRowEachWithoutTheToken() {
        String admin = TestTokens.bearer(TestTokens.create("au-admin", Roles.ADMIN, List.of(), Duration.ofHours(1)));

        Response made = expectRows(1, () -> given().header("Authorization", admin).contentType(ContentType.JSON)
                .body(map("user", "au-alice", "role", "researcher", "teams", List.of("au-team"), "expires", "1d"))
                .when().post("/api/tokens"));
        made.then().statusCode(201);
        String token = made.jsonPath().getString("token");
        String id = made.jsonPath().getString("info.id");
        JsonPath created = newest("token/" + id);
        assertThat(created.getString("action")).isEqualTo("create");
        assertThat(created.getString("actor")).isEqualTo("au-admin");
        assertThat(created.getString("after.user")).isEqualTo("au-alice");

        assertProblem(expectRows(0, () -> given().header("Authorization", admin).contentType(ContentType.JSON)
                .body(map("user", "au-bob", "role", "overlord", "teams", List.of("au-team"))).when().post("/api/tokens")), 400, "role");
        assertProblem(expectRows(0, () -> given().header("Authorization", admin).contentType(ContentType.JSON)
                .body(map("user", "au-bob", "role", "researcher")).when().post("/api/tokens")), 400, "teams");

        expectRows(1, () -> given().header("Authorization", admin).when().delete("/api/tokens/{id}", id)).then().statusCode(200)
                .body("active", equalTo(false));
        JsonPath revoked = newest("token/" + id);
        assertThat(revoked.getString("action")).isEqualTo("revoke");
        assertThat(revoked.getBoolean("before.active")).isTrue();
        assertThat(revoked.getBoolean("after.active")).isFalse();
        expectRows(0, () -> given().header("Authorization", admin).when().delete("/api/tokens/{id}", id)).then().statusCode(200);
        assertProblem(expectRows(0, () -> given().header("Authorization", admin).when().delete("/api/tokens/{id}", "tok-no-such")), 404, null);

        String trail = given().queryParam("entity", "token/" + id).when().get("/api/audit").then().statusCode(200).extract().asString();
        assertThat(trail).as("the audit trail of a token").doesNotContain(token).doesNotContain(token.substring(ApiTokens.PREFIX.length()));
    }

    @Test
    void failedChangesToTheCatalogAndPlansLeaveNoRow() {
        Api.ensureCluster();
        Api.postProposals(proposal("au-kept", "au-team", 1, 1, 5));

        assertProblem(expectRows(0, () -> given().contentType(ContentType.JSON).body(map("key", "au-bad", "team", "au-team", "gpus", 1))
                .when().post("/api/proposals")), 400, null);
        expectRows(0, () -> given().contentType(ContentType.JSON).body(proposal("au-kept", "au-team", 1, 1, 5)).when().post("/api/proposals"))
                .then().statusCode(409);
        assertProblem(expectRows(0, () -> given().when().delete("/api/proposals/{key}", "au-no-such")), 404, null);
        assertProblem(expectRows(0, () -> given().contentType(ContentType.JSON).body(List.of(map("name", "au-pool", "gpuType", "a100", "gpus", -1)))
                .when().put("/api/pools")), 400, null);
        assertProblem(expectRows(0, () -> given().contentType(ContentType.JSON).body(map("start", "not a time", "days", 3, "slotMinutes", 60))
                .when().put("/api/horizon")), 400, null);
        assertProblem(expectRows(0, () -> given().contentType(ContentType.JSON).body(map("budgetGpuHours", -1, "timeLimitSeconds", 1))
                .when().post("/api/plans")), 400, null);
        assertProblem(expectRows(0, () -> given().when().delete("/api/plans/{id}", "au-no-such-plan")), 404, null);
        assertProblem(expectRows(0, () -> given().when().delete("/api/frontiers/{id}", "au-no-such-frontier")), 404, null);

        // And the same endpoints, succeeding, leave one row each.
        expectRows(1, () -> given().contentType(ContentType.JSON).body(proposal("au-kept", "au-team", 1, 2, 5))
                .when().put("/api/proposals/{key}", "au-kept")).then().statusCode(200);
        expectRows(1, () -> given().when().delete("/api/proposals/{key}", "au-kept")).then().statusCode(204);
    }
}
