package dev.gpuplan.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;

/**
 * Shapes of docs/openapi.yaml that the REST tests meet only by chance, checked with the same validator they use
 * ({@link OpenApiContract#validatorFor}) without starting the service: an audited entity may be any JSON value, and
 * a plan's reserve and replan and a run's actual figures may be null.
 */
class OpenApiSchemaTest {

    private static OpenApiInteractionValidator validator;

    @BeforeAll
    static void readTheCheckedInDocument() throws IOException {
        validator = OpenApiContract.validatorFor(Files.readString(OpenApiDocumentTest.CHECKED_IN, StandardCharsets.UTF_8));
    }

    private static ValidationReport get(String path, int status, String contentType, String body) {
        return validator.validateResponse(path, Request.Method.GET,
                SimpleResponse.Builder.status(status).withContentType(contentType).withBody(body).build());
    }

    private static String auditEntry(String before, String after) {
        return "[{\"id\": 1, \"at\": \"2026-12-01T00:00:00Z\", \"actor\": \"ada\", \"entityType\": \"pools\", \"entityId\": \"all\", "
                + "\"action\": \"replace\", \"before\": " + before + ", \"after\": " + after + "}]";
    }

    @Test
    void anAuditedEntityIsAnyJsonValue() {
        for (String[] beforeAfter : new String[][] {
                {"null", "{\"key\": \"x\", \"team\": \"t\"}"},
                {"[{\"name\": \"a100-east\", \"gpus\": 8}]", "[]"},
                {"{\"status\": \"SOLVING\"}", "null"}}) {
            ValidationReport report = get("/api/audit", 200, "application/json", auditEntry(beforeAfter[0], beforeAfter[1]));
            assertThat(report.hasErrors()).as("%s -> %s: %s", beforeAfter[0], beforeAfter[1], report).isFalse();
        }
    }

    @Test
    void anAuditEntryWithoutItsActorIsRefused() {
        ValidationReport report = get("/api/audit", 200, "application/json", auditEntry("null", "null").replace("\"actor\": \"ada\", ", ""));
        assertThat(report.hasErrors()).as(report.toString()).isTrue();
    }

    @Test
    void aRunNotYetStartedHasNullActualsAndAStartedOneMayNotLoseItsStatus() {
        String planned = "{\"proposal\": \"baseline-1b\", \"team\": \"pretrain\", \"status\": \"PLANNED\", \"attempt\": 1, \"pool\": \"a100-east\", "
                + "\"plannedStart\": \"2026-12-01T00:00:00Z\", \"plannedEnd\": \"2026-12-01T06:00:00Z\", \"start\": null, \"end\": null, "
                + "\"gpus\": 8, \"hours\": 6, \"estimatedGpuHours\": 48, \"actualGpuHours\": null, \"planId\": \"p\", \"reason\": null}";
        assertThat(get("/api/runs", 200, "application/json", "[" + planned + "]").hasErrors()).isFalse();
        assertThat(get("/api/runs", 200, "application/json", "[" + planned.replace("\"PLANNED\"", "\"RUNNING\"") + "]").hasErrors())
                .as("a status the service never sends").isTrue();
    }
}
