package dev.gpuplan.access;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * OIDC bearer tokens, checked against Quarkus' OIDC test server (a WireMock emulation of an OIDC provider: discovery
 * document and signing keys): user, teams and role come from configurable claims; a token of another issuer, for
 * another audience, or expired is refused with 401. Personal API tokens keep working beside OIDC.
 */
@QuarkusTest
@TestProfile(OidcAccessTest.OidcOn.class)
class OidcAccessTest {

    static final String ISSUER = "https://idp.lab.example";
    static final String AUDIENCE = "gpuplan";

    public static class OidcOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.datasource.jdbc.url", "jdbc:h2:mem:gpuplan-oidc;DB_CLOSE_DELAY=-1",
                    "gpuplan.data-dir", "target/test-data-oidc",
                    "quarkus.oidc.tenant-enabled", "true",
                    "quarkus.oidc.auth-server-url", "${keycloak.url}/realms/quarkus",
                    "quarkus.oidc.token.issuer", ISSUER,
                    "quarkus.oidc.token.audience", AUDIENCE,
                    "gpuplan.access.oidc.team-claim", "groups_teams",
                    "gpuplan.access.oidc.role-claim", "lab_role");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OidcWiremockTestResource.class));
        }
    }

    private static JwtClaimsBuilder claims(String user) {
        return Jwt.claims().issuer(ISSUER).audience(AUDIENCE).subject("sub-" + user).claim("preferred_username", user)
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(300));
    }

    private static String bearer(JwtClaimsBuilder claims) {
        return "Bearer " + claims.jws().keyId("1").sign();
    }

    private static Map<String, Object> proposal(String key, String team) {
        return Map.of("key", key, "team", team, "value", 5, "gpus", 1, "hours", 1);
    }

    @Test
    void aResearcherTokenWithTeamsActsForThoseTeams() {
        String researcher = bearer(claims("olga").claim("groups_teams", List.of("oidc-vision")).claim("lab_role", "researcher"));

        given().header("Authorization", researcher).when().get("/api/me").then().statusCode(200)
                .body("user", equalTo("olga")).body("roles", contains("researcher")).body("teams", contains("oidc-vision"));
        given().header("Authorization", researcher).when().get("/api/proposals").then().statusCode(200);
        given().header("Authorization", researcher).contentType(ContentType.JSON).body(proposal("oidc-own", "oidc-vision"))
                .when().post("/api/proposals").then().statusCode(201);
        given().header("Authorization", researcher).contentType(ContentType.JSON).body(proposal("oidc-foreign", "oidc-speech"))
                .when().post("/api/proposals").then().statusCode(403);
        given().header("Authorization", researcher).contentType(ContentType.JSON).body(List.of())
                .when().put("/api/pools").then().statusCode(403);
        given().when().get("/api/audit?entity=proposal/oidc-own").then().statusCode(200).body("actor", contains("olga"));
    }

    @Test
    void aTokenWithoutTheTeamClaimReadsButChangesNoTeam() {
        String noTeams = bearer(claims("pat").claim("lab_role", "researcher"));

        given().header("Authorization", noTeams).when().get("/api/me").then().statusCode(200).body("teams", empty());
        given().header("Authorization", noTeams).when().get("/api/plans").then().statusCode(200);
        given().header("Authorization", noTeams).contentType(ContentType.JSON).body(proposal("oidc-no-team", "oidc-vision"))
                .when().post("/api/proposals").then().statusCode(403);
        given().when().get("/api/proposals/oidc-no-team").then().statusCode(404);
    }

    @Test
    void aTokenWithoutARoleIsSignedInButMayDoNothing() {
        String noRole = bearer(claims("quinn").claim("groups_teams", List.of("oidc-vision")).claim("groups", List.of("admin", "lead")));

        given().header("Authorization", noRole).when().get("/api/me").then().statusCode(200).body("roles", empty());
        given().header("Authorization", noRole).when().get("/api/proposals").then().statusCode(403);
    }

    @Test
    void aLeadTokenSetsPoolsAndReadsTheAuditTrail() {
        String lead = bearer(claims("lena").claim("lab_role", List.of("researcher", "lead")));

        given().header("Authorization", lead).when().get("/api/audit").then().statusCode(200);
        given().header("Authorization", lead).when().get("/api/tokens").then().statusCode(403);
    }

    @Test
    void wrongIssuerWrongAudienceAndExpiredTokensAre401() {
        String wrongIssuer = bearer(claims("mallory").issuer("https://elsewhere.example").claim("lab_role", "admin"));
        String wrongAudience = bearer(claims("mallory").audience("another-service").claim("lab_role", "admin"));
        String expired = bearer(claims("mallory").claim("lab_role", "admin")
                .issuedAt(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(3600)));
        String unsigned = "Bearer " + claims("mallory").claim("lab_role", "admin").jws().keyId("1").sign().replaceAll("\\.[^.]*$", ".c2lnbmF0dXJl");

        for (String token : List.of(wrongIssuer, wrongAudience, expired, unsigned)) {
            given().header("Authorization", token).when().get("/api/proposals").then().statusCode(401);
            given().header("Authorization", token).contentType(ContentType.JSON).body(proposal("oidc-mallory", "oidc-vision"))
                    .when().post("/api/proposals").then().statusCode(401);
        }
        given().when().get("/api/proposals/oidc-mallory").then().statusCode(404);
    }

    @Test
    void personalApiTokensWorkBesideOidc() {
        String researcher = TestTokens.create("oidc-side-by-side", Roles.RESEARCHER, List.of("oidc-vision"), java.time.Duration.ofHours(1));

        given().header("Authorization", TestTokens.bearer(researcher)).when().get("/api/me").then().statusCode(200)
                .body("user", equalTo("oidc-side-by-side"));
        given().header("Authorization", "Bearer gpt_not-a-real-token").when().get("/api/me").then().statusCode(401);
    }
}
