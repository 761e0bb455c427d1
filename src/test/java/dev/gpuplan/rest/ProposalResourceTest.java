package dev.gpuplan.rest;

import static dev.gpuplan.rest.Api.assertNotStored;
import static dev.gpuplan.rest.Api.assertProblem;
import static dev.gpuplan.rest.Api.keysOfTeam;
import static dev.gpuplan.rest.Api.map;
import static dev.gpuplan.rest.Api.postProposals;
import static dev.gpuplan.rest.Api.proposal;
import static dev.gpuplan.rest.Api.with;
import static dev.gpuplan.rest.Api.without;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gpuplan.domain.Plan;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** {@code /api/proposals}: SPEC section 4 (REST) and section 7 (bad input; nothing stored from a refused request). */
@QuarkusTest
class ProposalResourceTest {

    @BeforeEach
    void pools() {
        Api.ensurePools(); // proposals of a GPU type are refused unless a pool of that type exists
    }

    // ---------------------------------------------------------------- create

    @Test
    void postOneProposalAnswers201WithItsLocation() {
        Map<String, Object> body = with(proposal("post-one-a", "post-one", 4, 2, 10),
                "title", "One proposal", "owner", "ada", "gpuType", "h100", "successProbability", 0.5);

        Response response = given().contentType(ContentType.JSON).body(body).when().post("/api/proposals");

        response.then().statusCode(201)
                .header("Location", endsWith("/api/proposals/post-one-a"))
                .body("key", equalTo("post-one-a"))
                .body("gpuType", equalTo("h100"));
        given().when().get(response.header("Location"))
                .then().statusCode(200)
                .body("key", equalTo("post-one-a"))
                .body("title", equalTo("One proposal"))
                .body("team", equalTo("post-one"))
                .body("owner", equalTo("ada"))
                .body("value", equalTo(10))
                .body("gpus", equalTo(4))
                .body("hours", equalTo(2))
                .body("dependsOn", empty())
                .body("required", equalTo(false))
                .body("pinned", nullValue());
    }

    @Test
    void postOneProposalAsYaml() {
        String yaml = """
                key: post-yaml-a
                team: post-yaml
                value: 3
                gpus: 1
                hours: 1.5
                earliestStart: 2026-12-01T06:00:00Z
                """;

        given().contentType(Api.YAML).body(Api.yamlBody(yaml)).when().post("/api/proposals")
                .then().statusCode(201)
                .header("Location", endsWith("/api/proposals/post-yaml-a"))
                .body("earliestStart", equalTo("2026-12-01T06:00:00Z"));
        assertThat(keysOfTeam("post-yaml")).containsExactly("post-yaml-a");
    }

    @Test
    void postBatchStoresEveryProposal() {
        List<Map<String, Object>> batch = List.of(
                proposal("post-batch-base", "post-batch", 8, 6, 40),
                with(proposal("post-batch-ablation", "post-batch", 8, 6, 30), "dependsOn", List.of("post-batch-base")),
                with(proposal("post-batch-variant", "post-batch", 4, 3, 5), "exclusiveGroup", "post-batch-group"));

        given().contentType(ContentType.JSON).body(batch).when().post("/api/proposals")
                .then().statusCode(201)
                .body("key", contains("post-batch-base", "post-batch-ablation", "post-batch-variant"));

        assertThat(keysOfTeam("post-batch")).containsExactly("post-batch-ablation", "post-batch-base", "post-batch-variant");
        given().when().get("/api/proposals/post-batch-ablation")
                .then().statusCode(200).body("dependsOn", contains("post-batch-base"));
    }

    @Test
    void postExistingKeyIs409AndKeepsTheStoredProposal() {
        postProposals(proposal("post-twice-a", "post-twice", 2, 2, 7));

        Response again = given().contentType(ContentType.JSON).body(proposal("post-twice-a", "post-twice", 8, 8, 99))
                .when().post("/api/proposals");

        assertProblem(again, 409, "key").body("detail", containsString("post-twice-a"));
        given().when().get("/api/proposals/post-twice-a").then().statusCode(200).body("gpus", equalTo(2)).body("value", equalTo(7));
    }

