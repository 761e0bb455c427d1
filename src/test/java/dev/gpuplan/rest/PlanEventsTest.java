package dev.gpuplan.rest;

import static dev.gpuplan.rest.Api.map;
import static dev.gpuplan.rest.Api.postPlan;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gpuplan.access.TestTokens;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.PlanProgress;
import dev.gpuplan.input.Json;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** GET /api/plans/{id}/events: a plan's status changes and best scores as server-sent events, then its final totals. */
@QuarkusTest
class PlanEventsTest {

    record Event(String name, String id, String data) {
        PlanProgress progress() {
            return Json.read(data, PlanProgress.class);
        }
    }

    @TestHTTPResource("/")
    URL service;

    @Test
    void aSolvingPlanStreamsItsStatusAndBestScoresThenTheFinalTotals() {
        Map<String, Object> portfolio = Api.yamlAsJson(Api.smallExampleYaml());
        String id = postPlan(map("budgetGpuHours", 400, "timeLimitSeconds", 2, "portfolio", portfolio));

        Response response = given().accept("text/event-stream").when().get("/api/plans/{id}/events", id);

        response.then().statusCode(200).contentType("text/event-stream");
        List<Event> events = parse(response.asString());
        assertThat(events).isNotEmpty();
        Event last = events.get(events.size() - 1);
        assertThat(last.name()).isEqualTo("done");
        PlanProgress done = last.progress();
        assertThat(done.id()).isEqualTo(id);
        assertThat(done.status()).isEqualTo(Plan.Status.SOLVED);
        assertThat(done.feasible()).isTrue();
        assertThat(done.score()).isNotBlank();
        Plan plan = Api.plan(id);
        assertThat(done.totals()).isEqualTo(plan.totals());
        assertThat(done.totals().selected()).isPositive();
        assertThat(events.subList(0, events.size() - 1)).extracting(Event::name).allMatch(n -> n.equals("status") || n.equals("best"));
        assertThat(events).extracting(e -> Long.parseLong(e.id())).isSorted().doesNotHaveDuplicates();
        for (Event e : events) {
            if (e.name().equals("best")) {
                assertThat(e.progress().status()).isEqualTo(Plan.Status.SOLVING);
                assertThat(e.progress().score()).isNotBlank();
            }
        }
    }

    @Test
    void aFinishedPlanAnswersWithDoneAtOnce() {
        Map<String, Object> portfolio = Api.yamlAsJson(Api.smallExampleYaml());
        String id = postPlan(map("budgetGpuHours", 400, "timeLimitSeconds", 1, "portfolio", portfolio));
        Plan plan = Api.awaitSolved(id);

        List<Event> events = parse(given().accept("text/event-stream").when().get("/api/plans/{id}/events", id)
                .then().statusCode(200).extract().asString());

        assertThat(events).extracting(Event::name).containsExactly("done");
        assertThat(events.get(0).progress().totals()).isEqualTo(plan.totals());
        assertThat(events.get(0).progress().violations()).isEqualTo(plan.violations());
    }

    @Test
    void anUnknownPlanIs404ProblemJson() {
        Api.assertProblem(given().accept("text/event-stream").when().get("/api/plans/{id}/events", "no-such-plan"), 404, null);
    }

    /** Progress is the plan's, and reading a plan takes a signed-in caller. */
    @Test
    void aCallerWithoutCredentialsGets401() {
        String id = postPlan(map("budgetGpuHours", 400, "timeLimitSeconds", 1, "portfolio", Api.yamlAsJson(Api.smallExampleYaml())));
        given().noFiltersOfType(dev.gpuplan.access.TestTokens.DefaultToken.class).accept("text/event-stream")
                .when().get("/api/plans/{id}/events", id)
                .then().statusCode(401);
    }

    /**
     * A listener that hangs up early does not stop the plan nor break the stream for others: the plan goes on to
     * SOLVED and a second listener still gets its {@code done}.
     */
    @Test
    void aListenerThatHangsUpDoesNotDisturbThePlanOrOtherListeners() throws Exception {
        Map<String, Object> portfolio = Api.yamlAsJson(Api.smallExampleYaml());
        String id = postPlan(map("budgetGpuHours", 400, "timeLimitSeconds", 3, "portfolio", portfolio));
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(service + "api/plans/" + id + "/events"))
                .header("Accept", "text/event-stream").header("Authorization", TestTokens.bearer(TestTokens.lead())) // plain HTTP: no REST Assured filter
                .timeout(Duration.ofSeconds(60)).build();
        HttpResponse<InputStream> first = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(first.statusCode()).isEqualTo(200);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(first.body(), StandardCharsets.UTF_8))) {
            String line = reader.readLine();
            assertThat(line).matches("(id|event|data):.*");
        } // closed after the first event: the stream is cancelled at the next write

        List<Event> events = parse(given().accept("text/event-stream").when().get("/api/plans/{id}/events", id)
                .then().statusCode(200).extract().asString());
        assertThat(events.get(events.size() - 1).name()).isEqualTo("done");
        assertThat(events.get(events.size() - 1).progress().status()).isEqualTo(Plan.Status.SOLVED);
    }

    /** Server-sent events as the HTML standard reads them: fields up to a blank line; comment lines start with ':'. */
    static List<Event> parse(String body) {
        List<Event> events = new ArrayList<>();
        String name = "message";
        String id = null;
        StringBuilder data = new StringBuilder();
        for (String line : body.split("\r?\n", -1)) {
            if (line.isEmpty()) {
                if (data.length() > 0) {
                    events.add(new Event(name, id, data.toString()));
                }
                name = "message";
                data.setLength(0);
            } else if (line.startsWith(":")) {
                continue;
            } else {
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                switch (field) {
                    case "event" -> name = value;
                    case "id" -> id = value;
                    case "data" -> data.append(data.length() > 0 ? "\n" : "").append(value);
                    default -> { }
                }
            }
        }
        return events;
    }
}
