package dev.gpuplan.rest;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.atlassian.oai.validator.report.SimpleValidationReportFormat;
import com.atlassian.oai.validator.restassured.RestAssuredRequest;
import com.atlassian.oai.validator.restassured.RestAssuredResponse;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/**
 * Every response a REST test receives from {@code /api/...} is checked against the OpenAPI document the service
 * serves ({@code /q/openapi}): a status it does not list, a body that does not match the schema, or a path or method
 * it does not know fails the test. Requests are not checked (tests send bad input on purpose), except that their path
 * and method must be documented. Installed for every {@code @QuarkusTest} by {@link ContractCallback}.
 */
public final class OpenApiContract implements Filter {

    private static final OpenApiContract INSTANCE = new OpenApiContract();

    /**
     * Endpoints that landed after the document was typed and are not described in it yet: their responses are not
     * checked, and {@link OpenApiDocumentTest} lets them go untyped. Typing one means removing it here; a new
     * endpoint that is neither typed nor listed fails both checks.
     */
    static final List<String> NOT_YET_TYPED = List.of();

    /** Whether a documented path (with {@code {param}}) or a request path belongs to {@link #NOT_YET_TYPED}. */
    static boolean notYetTyped(String path) {
        for (String listed : NOT_YET_TYPED) {
            String pattern = java.util.regex.Pattern.quote(listed).replaceAll("\\{[^}]+\\}", "\\\\E[^/]+\\\\Q");
            if (path.equals(listed) || path.startsWith(listed + "/")
                    || path.matches(pattern + "(/.*)?")) {
                return true;
            }
        }
        return false;
    }

    private volatile OpenApiInteractionValidator validator;

    private OpenApiContract() {
    }

    /** Adds the check to REST Assured's default filters (once). */
    public static synchronized void install() {
        if (!RestAssured.filters().contains(INSTANCE)) {
            RestAssured.filters(INSTANCE);
        }
    }

    static boolean installed() {
        return RestAssured.filters().contains(INSTANCE);
    }

    /** The validator for the document served at {@code base + /q/openapi}: every response rule on, requests' bodies off. */
    static OpenApiInteractionValidator validatorFor(String document) {
        return OpenApiInteractionValidator.createForInlineApiSpecification(document)
                .withLevelResolver(LevelResolver.create()
                        .withLevel("validation.request", ValidationReport.Level.IGNORE)
                        .withLevel("validation.request.path.missing", ValidationReport.Level.ERROR)
                        .withLevel("validation.request.operation.notAllowed", ValidationReport.Level.ERROR)
                        .build())
                .build();
    }

    static String servedDocument(URI base) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(base.resolve("/q/openapi")).header("Accept", "application/yaml").build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET /q/openapi answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new AssertionError("cannot read the OpenAPI document from " + base, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response, FilterContext ctx) {
        URI uri = URI.create(request.getURI());
        if (!uri.getPath().startsWith("/api/") || notYetTyped(uri.getPath())) {
            return ctx.next(request, response);
        }
        OpenApiInteractionValidator current = validator;
        if (current == null) {
            synchronized (this) {
                if (validator == null) {
                    validator = validatorFor(servedDocument(uri.resolve("/")));
                }
                current = validator;
            }
        }
        Response answer = ctx.next(request, response);
        if (answer.statusCode() == 431) {
            // Headers over the HTTP layer's limit are refused before any route is chosen, on every path alike (README,
            // Access): the answer is the server's, not an operation's, and no operation lists it.
            return answer;
        }
        ValidationReport report = current.validate(RestAssuredRequest.of(request), RestAssuredResponse.of(answer));
        if (answer.statusCode() == 404 || answer.statusCode() == 405) {
            // The service itself says there is no such route or method: that the document does not list it is right.
            report = ValidationReport.from(report.getMessages().stream()
                    .filter(m -> !m.getKey().equals("validation.request.path.missing")
                            && !m.getKey().equals("validation.request.operation.notAllowed"))
                    .toList());
        }
        if (report.hasErrors()) {
            throw new AssertionError(request.getMethod() + " " + uri.getPath() + " answered " + answer.statusCode()
                    + " with what the OpenAPI document does not allow:\n" + SimpleValidationReportFormat.getInstance().apply(report)
                    + "\nbody: " + answer.asString());
        }
        return answer;
    }
}
