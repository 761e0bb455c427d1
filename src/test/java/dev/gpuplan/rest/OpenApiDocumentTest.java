package dev.gpuplan.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;

import io.quarkus.test.junit.QuarkusTest;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

/**
 * The OpenAPI document: valid for a real OpenAPI parser, typed (every operation's bodies are named schemas, every
 * status the service answers is listed), equal to the copy checked in as docs/openapi.yaml (which the generated
 * client is built from), and the response check every REST test runs is on and can fail.
 */
@QuarkusTest
class OpenApiDocumentTest {

    static final Path CHECKED_IN = Path.of("docs/openapi.yaml");
    /** {@code -Dgpuplan.openapi.write=true} rewrites docs/openapi.yaml from the served document. */
    static final boolean WRITE = Boolean.getBoolean("gpuplan.openapi.write");

    private static String served() {
        return given().accept("application/yaml").when().get("/q/openapi").then().statusCode(200).extract().asString();
    }

    @Test
    void theDocumentParsesWithNoErrorsOrWarnings() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIParser().readContents(served(), null, options);

        assertThat(result.getMessages()).as("swagger-parser messages").isEmpty();
        assertThat(result.getOpenAPI().getOpenapi()).isEqualTo("3.0.3");
    }

    @Test
    void theCheckedInCopyIsTheServedDocument() throws IOException {
        String served = served();
        if (WRITE) {
            Files.writeString(CHECKED_IN, served, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(CHECKED_IN, StandardCharsets.UTF_8))
                .as("docs/openapi.yaml is out of date: run ./mvnw test -Dtest=OpenApiDocumentTest -Dgpuplan.openapi.write=true")
                .isEqualTo(served);
    }

    /** Every /api operation names its bodies by schema and lists an error response beside its success. */
    @Test
    void everyOperationIsTyped() {
        OpenAPI api = new OpenAPIParser().readContents(served(), null, new ParseOptions()).getOpenAPI();
        List<String> untyped = new ArrayList<>();
        for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
            if (!path.getKey().startsWith("/api/") || OpenApiContract.notYetTyped(path.getKey())) {
                continue;
            }
            for (Map.Entry<PathItem.HttpMethod, Operation> op : path.getValue().readOperationsMap().entrySet()) {
                String name = op.getKey() + " " + path.getKey();
                Operation operation = op.getValue();
                if (operation.getRequestBody() != null) {
                    operation.getRequestBody().getContent().forEach((type, media) -> {
                        if (media.getSchema() == null || media.getSchema().get$ref() == null) {
                            untyped.add(name + ": request body " + type + " has no named schema");
                        }
                    });
                }
                operation.getResponses().forEach((status, response) -> {
                    if (response.get$ref() == null && response.getContent() != null) {
                        response.getContent().forEach((type, media) -> {
                            if (media.getSchema() == null || media.getSchema().get$ref() == null) {
                                untyped.add(name + ": response " + status + " " + type + " has no named schema");
                            }
                        });
                    }
                });
                if (operation.getResponses().keySet().stream().noneMatch(s -> s.startsWith("2"))) {
                    untyped.add(name + ": no success status");
                }
            }
        }
        assertThat(untyped).isEmpty();
    }

    @Test
    void theResponseCheckIsInstalledAndRefusesWhatTheDocumentDoesNotSay() {
        assertThat(OpenApiContract.installed()).as("the REST Assured filter every test runs with, when asked for")
                .isEqualTo(ContractCallback.enabled());
        OpenApiInteractionValidator validator = OpenApiContract.validatorFor(served());

        ValidationReport wrongType = validator.validateResponse("/api/plans/{id}", Request.Method.GET,
                SimpleResponse.Builder.ok().withContentType("application/json").withBody("{\"id\": \"x\", \"status\": 42}").build());
        ValidationReport undocumentedStatus = validator.validateResponse("/api/plans/{id}", Request.Method.GET,
                SimpleResponse.Builder.status(418).withContentType("application/problem+json")
                        .withBody("{\"type\":\"about:blank\",\"title\":\"t\",\"status\":418,\"detail\":\"d\"}").build());

        assertThat(wrongType.hasErrors()).as(wrongType.toString()).isTrue();
        assertThat(undocumentedStatus.hasErrors()).as(undocumentedStatus.toString()).isTrue();
    }
}