    @Test
    void batchWithOneBadEntryStoresNothing() {
        List<String> before = keysOfTeam("batch-bad");
        List<Map<String, Object>> batch = List.of(
                proposal("batch-bad-a", "batch-bad", 1, 1, 1),
                proposal("batch-bad-b", "batch-bad", 1, 1, 1),
                proposal("batch-bad-c", "batch-bad", 0, 1, 1));

        Response response = given().contentType(ContentType.JSON).body(batch).when().post("/api/proposals");

        assertProblem(response, 400, "gpus").body("errors[0].entry", containsString("batch-bad-c"));
        assertThat(keysOfTeam("batch-bad")).isEqualTo(before).isEmpty();
    }

    @Test
    void batchWithOneExistingKeyStoresNothing() {
        postProposals(proposal("batch-conflict-old", "batch-conflict", 1, 1, 1));

        Response response = given().contentType(ContentType.JSON)
                .body(List.of(proposal("batch-conflict-new", "batch-conflict", 1, 1, 1), proposal("batch-conflict-old", "batch-conflict", 2, 2, 2)))
                .when().post("/api/proposals");

        assertProblem(response, 409, "key");
        assertThat(keysOfTeam("batch-conflict")).containsExactly("batch-conflict-old");
    }

    // ---------------------------------------------------------------- bad input: SPEC section 7

