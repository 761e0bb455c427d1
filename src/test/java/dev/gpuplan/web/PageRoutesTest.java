package dev.gpuplan.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The page and its deep links are served by the service itself, with every script and style it loads; the API's
 * own paths are not taken over by the page.
 */
@QuarkusTest
class PageRoutesTest {

    @ParameterizedTest
    @ValueSource(strings = {"/", "/plans/some-plan", "/plans/a/diff/b", "/frontiers", "/frontiers/some-frontier", "/frontiers/f/points/4000", "/diff", "/runs"})
    void everyViewAddressServesThePage(String path) {
        given().get(path).then().statusCode(200).contentType(startsWith("text/html")).body(containsString("id=\"main\""));
    }

    @Test
    void everyAssetThePageLoadsIsServedByTheServiceItself() {
        String html = given().get("/").then().statusCode(200).extract().asString();
        Matcher assets = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(html);
        int scripts = 0;
        while (assets.find()) {
            String asset = assets.group(1);
            if (asset.startsWith("#") || !asset.contains(".")) {
                continue;
            }
            assertThat(asset).as("no asset from another host").startsWith("/");
            given().get(asset).then().statusCode(200);
            if (asset.endsWith(".js")) {
                scripts++;
            }
        }
        assertThat(scripts).isPositive();
    }

    @Test
    void apiPathsStayTheApis() {
        given().get("/api/plans/no-such-plan").then().statusCode(404).contentType(startsWith("application/problem+json"));
    }
}
