package dev.gpuplan.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gpuplan.access.Roles;
import dev.gpuplan.access.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.http.Cookie;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The page's sign-in: a personal token exchanged for an HttpOnly, SameSite=Strict session cookie that carries the
 * token's rights and no more, with a CSRF header required on every change made with it.
 */
@QuarkusTest
class SessionResourceTest {

    private static RequestSpecification anonymous() {
        return given().noFiltersOfType(TestTokens.DefaultToken.class);
    }

    private static Response signIn(String token) {
        return anonymous().contentType(ContentType.JSON).body(Map.of("token", token)).post("/api/session");
    }

    @Test
    void aValidTokenGivesAnHttpOnlyStrictSessionCookieAndACsrfCookie() {
        String token = TestTokens.create("session-researcher", Roles.RESEARCHER, List.of("session-team"), Duration.ofHours(1));
        Response response = signIn(token);
        response.then().statusCode(200);
        assertThat(response.jsonPath().getString("user")).isEqualTo("session-researcher");
        Cookie session = response.getDetailedCookie(SessionCookieMechanism.SESSION_COOKIE);
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualToIgnoringCase("Strict");
        assertThat(session.getPath()).isEqualTo("/");
        Cookie csrf = response.getDetailedCookie(SessionCookieMechanism.CSRF_COOKIE);
        assertThat(csrf.isHttpOnly()).isFalse();
        assertThat(csrf.getSameSite()).isEqualToIgnoringCase("Strict");
        assertThat(csrf.getValue()).hasSizeGreaterThanOrEqualTo(40);
    }

    @Test
    void aWrongTokenIsABare401AndSetsNoCookie() {
        Response response = signIn("gpt_" + "x".repeat(43));
        response.then().statusCode(401);
        assertThat(response.getDetailedCookie(SessionCookieMechanism.SESSION_COOKIE)).isNull();
        anonymous().contentType(ContentType.JSON).body(Map.of()).post("/api/session").then().statusCode(400);
    }

    @Test
    void theCookieCarriesTheTokensRightsAndChangesNeedTheCsrfHeader() {
        String token = TestTokens.create("session-researcher-2", Roles.RESEARCHER, List.of("session-team"), Duration.ofHours(1));
        Response signedIn = signIn(token);
        String session = signedIn.getCookie(SessionCookieMechanism.SESSION_COOKIE);
        String csrf = signedIn.getCookie(SessionCookieMechanism.CSRF_COOKIE);

        // Reads: the cookie alone is enough; the rights are the researcher's (the audit trail is for leads).
        anonymous().cookie(SessionCookieMechanism.SESSION_COOKIE, session).get("/api/plans").then().statusCode(200);
        anonymous().cookie(SessionCookieMechanism.SESSION_COOKIE, session).get("/api/me").then().statusCode(200)
                .body("user", org.hamcrest.Matchers.equalTo("session-researcher-2"));
        anonymous().cookie(SessionCookieMechanism.SESSION_COOKIE, session).get("/api/audit").then().statusCode(403);
        anonymous().get("/api/plans").then().statusCode(401);

        // Changes: without the header, or with another value, refused; with the cookie's value, done.
        Map<String, Object> body = Map.of("budgetGpuHours", 100, "timeLimitSeconds", 1, "portfolio",
                dev.gpuplan.input.Json.read(dev.gpuplan.input.Json.write(
                        dev.gpuplan.input.PortfolioReader.read(java.nio.file.Path.of("planning-configs/examples/small.yaml"))), Map.class));
        anonymous().cookie(SessionCookieMechanism.SESSION_COOKIE, session).cookie(SessionCookieMechanism.CSRF_COOKIE, csrf)
                .contentType(ContentType.JSON).body(body).post("/api/plans").then().statusCode(401);
        anonymous().cookie(SessionCookieMechanism.SESSION_COOKIE, session).cookie(SessionCookieMechanism.CSRF_COOKIE, csrf)
                .header(SessionCookieMechanism.CSRF_HEADER, csrf + "x")
                .contentType(ContentType.JSON).body(body).post("/api/plans").then().statusCode(401);
        anonymous().cookie(SessionCookieMechanism.SESSION_COOKIE, session).cookie(SessionCookieMechanism.CSRF_COOKIE, csrf)
                .header(SessionCookieMechanism.CSRF_HEADER, csrf)
                .contentType(ContentType.JSON).body(body).post("/api/plans").then().statusCode(202);
    }

    @Test
    void signingOutClearsBothCookies() {
        Response response = anonymous().delete("/api/session");
        response.then().statusCode(204);
        assertThat(response.getDetailedCookie(SessionCookieMechanism.SESSION_COOKIE).getMaxAge()).isZero();
        assertThat(response.getDetailedCookie(SessionCookieMechanism.CSRF_COOKIE).getMaxAge()).isZero();
    }
}