    /** One refused body per class of bad input: the field the problem names, and the keys that must not be stored. */
    static Stream<Arguments> badProposals() {
        Map<String, Object> good = proposal("bad-x", "bad", 2, 2, 5);
        return Stream.of(
                Arguments.of("wrong type", with(good, "key", "bad-type", "gpus", "eight"), "gpus", List.of("bad-type")),
                Arguments.of("wrong type of a list", with(good, "key", "bad-list", "dependsOn", "bad-x"), "dependsOn", List.of("bad-list")),
                Arguments.of("missing team", without(with(good, "key", "bad-no-team"), "team"), "team", List.of("bad-no-team")),
                Arguments.of("missing value", without(with(good, "key", "bad-no-value"), "value"), "value", List.of("bad-no-value")),
                Arguments.of("missing key", without(good, "key"), "key", List.of()),
                Arguments.of("gpus 0", with(good, "key", "bad-gpus-0", "gpus", 0), "gpus", List.of("bad-gpus-0")),
                Arguments.of("negative gpus", with(good, "key", "bad-gpus-neg", "gpus", -8), "gpus", List.of("bad-gpus-neg")),
                Arguments.of("hours 0", with(good, "key", "bad-hours-0", "hours", 0), "hours", List.of("bad-hours-0")),
                Arguments.of("negative value", with(good, "key", "bad-value-neg", "value", -1), "value", List.of("bad-value-neg")),
                Arguments.of("probability above 1", with(good, "key", "bad-p", "successProbability", 1.5), "successProbability", List.of("bad-p")),
                Arguments.of("key pattern", with(good, "key", "Bad Key"), "key", List.of()),
                Arguments.of("unknown dependency", with(good, "key", "bad-dep", "dependsOn", List.of("bad-nobody")), "dependsOn", List.of("bad-dep")),
                Arguments.of("self dependency", with(good, "key", "bad-self", "dependsOn", List.of("bad-self")), "dependsOn", List.of("bad-self")),
                Arguments.of("dependency cycle", List.of(
                        with(good, "key", "bad-cycle-a", "dependsOn", List.of("bad-cycle-c")),
                        with(good, "key", "bad-cycle-b", "dependsOn", List.of("bad-cycle-a")),
                        with(good, "key", "bad-cycle-c", "dependsOn", List.of("bad-cycle-b"))),
                        "dependsOn", List.of("bad-cycle-a", "bad-cycle-b", "bad-cycle-c")),
                Arguments.of("duplicate key in batch", List.of(with(good, "key", "bad-dup"), with(good, "key", "bad-dup", "gpus", 4)),
                        "key", List.of("bad-dup")),
                Arguments.of("unknown gpuType", with(good, "key", "bad-gpu-type", "gpuType", "tpu-v9"), "gpuType", List.of("bad-gpu-type")),
                Arguments.of("deadline before earliestStart", with(good, "key", "bad-window",
                        "earliestStart", "2026-12-02T00:00:00Z", "deadline", "2026-12-01T00:00:00Z"), "deadline", List.of("bad-window")),
                Arguments.of("instant without a date", with(good, "key", "bad-instant", "deadline", "tomorrow"), "deadline", List.of("bad-instant")),
                Arguments.of("unknown field", with(good, "key", "bad-field", "gpuz", 8), "gpuz", List.of("bad-field")),
                Arguments.of("pin to an unknown pool", with(good, "key", "bad-pin",
                        "pinned", map("pool", "bad-nowhere", "start", "2026-12-01T00:00:00Z")), "pinned.pool", List.of("bad-pin")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badProposals")
    void badProposalIs400NamingTheFieldAndStoresNothing(String badInput, Object body, String field, List<String> keys) {
        Response response = given().contentType(ContentType.JSON).body(body).when().post("/api/proposals");

        assertProblem(response, 400, field).body("errors.field", hasItem(field));
        assertNotStored(keys.toArray(String[]::new));
    }

    @Test
    void bodyThatIsNotJsonIs400ProblemJson() {
        Response response = given().contentType(ContentType.JSON).body("{\"key\": \"bad-syntax\", \"team\": ").when().post("/api/proposals");

        assertProblem(response, 400, null).body("detail", containsString("not valid YAML/JSON"));
        assertNotStored("bad-syntax");
        assertProblem(given().contentType(ContentType.JSON).body("").when().post("/api/proposals"), 400, null)
                .body("detail", containsString("empty"));
    }

    @Test
    void unknownRouteAndMethodAreProblemJson() {
        assertProblem(given().when().get("/api/no-such-resource"), 404, null);
        assertProblem(given().when().patch("/api/proposals/any-key"), 405, null);
    }

    @Test
    void unsupportedContentTypeIsRefusedAsProblemJson() {
        Response response = given().contentType(ContentType.TEXT).body("key: bad-text").when().post("/api/proposals");

        assertProblem(response, 415, null);
        assertNotStored("bad-text");
    }

    // ---------------------------------------------------------------- read, replace, delete

    @Test
    void getUnknownProposalIs404() {
        assertProblem(given().when().get("/api/proposals/get-nobody"), 404, null).body("detail", containsString("get-nobody"));
    }

    @Test
    void listFiltersByTeam() {
        postProposals(List.of(proposal("list-team-a1", "list-team-a", 1, 1, 1), proposal("list-team-a2", "list-team-a", 1, 1, 1),
                proposal("list-team-b1", "list-team-b", 1, 1, 1)));

        given().queryParam("team", "list-team-a").when().get("/api/proposals")
                .then().statusCode(200)
                .body("proposal.key", contains("list-team-a1", "list-team-a2"))
                .body("proposal.team", contains("list-team-a", "list-team-a"));
        List<String> all = given().queryParam("limit", 1000).when().get("/api/proposals").then().statusCode(200).extract().jsonPath().getList("proposal.key");
        assertThat(all).contains("list-team-a1", "list-team-a2", "list-team-b1");
        assertThat(keysOfTeam("list-team-nobody")).isEmpty();
    }

    /**
     * Status comes from the newest solved plan: selected if it was assigned, unselected if it was a candidate that was
     * not, unplanned if it was not a candidate.
     */
    @Test
    void listFiltersByStatusOfTheNewestSolvedPlan() {
        Api.ensureCluster();
        String team = "list-status";
        postProposals(List.of(
                proposal("list-status-fits", team, 4, 2, 10),
                proposal("list-status-too-big", team, 16, 2, 10), // no pool has 16 GPUs
                proposal("list-status-left-out", team, 1, 1, 1)));
        String id = Api.postPlan(map("budgetGpuHours", 100, "timeLimitSeconds", 1,
                "proposals", List.of("list-status-fits", "list-status-too-big")));
        Plan plan = Api.awaitSolved(id);
        assertThat(plan.assignments()).extracting(Plan.Assignment::proposal).containsExactly("list-status-fits");

        given().queryParam("team", team).queryParam("status", "selected").when().get("/api/proposals")
                .then().statusCode(200).body("proposal.key", contains("list-status-fits")).body("status", contains("selected"));
        given().queryParam("team", team).queryParam("status", "unselected").when().get("/api/proposals")
                .then().statusCode(200).body("proposal.key", contains("list-status-too-big"));
        given().queryParam("team", team).queryParam("status", "unplanned").when().get("/api/proposals")
                .then().statusCode(200).body("proposal.key", contains("list-status-left-out"));
        given().queryParam("team", team).when().get("/api/proposals")
                .then().statusCode(200).body("status", contains("selected", "unplanned", "unselected"));
    }

    @Test
    void putCreatesWith201ThenReplacesWith200() {
        Map<String, Object> first = proposal("put-a", "put", 2, 2, 5);

        given().contentType(ContentType.JSON).body(first).when().put("/api/proposals/put-a")
                .then().statusCode(201).header("Location", endsWith("/api/proposals/put-a"));
        given().contentType(ContentType.JSON).body(with(first, "gpus", 4, "title", "bigger")).when().put("/api/proposals/put-a")
                .then().statusCode(200).body("gpus", equalTo(4));

        given().when().get("/api/proposals/put-a").then().statusCode(200).body("gpus", equalTo(4)).body("title", equalTo("bigger"));
        assertThat(keysOfTeam("put")).containsExactly("put-a");
    }

    @Test
    void putWithAnotherKeyThanThePathIs400AndStoresNothing() {
        Response response = given().contentType(ContentType.JSON).body(proposal("put-other", "put-mismatch", 1, 1, 1))
                .when().put("/api/proposals/put-mismatch");

        assertProblem(response, 400, "key");
        assertNotStored("put-other", "put-mismatch");
    }

    @Test
    void putOfABadProposalKeepsTheStoredOne() {
        postProposals(proposal("put-bad-a", "put-bad", 2, 2, 5));

        assertProblem(given().contentType(ContentType.JSON).body(proposal("put-bad-a", "put-bad", 0, 2, 5))
                .when().put("/api/proposals/put-bad-a"), 400, "gpus");
        assertProblem(given().contentType(ContentType.JSON).body(with(proposal("put-bad-a", "put-bad", 2, 2, 5), "dependsOn", List.of("put-bad-a")))
                .when().put("/api/proposals/put-bad-a"), 400, "dependsOn");

        given().when().get("/api/proposals/put-bad-a").then().statusCode(200).body("gpus", equalTo(2)).body("dependsOn", empty());
    }

    @Test
    void putThatClosesADependencyCycleIs400() {
        postProposals(List.of(proposal("put-cycle-a", "put-cycle", 1, 1, 1),
                with(proposal("put-cycle-b", "put-cycle", 1, 1, 1), "dependsOn", List.of("put-cycle-a"))));

        Response response = given().contentType(ContentType.JSON)
                .body(with(proposal("put-cycle-a", "put-cycle", 1, 1, 1), "dependsOn", List.of("put-cycle-b")))
                .when().put("/api/proposals/put-cycle-a");

        assertProblem(response, 400, "dependsOn").body("detail", containsString("cycle"));
        given().when().get("/api/proposals/put-cycle-a").then().statusCode(200).body("dependsOn", empty());
    }

    @Test
    void deleteAnswers204AndTheProposalIsGone() {
        postProposals(proposal("delete-a", "delete", 1, 1, 1));

        given().when().delete("/api/proposals/delete-a").then().statusCode(204);

        assertNotStored("delete-a");
        assertProblem(given().when().delete("/api/proposals/delete-a"), 404, null);
    }

    @Test
    void deleteOfAProposalOthersDependOnIs409() {
        postProposals(List.of(proposal("delete-dep-base", "delete-dep", 1, 1, 1),
                with(proposal("delete-dep-child", "delete-dep", 1, 1, 1), "dependsOn", List.of("delete-dep-base"))));

        assertProblem(given().when().delete("/api/proposals/delete-dep-base"), 409, "key")
                .body("detail", containsString("delete-dep-child"));
        given().when().get("/api/proposals/delete-dep-base").then().statusCode(200);

        given().when().delete("/api/proposals/delete-dep-child").then().statusCode(204);
        given().when().delete("/api/proposals/delete-dep-base").then().statusCode(204);
        assertThat(keysOfTeam("delete-dep")).isEmpty();
    }

    @Test
    void deleteOfUnknownProposalIs404() {
        assertProblem(given().when().delete("/api/proposals/delete-nobody"), 404, null);
    }
}
