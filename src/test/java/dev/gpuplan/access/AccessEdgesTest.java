package dev.gpuplan.access;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A service started on an empty database of its own, with its log written to a file: the first admin token, bad
 * Authorization headers, repeated failures from one source, and that no token ever reaches the log.
 */
@QuarkusTest
@TestProfile(AccessEdgesTest.FreshService.class)
class AccessEdgesTest {

    static final Path DATA_DIR = Path.of("target/test-data-edges");
    static final Path LOG = Path.of("target/test-data-edges/service.log");

    public static class FreshService implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                if (Files.exists(DATA_DIR)) {
                    try (var files = Files.walk(DATA_DIR)) {
                        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return Map.ofEntries(
                    Map.entry("quarkus.datasource.jdbc.url", "jdbc:h2:mem:gpuplan-edges;DB_CLOSE_DELAY=-1"),
                    Map.entry("gpuplan.data-dir", DATA_DIR.toString()),
                    Map.entry("quarkus.log.file.enabled", "true"),
                    Map.entry("quarkus.log.file.path", LOG.toString()),
                    Map.entry("quarkus.log.file.level", "ALL"),
                    Map.entry("quarkus.log.category.\"dev.gpuplan\".level", "DEBUG"),
                    Map.entry("quarkus.log.category.\"io.quarkus.security\".level", "DEBUG"),
                    Map.entry("quarkus.log.category.\"io.quarkus.vertx.http.runtime.security\".level", "DEBUG"),
                    Map.entry("gpuplan.access.failed-attempts.free", "3"),
                    Map.entry("gpuplan.access.failed-attempts.step", "20ms"),
                    Map.entry("gpuplan.access.failed-attempts.max-delay", "200ms"));
        }
    }

    private static final Pattern ANY_TOKEN = Pattern.compile("gpt_[A-Za-z0-9_-]{20,}");

    @Test
    void theFirstStartWritesAnAdminTokenForItsOwnerOnlyAndLogsWhereNotWhat() throws IOException {
        Path file = DATA_DIR.resolve("admin-token");
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String token = Files.readString(file, StandardCharsets.UTF_8).strip();
        assertThat(token).matches("gpt_[A-Za-z0-9_-]{43}");

        given().header("Authorization", "Bearer " + token).when().get("/api/me").then().statusCode(200)
                .body("user", equalTo("admin")).body("roles[0]", equalTo("researcher"));
        given().header("Authorization", "Bearer " + token).when().get("/api/tokens").then().statusCode(200)
                .body("find { it.id == 'first-admin' }.role", equalTo("admin"));

        String log = Files.readString(LOG, StandardCharsets.UTF_8);
        assertThat(log).contains(file.toAbsolutePath().toString()).doesNotContain(token);
    }

    @Test
    void badAuthorizationHeadersGetABare401() {
        List<String> headers = List.of(
                "Bearer",                                   // no token
                "Basic YWRtaW46YWRtaW4=",                   // another scheme
                "Bearer gpt_short",                         // our prefix, wrong shape
                "Bearer gpt_" + "A".repeat(43),             // right shape, no such token
                "Bearer not-a-token-at-all",                // not ours, OIDC off
                "Bearer gpt_" + "x".repeat(10_000),         // very long
                "Bearer gpt_" + "y".repeat(16 * 1024),      // 16 KB, still under the HTTP layer's header limit
                "Bearer gpt_" + "D".repeat(44),             // one character too many
                "Token gpt_" + "E".repeat(43),              // right token, unknown scheme
                "Bearer      ",                             // only spaces after the scheme
                "Bearer \u00e9\u00e8 gpt_",                  // not ASCII
                "bearer    " + "gpt_" + "B".repeat(43));    // odd spacing and case
        for (String header : headers) {
            Response response = given().noFiltersOfType(TestTokens.DefaultToken.class).header("Authorization", header)
                    .when().get("/api/proposals");
            assertThat(response.statusCode()).as(header.length() > 60 ? header.substring(0, 60) + "..." : header).isEqualTo(401);
            assertThat(response.body().asString()).as("a 401 explains nothing").isEmpty();
        }
        // The service keeps serving a valid caller.
        given().when().get("/api/proposals").then().statusCode(200);
    }

    @Test
    void aHeaderOverTheHttpLimitIsRefusedBeforeAnythingReadsItAndTheServiceGoesOn() {
        Response response = given().noFiltersOfType(TestTokens.DefaultToken.class)
                .header("Authorization", "Bearer gpt_" + "z".repeat(64 * 1024)).when().get("/api/proposals");
        assertThat(response.statusCode()).as("a 64 KB header").isEqualTo(431);
        assertThat(response.body().asString()).doesNotContain("zzzz");
        given().when().get("/api/proposals").then().statusCode(200);
    }

