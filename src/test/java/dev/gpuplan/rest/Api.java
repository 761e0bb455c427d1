package dev.gpuplan.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.yaml.snakeyaml.Yaml;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.gpuplan.domain.Plan;
import dev.gpuplan.input.Json;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

/**
 * What the REST tests share: the one cluster (pools and horizon) stored for every test that needs one, proposal
 * bodies, problem+json checks and plan polling. Tests share one database for the whole run, so every test uses keys
 * and teams prefixed with its own name and never assumes an empty database; everything goes through the API (the
 * same classes run against PostgreSQL with {@code -Dquarkus.test.profile=pgtest}).
 */
final class Api {

    static final String PROBLEM_JSON = "application/problem+json";
    static final String YAML = "application/yaml";
    static final String HORIZON_START = "2026-12-01T00:00:00Z";
    static final Path SMALL_EXAMPLE = Path.of("planning-configs/examples/small.yaml");
    /** Generous: the build machine is small and shared; a plan that is done returns at the next poll. */
    static final Duration PLAN_TIMEOUT = Duration.ofSeconds(90);

    private static final Set<Plan.Status> FINISHED = EnumSet.of(Plan.Status.SOLVED, Plan.Status.STOPPED, Plan.Status.FAILED);

    private Api() {
    }

    // ---------------------------------------------------------------- the shared cluster

    /**
     * The pools every test that stores proposals relies on: one pool of each GPU type the tests use. A test that
     * replaces the pools puts these back before it ends (a stored proposal of type h100 refuses pools without one).
     */
    static List<Map<String, Object>> standardPools() {
        return List.of(pool("a100-east", "a100", 8), pool("h100-west", "h100", 8));
    }

    /** Three days of hourly slots from {@value #HORIZON_START}. */
    static Map<String, Object> standardHorizon() {
        return map("start", HORIZON_START, "days", 3, "slotMinutes", 60);
    }

    static void ensurePools() {
        given().contentType(ContentType.JSON).body(standardPools())
                .when().put("/api/pools")
                .then().statusCode(200);
    }

    /** The standard pools and horizon, for plans solved from stored proposals. */
    static void ensureCluster() {
        ensurePools();
        given().contentType(ContentType.JSON).body(standardHorizon())
                .when().put("/api/horizon")
                .then().statusCode(200);
    }

    static Map<String, Object> pool(String name, String gpuType, int gpus) {
        return map("name", name, "gpuType", gpuType, "gpus", gpus);
    }

    // ---------------------------------------------------------------- proposals

    /** A valid proposal of no particular GPU type: fits every pool. */
    static Map<String, Object> proposal(String key, String team, int gpus, int hours, int value) {
        return map("key", key, "team", team, "value", value, "gpus", gpus, "hours", hours);
    }

    static Map<String, Object> with(Map<String, Object> proposal, Object... fieldsAndValues) {
        Map<String, Object> copy = new LinkedHashMap<>(proposal);
        copy.putAll(map(fieldsAndValues));
        return copy;
    }

    static Map<String, Object> without(Map<String, Object> proposal, String field) {
        Map<String, Object> copy = new LinkedHashMap<>(proposal);
        copy.remove(field);
        return copy;
    }

    static void postProposals(Object body) {
        given().contentType(ContentType.JSON).body(body)
                .when().post("/api/proposals")
                .then().statusCode(201);
    }

    /** The keys of the stored proposals of one team, in key order. */
    static List<String> keysOfTeam(String team) {
        return given().queryParam("team", team).queryParam("limit", 1000)
                .when().get("/api/proposals")
                .then().statusCode(200)
                .extract().jsonPath().getList("proposal.key", String.class);
    }

    static void assertNotStored(String... keys) {
        for (String key : keys) {
            given().when().get("/api/proposals/{key}", key).then().statusCode(404);
        }
    }

    // ---------------------------------------------------------------- errors

    /**
     * A refusal in the shape the API promises: the status, {@code application/problem+json}, the same status in the
     * document, a sentence in {@code detail}, and (when given) the {@code field} that is wrong.
     */
    static ValidatableResponse assertProblem(Response response, int status, String field) {
        ValidatableResponse validatable = response.then()
                .statusCode(status)
                .contentType(startsWith(PROBLEM_JSON))
                .body("status", equalTo(status));
        String detail = response.jsonPath().getString("detail");
        assertThat(detail).as("problem detail").isNotBlank();
        if (field != null) {
            validatable.body("field", equalTo(field));
        }
        return validatable;
    }

