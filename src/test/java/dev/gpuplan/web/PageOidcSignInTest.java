package dev.gpuplan.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.gpuplan.access.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.smallrye.jwt.build.Jwt;

/**
 * Signing the page in through an OIDC provider, in a real Chromium: Quarkus' OIDC test server (a WireMock emulation of
 * a provider with a login form, an authorization endpoint and a token endpoint) stands in for the lab's provider. The
 * tenant is hybrid: bearer tokens keep working for the API, which keeps answering 401 (never a redirect) without
 * credentials; the page's "sign in with" link runs the authorization code flow and comes back to the address asked
 * for, signed in as the provider's user; a change made with that session needs the CSRF header like the token
 * session's. The token form stays on the sign-in page.
 */
@QuarkusTest
@TestProfile(PageOidcSignInTest.PageSignInThroughOidc.class)
class PageOidcSignInTest {

    static final String PROVIDER = "Lab SSO";

    public static class PageSignInThroughOidc implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("quarkus.datasource.jdbc.url", "jdbc:h2:mem:gpuplan-page-oidc;DB_CLOSE_DELAY=-1"),
                    Map.entry("gpuplan.data-dir", "target/test-data-page-oidc"),
                    Map.entry("quarkus.oidc.tenant-enabled", "true"),
                    Map.entry("quarkus.oidc.application-type", "hybrid"),
                    Map.entry("quarkus.oidc.auth-server-url", "${keycloak.url}/realms/quarkus"),
                    Map.entry("quarkus.oidc.client-id", "quarkus-app"),
                    Map.entry("quarkus.oidc.credentials.secret", "secret"),
                    // The test server signs its ID tokens as another issuer than its discovery document names.
                    Map.entry("quarkus.oidc.token.issuer", "any"),
                    Map.entry("gpuplan.page.oidc-sign-in", "true"),
                    Map.entry("gpuplan.page.oidc-provider-name", PROVIDER),
                    // The test server's users carry their roles in "groups" (alice: admin and user).
                    Map.entry("gpuplan.access.oidc.role-claim", "groups"));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OidcWiremockTestResource.class));
        }
    }

    static Chromium browser;

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void startBrowser() throws IOException {
        browser = Chromium.start();
        Files.createDirectories(PageBrowserTest.SCREENSHOTS);
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void theApiStaysABearerApiBesideThePagesSignIn() {
        given().noFiltersOfType(TestTokens.DefaultToken.class).redirects().follow(false)
                .get("/api/me").then().statusCode(401);
        given().noFiltersOfType(TestTokens.DefaultToken.class).get("/api/session").then().statusCode(200)
                .body("token", equalTo(true)).body("oidc.provider", equalTo(PROVIDER)).body("oidc.path", equalTo("/signin/oidc"));
        String jwt = Jwt.claims().issuer("https://server.example.com").audience("quarkus-app").subject("sub-bea")
                .claim("preferred_username", "bea").claim("groups", List.of("researcher"))
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(300)).jws().keyId("1").sign();
        given().header("Authorization", "Bearer " + jwt).get("/api/me").then().statusCode(200).body("user", equalTo("bea"));
        given().get("/api/me").then().statusCode(200).body("user", equalTo(TestTokens.DEFAULT_USER));
    }

    @Test
    void thePageSignsInThroughTheProviderAndItsChangesNeedTheCsrfHeader() {
        var driver = browser.driver;
        driver.get(base.toString().replaceAll("/$", "") + "/runs");
        WebElement link = new WebDriverWait(driver, Duration.ofSeconds(30))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("oidc-link")));
        assertThat(link.getText()).isEqualTo("Sign in with " + PROVIDER);
        assertThat(driver.findElements(By.id("sign-in"))).as("the token form stays").hasSize(1);
        screenshot("sign-in-oidc");
        link.click();

        // The provider's own login form, then back to the page, at the address first asked for.
        WebElement user = new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        user.sendKeys("alice");
        driver.findElement(By.id("password")).sendKeys("alice");
        driver.findElement(By.id("login")).click();
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "alice"));
        assertThat(driver.getCurrentUrl()).endsWith("/runs");
        Cookie session = driver.manage().getCookieNamed("q_session");
        assertThat(session).as("the provider's session cookie").isNotNull();
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(driver.manage().getCookieNamed("gpuplan-csrf")).as("the CSRF cookie set on the way back").isNotNull();

        // The API answers the page as alice; a change made with the session and without the header is refused.
        assertThat(fetch("GET", "/api/me", false)).startsWith("200 ").contains("\"user\":\"alice\"");
        String withoutHeader = fetch("PUT", "/api/proposals/page-oidc-a", false);
        assertThat(withoutHeader).startsWith("401 ");
        String withHeader = fetch("PUT", "/api/proposals/page-oidc-a", true);
        assertThat(withHeader).as("the same change with the header").startsWith("20");
        given().get("/api/proposals/page-oidc-a").then().statusCode(200).body("team", equalTo("page-oidc"));
        given().get("/api/audit?entity=proposal/page-oidc-a").then().statusCode(200).body("[0].actor", equalTo("alice"));

        // Signing out ends the provider's session in this browser: the API no longer knows it.
        driver.findElement(By.id("sign-out")).click();
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.urlContains("/signin"));
        assertThat(driver.manage().getCookieNamed("q_session")).isNull();
        assertThat(fetch("GET", "/api/me", false)).startsWith("401 ");
    }

    /** A request from the page's own origin with its cookies: "status body". */
    String fetch(String method, String path, boolean csrfHeader) {
        String script = """
                const [method, path, withHeader, done] = arguments;
                const csrf = (document.cookie.split(';').map(c => c.trim()).find(c => c.startsWith('gpuplan-csrf=')) || '').substring(13);
                const headers = { 'Accept': 'application/json' };
                let body;
                if (method !== 'GET') {
                  headers['Content-Type'] = 'application/json';
                  body = JSON.stringify({ key: 'page-oidc-a', team: 'page-oidc', value: 5, gpus: 1, hours: 2 });
                }
                if (withHeader) headers['X-CSRF-Token'] = decodeURIComponent(csrf);
                fetch(path, { method, headers, body, credentials: 'same-origin', redirect: 'manual' })
                  .then(r => r.text().then(t => done(r.status + ' ' + t)))
                  .catch(e => done('error ' + e));
                """;
        return (String) ((JavascriptExecutor) browser.driver).executeAsyncScript(script, method, path, csrfHeader);
    }

    void screenshot(String name) {
        try {
            Path shot = ((TakesScreenshot) browser.driver).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, PageBrowserTest.SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException("could not save the screenshot " + name, e);
        }
    }
}
