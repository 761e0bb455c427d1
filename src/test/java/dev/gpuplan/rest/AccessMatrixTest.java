package dev.gpuplan.rest;

import static dev.gpuplan.rest.Api.map;
import static dev.gpuplan.rest.Api.proposal;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gpuplan.access.ApiTokens;
import dev.gpuplan.access.TestTokens;
import dev.gpuplan.persistence.ApiTokenEntity;
import dev.gpuplan.persistence.AuditEntryEntity;
import dev.gpuplan.service.CatalogService;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Who may do what, cell by cell: every endpoint against every kind of caller, with the status each must get. Where a
 * request is refused, the database must be as it was (proposals, pools, horizon, plans, frontiers, tokens and the
 * audit trail); where a change is allowed it leaves exactly one audit row, and a read leaves none.
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
        row("GET /api/plans/{id}/explain/{key}", Rights.RESEARCHER, 404, false,
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

    private static ApiTokens tokens() {
        return Arc.container().instance(ApiTokens.class).get();
    }

    // ---------------------------------------------------------------- what must not change on a refusal

    private static long auditRows() {
        return QuarkusTransaction.requiringNew().call(() -> AuditEntryEntity.count());
    }

    /** Everything a request could change, as text: stored proposals, pools, horizon, plan and frontier ids, tokens, audit rows. */
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
                    String.valueOf(AuditEntryEntity.count()));
        });
    }
}
