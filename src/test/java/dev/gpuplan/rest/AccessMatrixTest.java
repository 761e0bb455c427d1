package dev.gpuplan.rest;

import static dev.gpuplan.rest.Api.map;
import static dev.gpuplan.rest.Api.proposal;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gpuplan.access.ApiTokens;
import dev.gpuplan.access.TestTokens;
import dev.gpuplan.persistence.ApiTokenEntity;
import dev.gpuplan.persistence.AuditEntryEntity;
import dev.gpuplan.persistence.RunEventEntity;
import dev.gpuplan.service.CatalogService;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Who may do what, cell by cell: every endpoint against every kind of caller, with the status each must get. Where a
 * request is refused, the database must be as it was (proposals, pools, horizon, plans, frontiers, tokens, runs and
 * their events, the planning period and the audit trail); where a change is allowed it leaves exactly one audit row,
 * and a read leaves none. {@link #everyEndpointOfTheServiceHasARow} keeps the matrix complete.
 */
@QuarkusTest
class AccessMatrixTest {

    private static final String OWN_TEAM = "mx-own";
    private static final String OTHER_TEAM = "mx-other";
    private static final String OWN_RESEARCHER = "mx-researcher";

    enum Who { NO_TOKEN, EXPIRED, REVOKED, RESEARCHER_OF_OWNING_TEAM, RESEARCHER_OF_OTHER_TEAM, LEAD, ADMIN }

    /** Who an endpoint is for. */
    enum Rights {
        /** Health, metrics, the OpenAPI document: no credentials needed (bad credentials are still refused). */
        OPEN,
        /** Anyone with a valid token and any role. */
        RESEARCHER,
        /** A researcher of the team that owns the thing (or its submitter), a lead, an admin. */
        OWNER,
        LEAD,
        ADMIN
    }

    /** A request, made fresh for each cell by {@code prepare} (with the default lead token), so cells never share state. */
    record Request(String method, String path, Object body) {
    }

    record Row(String endpoint, Rights rights, int okStatus, boolean changes, Supplier<Request> prepare) {
    }

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Map<String, Row> ROWS = new LinkedHashMap<>();

    static {
        row("GET /q/health", Rights.OPEN, 200, false, () -> get("/q/health"));
        row("GET /q/metrics", Rights.OPEN, 200, false, () -> get("/q/metrics"));
        row("GET /q/openapi", Rights.OPEN, 200, false, () -> get("/q/openapi"));
        row("GET /api/me", Rights.RESEARCHER, 200, false, () -> get("/api/me"));
        row("GET /api/proposals", Rights.RESEARCHER, 200, false, () -> get("/api/proposals?team=" + OWN_TEAM));
        row("GET /api/proposals/{key}", Rights.RESEARCHER, 200, false, () -> get("/api/proposals/" + storedProposal()));
        row("POST /api/proposals", Rights.OWNER, 201, true,
                () -> new Request("POST", "/api/proposals", proposal("mx-new-" + SEQUENCE.incrementAndGet(), OWN_TEAM, 1, 1, 5)));
        row("PUT /api/proposals/{key}", Rights.OWNER, 200, true, () -> {
            String key = storedProposal();
            return new Request("PUT", "/api/proposals/" + key, proposal(key, OWN_TEAM, 1, 2, 7));
        });
        row("DELETE /api/proposals/{key}", Rights.OWNER, 204, true, () -> new Request("DELETE", "/api/proposals/" + storedProposal(), null));
        row("GET /api/pools", Rights.RESEARCHER, 200, false, () -> get("/api/pools"));
        row("PUT /api/pools", Rights.LEAD, 200, true, () -> {
            List<Map<String, Object>> pools = new ArrayList<>(Api.standardPools());
            pools.add(Api.pool("mx-pool-" + SEQUENCE.incrementAndGet(), "a100", 2));
            return new Request("PUT", "/api/pools", pools);
        });
        row("GET /api/horizon", Rights.RESEARCHER, 200, false, () -> {
            Api.ensureCluster();
            return get("/api/horizon");
        });
        row("PUT /api/horizon", Rights.LEAD, 200, true, () -> {
            Api.ensureCluster();
            return new Request("PUT", "/api/horizon", map("start", Api.HORIZON_START, "days", 4, "slotMinutes", 60));
        });
        row("GET /api/configs", Rights.RESEARCHER, 200, false, () -> get("/api/configs"));
        row("GET /api/configs/{name}", Rights.RESEARCHER, 200, false, () -> get("/api/configs/default"));
        row("POST /api/plans", Rights.RESEARCHER, 202, true, () -> new Request("POST", "/api/plans", planBody()));
        row("GET /api/plans", Rights.RESEARCHER, 200, false, () -> get("/api/plans"));
        row("GET /api/plans/{id}", Rights.RESEARCHER, 200, false, () -> get("/api/plans/" + researchersPlan()));
        // A proposal the plan does not have: the answer (404) shows the caller got past access control, without a re-solve.
        row("GET /api/plans/{id}/explain/{proposal}", Rights.RESEARCHER, 404, false,
                () -> get("/api/plans/" + solvedPlan() + "/explain/no-such-proposal"));
        row("GET /api/plans/{a}/diff/{b}", Rights.RESEARCHER, 200, false, () -> {
            String plan = researchersPlan();
            return get("/api/plans/" + plan + "/diff/" + plan);
        });
        row("DELETE /api/plans/{id}", Rights.OWNER, 200, true, () -> new Request("DELETE", "/api/plans/" + researchersPlan(), null));
        row("POST /api/frontiers", Rights.RESEARCHER, 202, true, () -> new Request("POST", "/api/frontiers",
                map("budgets", List.of(100), "timeLimitSeconds", 1, "portfolio", Api.yamlAsJson(Api.smallExampleYaml()))));
        row("GET /api/frontiers/{id}", Rights.RESEARCHER, 200, false, () -> {
            String id = given().contentType(ContentType.JSON)
                    .body(map("budgets", List.of(100), "timeLimitSeconds", 1, "portfolio", Api.yamlAsJson(Api.smallExampleYaml())))
                    .when().post("/api/frontiers").then().statusCode(202).extract().jsonPath().getString("id");
            return get("/api/frontiers/" + id);
        });
        row("POST /api/tokens", Rights.ADMIN, 201, true, () -> new Request("POST", "/api/tokens",
                map("user", "mx-made-" + SEQUENCE.incrementAndGet(), "role", "researcher", "teams", List.of(OWN_TEAM), "expires", "1d")));
        row("GET /api/tokens", Rights.ADMIN, 200, false, () -> get("/api/tokens"));
        row("DELETE /api/tokens/{id}", Rights.ADMIN, 200, true, () -> {
            ApiTokens.Issued issued = tokens().create("mx-victim-" + SEQUENCE.incrementAndGet(), "researcher", List.of(OWN_TEAM),
                    Duration.ofDays(1), null);
            return new Request("DELETE", "/api/tokens/" + issued.info().id(), null);
        });
        row("GET /api/audit", Rights.LEAD, 200, false, () -> get("/api/audit?limit=5"));
        row("GET /api/queue", Rights.RESEARCHER, 200, false, () -> get("/api/queue"));
        row("GET /api/plans/{id}/portfolio", Rights.RESEARCHER, 200, false, () -> get("/api/plans/" + solvedPlan() + "/portfolio"));
        // The opening response of the event stream; a finished plan's stream ends after its "done" event.
        row("GET /api/plans/{id}/events", Rights.RESEARCHER, 200, false,
                () -> new Request("GET", "/api/plans/" + solvedPlan() + "/events", null));
        row("GET /api/frontiers/{id}/portfolio", Rights.RESEARCHER, 200, false, () -> get("/api/frontiers/" + sharedFrontier() + "/portfolio"));
        row("DELETE /api/frontiers/{id}", Rights.OWNER, 200, true,
                () -> new Request("DELETE", "/api/frontiers/" + researchersRunningFrontier(), null));
        // The research loop: commit is a lead's; run events belong to the run's team; the budget is a lead's.
        row("POST /api/plans/{id}/commit", Rights.LEAD, 200, true,
                () -> new Request("POST", "/api/plans/" + uncommittedPlan() + "/commit", null));
        row("POST /api/plans (replan)", Rights.RESEARCHER, 202, true, () -> new Request("POST", "/api/plans", replanBody()));
        row("GET /api/runs", Rights.RESEARCHER, 200, false, () -> get("/api/runs?team=" + OWN_TEAM));
        row("GET /api/runs/{proposal}", Rights.RESEARCHER, 200, false, () -> get("/api/runs/" + plannedRun()));
        row("POST /api/runs/{proposal}/events", Rights.OWNER, 200, true, () -> new Request("POST", "/api/runs/" + plannedRun() + "/events",
                map("type", "STARTED", "at", Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS).toString())));
        row("POST /api/runs/{proposal}/events (batch)", Rights.OWNER, 200, true, () -> {
            Instant hourAgo = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
            return new Request("POST", "/api/runs/" + plannedRun() + "/events", List.of(
                    map("type", "STARTED", "at", hourAgo.minus(Duration.ofHours(1)).toString()),
                    map("type", "FINISHED", "at", hourAgo.toString(), "gpuHours", 1)));
        });
        row("GET /api/budget", Rights.RESEARCHER, 200, false, () -> {
            ensurePeriod();
            return get("/api/budget");
        });
        row("PUT /api/budget", Rights.LEAD, 200, true,
                () -> new Request("PUT", "/api/budget", map("gpuHours", 100_000 + SEQUENCE.incrementAndGet())));
        // The page: its document is open (it signs in itself); signing in exchanges a token for a session cookie.
        row("GET /", Rights.OPEN, 200, false, () -> get("/"));
        row("POST /api/session", Rights.OPEN, 200, false, () -> new Request("POST", "/api/session",
                map("token", tokens().create("mx-page-" + SEQUENCE.incrementAndGet(), "researcher", List.of(OWN_TEAM), Duration.ofHours(1),
                        null).token())));
        row("GET /api/session", Rights.OPEN, 200, false, () -> get("/api/session"));
        row("DELETE /api/session", Rights.OPEN, 204, false, () -> new Request("DELETE", "/api/session", null));
    }

    private static void row(String endpoint, Rights rights, int okStatus, boolean changes, Supplier<Request> prepare) {
        ROWS.put(endpoint, new Row(endpoint, rights, okStatus, changes, prepare));
    }

    static Stream<Arguments> cells() {
        return ROWS.keySet().stream().flatMap(endpoint -> Stream.of(Who.values()).map(who -> Arguments.of(endpoint, who)));
    }

    /** The status a caller must get: the row's own status where allowed, else 401 (no valid credentials) or 403. */
    static int expected(Row row, Who who) {
        boolean allowed = switch (who) {
            case NO_TOKEN -> row.rights() == Rights.OPEN;
            case EXPIRED, REVOKED -> false;
            case RESEARCHER_OF_OWNING_TEAM -> row.rights() == Rights.OPEN || row.rights() == Rights.RESEARCHER || row.rights() == Rights.OWNER;
            case RESEARCHER_OF_OTHER_TEAM -> row.rights() == Rights.OPEN || row.rights() == Rights.RESEARCHER;
            case LEAD -> row.rights() != Rights.ADMIN;
            case ADMIN -> true;
        };
        if (allowed) {
            return row.okStatus();
        }
        boolean signedIn = who != Who.NO_TOKEN && who != Who.EXPIRED && who != Who.REVOKED;
        return signedIn ? 403 : 401;
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("cells")
    void eachCallerGetsWhatTheRulesSay(String endpoint, Who who) {
        Row row = ROWS.get(endpoint);
        String token = who == Who.NO_TOKEN ? null : token(who); // made before the snapshot: making tokens is audited
        Request request = row.prepare().get();
        int expected = expected(row, who);
        String before = databaseState();
        long auditBefore = auditRows();

        Response response = send(request, token);

        assertThat(response.statusCode()).as("%s as %s: %s", endpoint, who, response.body().asString()).isEqualTo(expected);
        long auditAfter = auditRows();
        if (expected == row.okStatus() && row.changes()) {
            assertThat(auditAfter - auditBefore).as("audit rows written by an allowed change").isEqualTo(1);
        } else {
            assertThat(auditAfter).as("audit rows after %s", expected >= 400 ? "a refusal" : "a read").isEqualTo(auditBefore);
        }
        if (expected == 401 || expected == 403) {
            assertThat(databaseState()).as("database after a refused %s", endpoint).isEqualTo(before);
            assertThat(response.body().asString()).as("a refusal gives nothing away about tokens").doesNotContain("gpt_");
        }
    }

    /**
     * The matrix covers every endpoint the service has: each operation of the OpenAPI document has a row (a row
     * name may add a variant in parentheses, such as a batch). A new endpoint without a row fails here.
     */
    @Test
    void everyEndpointOfTheServiceHasARow() {
        JsonPath document = given().noFiltersOfType(TestTokens.DefaultToken.class).accept(ContentType.JSON)
                .when().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        Map<String, Map<String, Object>> paths = document.getMap("paths");
        Set<String> operations = new TreeSet<>();
        paths.forEach((path, methods) -> methods.keySet().stream()
                .filter(m -> Set.of("get", "put", "post", "delete", "patch", "head", "options").contains(m))
                .forEach(m -> operations.add(m.toUpperCase(Locale.ROOT) + " " + path)));
        operations.removeIf(op -> op.contains(" /test-only/")); // a test's own failing endpoint, not part of the service
        Set<String> covered = new TreeSet<>();
        ROWS.keySet().forEach(name -> covered.add(name.replaceFirst(" \\(.*\\)$", "")));
        assertThat(operations).as("operations of the OpenAPI document").isNotEmpty();
        assertThat(covered).as("endpoints with a row in the matrix").containsAll(operations);
    }

    /**
     * An Idempotency-Key belongs to its caller: another caller's request with the same key is a request of its own
     * (checked against that caller's rights), never a replay of the first caller's answer, and never refused for
     * reusing a key that someone else used.
     */
    @Test
    void anIdempotencyKeyIsItsCallersOwn() {
        String key = "mx-idem-" + SEQUENCE.incrementAndGet();
        Map<String, Object> body = proposal(key, OWN_TEAM, 1, 1, 5);
        String owner = TestTokens.bearer(token(Who.RESEARCHER_OF_OWNING_TEAM));
        String stranger = TestTokens.bearer(token(Who.RESEARCHER_OF_OTHER_TEAM));

        given().header("Authorization", owner).header("Idempotency-Key", key).contentType(ContentType.JSON).body(body)
                .when().post("/api/proposals").then().statusCode(201);
        String before = databaseState();
        given().header("Authorization", stranger).header("Idempotency-Key", key).contentType(ContentType.JSON).body(body)
                .when().post("/api/proposals").then().statusCode(403);
        assertThat(databaseState()).as("after a stranger's request with the owner's key").isEqualTo(before);
        given().header("Authorization", owner).header("Idempotency-Key", key).contentType(ContentType.JSON).body(body)
                .when().post("/api/proposals").then().statusCode(201); // the owner's retry: the first answer again
        assertThat(databaseState()).as("after the owner's retry").isEqualTo(before);
        given().header("Authorization", stranger).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body(proposal(key + "-theirs", OTHER_TEAM, 1, 1, 5)).when().post("/api/proposals").then().statusCode(201);
    }

    /** Work a cell started with a long time limit is stopped, so it does not hold a solver thread for the next cells. */
    @AfterEach
    void stopWhatACellLeftRunning() {
        synchronized (LEFT_RUNNING) {
            LEFT_RUNNING.forEach(path -> given().when().delete(path));
            LEFT_RUNNING.clear();
        }
    }

    // ---------------------------------------------------------------- callers

    private static ArcContainer callersMadeIn;
    private static final Map<Who, String> TOKENS = new EnumMap<>(Who.class);

    private static synchronized String token(Who who) {
        if (callersMadeIn != Arc.container()) {
            TOKENS.clear();
            Duration day = Duration.ofDays(1);
            TOKENS.put(Who.RESEARCHER_OF_OWNING_TEAM, tokens().create(OWN_RESEARCHER, "researcher", List.of(OWN_TEAM), day, null).token());
            TOKENS.put(Who.RESEARCHER_OF_OTHER_TEAM, tokens().create("mx-stranger", "researcher", List.of(OTHER_TEAM), day, null).token());
            TOKENS.put(Who.LEAD, tokens().create("mx-lead", "lead", List.of(), day, null).token());
            TOKENS.put(Who.ADMIN, tokens().create("mx-admin", "admin", List.of(), day, null).token());
            ApiTokens.Issued expired = tokens().create("mx-expired", "admin", List.of(), day, null);
            QuarkusTransaction.requiringNew().run(() -> ApiTokenEntity.update("expiresAt = ?1 where id = ?2",
                    Instant.now().minusSeconds(60), expired.info().id()));
            TOKENS.put(Who.EXPIRED, expired.token());
            ApiTokens.Issued revoked = tokens().create("mx-revoked", "admin", List.of(), day, null);
            tokens().revoke(revoked.info().id());
            TOKENS.put(Who.REVOKED, revoked.token());
            callersMadeIn = Arc.container();
        }
        return TOKENS.get(who);
    }

    private static Response send(Request request, String token) {
        RequestSpecification spec = given().noFiltersOfType(TestTokens.DefaultToken.class);
        if (token != null) {
            spec = spec.header("Authorization", TestTokens.bearer(token));
        }
        if (request.body() != null) {
            spec = spec.contentType(ContentType.JSON).body(request.body());
        }
        return spec.when().request(request.method(), request.path());
    }

    // ---------------------------------------------------------------- fixtures (made as the default lead)

    private static Request get(String path) {
        return new Request("GET", path, null);
    }

    /** A new proposal of the owning team, stored for this cell. */
    private static String storedProposal() {
        String key = "mx-p-" + SEQUENCE.incrementAndGet();
        Api.postProposals(proposal(key, OWN_TEAM, 1, 1, 5));
        return key;
    }

    private static Map<String, Object> planBody() {
        return map("budgetGpuHours", 100, "timeLimitSeconds", 1, "portfolio", Api.yamlAsJson(Api.smallExampleYaml()));
    }

    /** A plan submitted by the researcher of the owning team (who may stop it). */
    private static String researchersPlan() {
        return given().header("Authorization", TestTokens.bearer(token(Who.RESEARCHER_OF_OWNING_TEAM)))
                .contentType(ContentType.JSON).body(planBody())
                .when().post("/api/plans").then().statusCode(202).extract().jsonPath().getString("id");
    }

    private static String solvedPlan;

    /** One solved plan, shared by the explain cells (explain needs a finished plan). */
    private static synchronized String solvedPlan() {
        if (solvedPlan == null || given().when().get("/api/plans/" + solvedPlan).statusCode() != 200) {
            solvedPlan = Api.postPlan(planBody());
            Api.awaitSolved(solvedPlan);
        }
        return solvedPlan;
    }

    private static final List<String> LEFT_RUNNING = new ArrayList<>();

    /** A frontier with points still to solve, submitted by the researcher of the owning team (who may cancel it). */
    private static String researchersRunningFrontier() {
        String id = given().header("Authorization", TestTokens.bearer(token(Who.RESEARCHER_OF_OWNING_TEAM))).contentType(ContentType.JSON)
                .body(map("budgets", List.of(100, 200, 300), "timeLimitSeconds", 30, "portfolio", Api.yamlAsJson(Api.smallExampleYaml())))
                .when().post("/api/frontiers").then().statusCode(202).extract().jsonPath().getString("id");
        synchronized (LEFT_RUNNING) {
            LEFT_RUNNING.add("/api/frontiers/" + id);
        }
        return id;
    }

    private static ArcContainer fixturesMadeIn;
    private static String sharedFrontier;
    private static String commitA;
    private static String commitB;
    private static String runsPlan;
    private static List<String> runKeys = List.of();
    private static int nextRunKey;

    /** Fixtures below live in one running service; a restarted service (such as the PostgreSQL run) makes its own. */
    private static void forgetFixturesOfAnotherService() {
        if (fixturesMadeIn != Arc.container()) {
            sharedFrontier = null;
            commitA = null;
            commitB = null;
            runsPlan = null;
            runKeys = List.of();
            fixturesMadeIn = Arc.container();
        }
    }

    private static synchronized String sharedFrontier() {
        forgetFixturesOfAnotherService();
        if (sharedFrontier == null) {
            sharedFrontier = given().contentType(ContentType.JSON)
                    .body(map("budgets", List.of(100), "timeLimitSeconds", 1, "portfolio", Api.yamlAsJson(Api.smallExampleYaml())))
                    .when().post("/api/frontiers").then().statusCode(202).extract().jsonPath().getString("id");
        }
        return sharedFrontier;
    }

    /** A solved plan of the owning team's stored proposals {@code keys}. */
    private static String solvedPlanOf(List<Map<String, Object>> proposals) {
        Api.ensureCluster();
        Api.postProposals(proposals);
        List<String> keys = proposals.stream().map(p -> (String) p.get("key")).toList();
        String id = Api.postPlan(map("budgetGpuHours", 10_000, "timeLimitSeconds", 1, "proposals", keys));
        assertThat(Api.awaitSolved(id).assignments()).as("every proposal of the fixture plan is placed").hasSize(keys.size());
        return id;
    }

    /**
     * A solved plan whose commit changes something: two plans of one proposal each take turns. Plan A is committed
     * here (as the default lead), so committing B creates B's run (a new attempt after A's commit cancelled the last).
     */
    private static synchronized String uncommittedPlan() {
        forgetFixturesOfAnotherService();
        if (commitA == null) {
            String prefix = "mx-commit-" + SEQUENCE.incrementAndGet();
            commitA = solvedPlanOf(List.of(proposal(prefix + "-a", OWN_TEAM, 1, 1, 5)));
            commitB = solvedPlanOf(List.of(proposal(prefix + "-b", OWN_TEAM, 1, 1, 5)));
        }
        given().when().post("/api/plans/" + commitA + "/commit").then().statusCode(200);
        return commitB;
    }

    /**
     * A proposal of the owning team whose latest run is PLANNED and has no event yet. A committed plan of several such
     * proposals serves many cells; a commit in between (the commit row) cancels its runs, so it is committed again.
     */
    private static synchronized String plannedRun() {
        forgetFixturesOfAnotherService();
        if (nextRunKey >= runKeys.size()) {
            String prefix = "mx-run-" + SEQUENCE.incrementAndGet() + "-";
            List<Map<String, Object>> proposals = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                proposals.add(proposal(prefix + i, OWN_TEAM, 1, 1, 5));
            }
            runsPlan = solvedPlanOf(proposals);
            runKeys = proposals.stream().map(p -> (String) p.get("key")).toList();
            nextRunKey = 0;
        }
        String key = runKeys.get(nextRunKey++);
        Response attempts = given().when().get("/api/runs/" + key);
        if (attempts.statusCode() != 200 || !"PLANNED".equals(attempts.jsonPath().getString("[-1].status"))) {
            given().when().post("/api/plans/" + runsPlan + "/commit").then().statusCode(200);
        }
        given().when().get("/api/runs/" + key).then().statusCode(200).body("[-1].status", equalTo("PLANNED"));
        return key;
    }

    /** A budget for the planning period, so the ledger can be read. */
    private static void ensurePeriod() {
        if (given().when().get("/api/budget").statusCode() == 404) {
            given().contentType(ContentType.JSON).body(map("gpuHours", 100_000)).when().put("/api/budget").then().statusCode(200);
        }
    }

    /**
     * A replan of one new proposal of the owning team: it needs a horizon that holds now (the shared one starts on a
     * fixed day) and a budget for the period. The shared horizon comes back with the next row that stores one.
     */
    private static Map<String, Object> replanBody() {
        Instant standard = Instant.parse(Api.HORIZON_START);
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        Instant start = today.isBefore(standard) ? today : standard;
        long days = Duration.between(start, today).toDays() + 3;
        Api.ensurePools();
        given().contentType(ContentType.JSON).body(map("start", start.toString(), "days", days, "slotMinutes", 60))
                .when().put("/api/horizon").then().statusCode(200);
        ensurePeriod();
        String key = "mx-replan-" + SEQUENCE.incrementAndGet();
        Api.postProposals(proposal(key, OWN_TEAM, 1, 1, 5));
        return map("replan", true, "budgetGpuHours", 1000, "timeLimitSeconds", 1, "proposals", List.of(key));
    }

    private static ApiTokens tokens() {
        return Arc.container().instance(ApiTokens.class).get();
    }

    // ---------------------------------------------------------------- what must not change on a refusal

    private static long auditRows() {
        return QuarkusTransaction.requiringNew().call(() -> AuditEntryEntity.count());
    }

    /**
     * Everything a request could change, as text: stored proposals, pools, horizon, plan and frontier ids, tokens,
     * runs (with their event counts and placements), run events, the planning period, audit rows.
     */
    private static String databaseState() {
        CatalogService catalog = Arc.container().instance(CatalogService.class).get();
        return QuarkusTransaction.requiringNew().call(() -> {
            var em = AuditEntryEntity.getEntityManager();
            return String.join("\n",
                    catalog.storedProposals().toString(),
                    catalog.pools().toString(),
                    catalog.storedHorizon().toString(),
                    em.createQuery("select p.id from PlanEntity p order by p.id", String.class).getResultList().toString(),
                    em.createQuery("select f.id from FrontierEntity f order by f.id", String.class).getResultList().toString(),
                    em.createQuery("select t.id || ':' || coalesce(cast(t.revokedAt as string), '-') from ApiTokenEntity t order by t.id",
                            String.class).getResultList().toString(),
                    em.createQuery("select r.id || ':' || r.eventCount || ':' || coalesce(r.planId, '-') || ':' || coalesce(r.plannedPool, '-')"
                            + " from RunEntity r order by r.id", String.class).getResultList().toString(),
                    String.valueOf(RunEventEntity.count()),
                    em.createQuery("select cast(p.budgetGpuHours as string) || ':' || p.perTeam || ':' || coalesce(p.committedPlanId, '-')"
                            + " || ':' || coalesce(cast(p.start as string), '-') || ':' || coalesce(cast(p.end as string), '-')"
                            + " from PlanningPeriodEntity p", String.class).getResultList().toString(),
                    String.valueOf(AuditEntryEntity.count()));
        });
    }
}