    @Test
    void wrongSessionCookiesAndPageSignInsCountAsFailedAttemptsToo() {
        double failuresBefore = metric("gpuplan_auth_failures_total");

        for (int i = 0; i < 3; i++) {
            given().noFiltersOfType(TestTokens.DefaultToken.class).cookie("gpuplan-session", "gpt_" + "F".repeat(43))
                    .when().get("/api/plans").then().statusCode(401);
            given().noFiltersOfType(TestTokens.DefaultToken.class).contentType(ContentType.JSON)
                    .body(Map.of("token", "gpt_" + "G".repeat(43))).when().post("/api/session").then().statusCode(401);
        }

        assertThat(metric("gpuplan_auth_failures_total") - failuresBefore).as("three wrong cookies and three wrong sign-ins").isEqualTo(6);
        // A good token still signs in from the same source.
        given().noFiltersOfType(TestTokens.DefaultToken.class).contentType(ContentType.JSON).body(Map.of("token", TestTokens.lead()))
                .when().post("/api/session").then().statusCode(200).body("user", equalTo(TestTokens.DEFAULT_USER));
    }

    @Test
    void repeatedFailuresFromOneSourceAreSlowedAndCounted() {
        double failuresBefore = metric("gpuplan_auth_failures_total");
        double delayedBefore = metric("gpuplan_auth_delayed_total");

        for (int i = 0; i < 8; i++) {
            given().noFiltersOfType(TestTokens.DefaultToken.class).header("Authorization", "Bearer gpt_" + "C".repeat(43))
                    .when().get("/api/plans").then().statusCode(401);
        }

        assertThat(metric("gpuplan_auth_failures_total") - failuresBefore).isEqualTo(8);
        assertThat(metric("gpuplan_auth_delayed_total") - delayedBefore).as("attempts after the free ones wait").isGreaterThanOrEqualTo(4);
        // Slowed down, not locked out: a valid token from the same source is still let in.
        given().when().get("/api/plans").then().statusCode(200);
    }

    @Test
    void noTokenEverReachesTheLog() throws IOException {
        String made = given().contentType(ContentType.JSON).header("Authorization", "Bearer " + adminToken())
                .body(Map.of("user", "log-probe", "role", "researcher", "teams", List.of("log-team"), "expires", "1h"))
                .when().post("/api/tokens").then().statusCode(201).extract().jsonPath().getString("token");
        String id = given().header("Authorization", "Bearer " + made).when().get("/api/me").then().statusCode(200)
                .extract().jsonPath().getString("user");
        assertThat(id).isEqualTo("log-probe");
        given().header("Authorization", "Bearer " + made).contentType(ContentType.JSON)
                .body(Map.of("key", "log-probe-p", "team", "another-team", "value", 1, "gpus", 1, "hours", 1))
                .when().post("/api/proposals").then().statusCode(403);
        given().header("Authorization", "Bearer " + made.substring(0, made.length() - 1) + "Z").when().get("/api/me").then().statusCode(401);
        String tokenId = given().header("Authorization", "Bearer " + adminToken()).when().get("/api/tokens").then().statusCode(200)
                .extract().jsonPath().getString("find { it.user == 'log-probe' }.id");
        given().header("Authorization", "Bearer " + adminToken()).when().delete("/api/tokens/" + tokenId).then().statusCode(200);
        given().header("Authorization", "Bearer " + made).when().get("/api/me").then().statusCode(401);
        // The page's ways in: a sign-in with a good and with a revoked token, a request with a session cookie.
        String page = TestTokens.create("log-page", Roles.RESEARCHER, List.of("log-team"), java.time.Duration.ofHours(1));
        given().noFiltersOfType(TestTokens.DefaultToken.class).contentType(ContentType.JSON).body(Map.of("token", page))
                .when().post("/api/session").then().statusCode(200);
        given().noFiltersOfType(TestTokens.DefaultToken.class).cookie("gpuplan-session", page).when().get("/api/me").then().statusCode(200);
        given().noFiltersOfType(TestTokens.DefaultToken.class).contentType(ContentType.JSON).body(Map.of("token", made))
                .when().post("/api/session").then().statusCode(401);

        String log = Files.readString(LOG, StandardCharsets.UTF_8);
        assertThat(log).as("the log of this service").isNotEmpty();
        Matcher anyToken = ANY_TOKEN.matcher(log);
        assertThat(anyToken.find()).as("a token in the log: %s", anyToken.find(0) ? anyToken.group() : "").isFalse();
        assertThat(log).doesNotContain(made.substring(4)).doesNotContain(ApiTokens.hash(made))
                .doesNotContain(page.substring(4)).doesNotContain(ApiTokens.hash(page));
    }

    private static String adminToken() throws IOException {
        return Files.readString(DATA_DIR.resolve("admin-token"), StandardCharsets.UTF_8).strip();
    }

    private static double metric(String name) {
        String text = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