    // ---------------------------------------------------------------- plans

    /** Posts a plan request, checks 202 with a Location of the plan, and returns the plan's id. */
    static String postPlan(Object body) {
        return acceptedPlan(given().contentType(ContentType.JSON).body(body).when().post("/api/plans"));
    }

    static String postPlan(String contentType, byte[] body) {
        return acceptedPlan(given().contentType(contentType).body(body).when().post("/api/plans"));
    }

    private static String acceptedPlan(Response response) {
        response.then().statusCode(202).body("status", equalTo("QUEUED"));
        String id = response.jsonPath().getString("id");
        assertThat(id).isNotBlank();
        assertThat(response.header("Location")).endsWith("/api/plans/" + id);
        return id;
    }

    static Plan plan(String id) {
        String body = given().when().get("/api/plans/{id}", id).then().statusCode(200).extract().asString();
        return readPlan(body);
    }

    static Plan readPlan(String json) {
        try {
            return Json.mapper().readValue(json, Plan.class);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not a plan: " + json, e);
        }
    }

    /** Waits until the plan has finished (SOLVED, STOPPED or FAILED) and checks it is in {@code expected}. */
    static Plan awaitFinished(String id, Plan.Status expected) {
        Plan plan = Awaitility.await("plan " + id + " to finish").atMost(PLAN_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> plan(id), p -> FINISHED.contains(p.status()));
        assertThat(plan.status()).as("status of plan %s (violations %s)", id, plan.violations()).isEqualTo(expected);
        return plan;
    }

    /** Awaitility's await, polling every 100 ms. */
    static ConditionFactory await(String alias, Duration atMost) {
        return Awaitility.await(alias).atMost(atMost).pollInterval(Duration.ofMillis(100));
    }

    static Plan awaitSolved(String id) {
        return awaitFinished(id, Plan.Status.SOLVED);
    }

    /** Waits until no plan is QUEUED or SOLVING, so a test that counts solver threads starts from idle ones. */
    static void awaitNoPlanRunning() {
        Awaitility.await("every plan to finish").atMost(PLAN_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> allPlans().stream().map(plan -> String.valueOf(plan.get("status"))).toList(),
                        statuses -> statuses.stream().noneMatch(s -> s.equals("QUEUED") || s.equals("SOLVING")));
    }

    static int planCount() {
        return allPlans().size();
    }

    /** Every stored plan (as summaries), following the pages of GET /api/plans by their X-Next-Cursor. */
    static List<Map<String, Object>> allPlans() {
        List<Map<String, Object>> plans = new ArrayList<>();
        String cursor = null;
        do {
            var request = given().queryParam("limit", 1000);
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            Response page = request.when().get("/api/plans");
            page.then().statusCode(200);
            plans.addAll(page.jsonPath().getList("$"));
            cursor = page.header("X-Next-Cursor");
        } while (cursor != null);
        return plans;
    }

    // ---------------------------------------------------------------- files

    static String smallExampleYaml() {
        try {
            return Files.readString(SMALL_EXAMPLE, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + SMALL_EXAMPLE.toAbsolutePath(), e);
        }
    }

    /**
     * A YAML document as JSON-ready maps and lists. YAML timestamps (which SnakeYAML reads as dates) are written back
     * as ISO-8601 instants, the way the API reads them.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> yamlAsJson(String yaml) {
        return (Map<String, Object>) isoInstants(new Yaml().load(yaml));
    }

    @SuppressWarnings("unchecked")
    private static Object isoInstants(Object value) {
        if (value instanceof Date date) {
            return date.toInstant().toString();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((k, v) -> copy.put(k, isoInstants(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(isoInstants(v)));
            return copy;
        }
        return value;
    }

    static String indent(String text, int spaces) {
        String pad = " ".repeat(spaces);
        return Arrays.stream(text.split("\n", -1)).map(line -> line.isEmpty() ? line : pad + line).collect(Collectors.joining("\n"));
    }

    /** A YAML body as bytes: REST Assured sends bytes as they are, whatever the content type. */
    static byte[] yamlBody(String yaml) {
        return yaml.getBytes(StandardCharsets.UTF_8);
    }

    static String json(Object value) {
        return Json.write(value);
    }

    /** An insertion-ordered map from alternating names and values. */
    static Map<String, Object> map(Object... namesAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }
}
