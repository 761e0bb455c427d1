package dev.gpuplan.rest;

import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.gpuplan.access.AccessDeniedException;
import dev.gpuplan.input.InputError;
import dev.gpuplan.input.InvalidInputException;
import dev.gpuplan.service.ConflictException;
import dev.gpuplan.service.IdempotencyKeys;
import dev.gpuplan.service.LimitExceededException;
import dev.gpuplan.service.NotFoundException;

/**
 * The one place that turns failures into {@code application/problem+json}. Anything not foreseen below is a 500
 * whose body says only that it happened and gives an error id; the log line with the exception carries the same id,
 * so nothing internal (class names, stack traces, SQL) reaches a client.
 */
public class ProblemMapper {

    public static final String PROBLEM_JSON = "application/problem+json";
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response invalid(InvalidInputException e) {
        InputError first = e.errors().get(0);
        String field = first.field().isEmpty() ? first.entry() : first.field();
        List<Problem.Error> errors = e.errors().stream()
                .map(err -> new Problem.Error(err.entry(), err.field(), err.line(), err.describe())).toList();
        String detail = e.errors().size() == 1 ? first.describe() : first.describe() + " (and " + (e.errors().size() - 1) + " more)";
        return problem(400, "Bad input", detail, field, errors);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return problem(404, "Not found", e.getMessage(), null, List.of());
    }

    @ServerExceptionMapper
    public Response conflict(ConflictException e) {
        return problem(409, "Conflict", e.getMessage(), e.field(), List.of());
    }

    @ServerExceptionMapper
    public Response idempotencyKeyReused(IdempotencyKeys.KeyReusedException e) {
        return problem(422, "Idempotency-Key reused", e.getMessage(), "Idempotency-Key", List.of());
    }

    @ServerExceptionMapper
    public Response forbidden(AccessDeniedException e) {
        return problem(403, "Forbidden", e.getMessage(), null, List.of());
    }

    /**
     * A role check ({@code @RolesAllowed}) that fails for a signed-in caller: the same problem document as a team check
     * ({@link AccessDeniedException}), where the framework would answer 403 with an empty body.
     */
    @ServerExceptionMapper
    public Response roleDenied(io.quarkus.security.ForbiddenException e, jakarta.ws.rs.core.Request request, UriInfo uri) {
        return problem(403, "Forbidden", "your role does not allow " + request.getMethod() + " " + uri.getPath(), null, List.of());
    }

    @ServerExceptionMapper
    public Response limit(LimitExceededException e) {
        String title = switch (e.status()) {
            case 413 -> "Request too large";
            case 503 -> "Service busy";
            default -> "Too much work for one request";
        };
        Response.ResponseBuilder response = Response.status(e.status()).type(PROBLEM_JSON)
                .entity(new Problem("about:blank", title, e.status(), e.getMessage(), e.field(), List.of(), e.limit(), null));
        if (e.retryAfterSeconds() != null) {
            response.header("Retry-After", e.retryAfterSeconds());
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, uri);
        }
        String message = e.getMessage();
        String detail = message != null && !message.startsWith("HTTP " + status) ? message : switch (status) {
            case 404 -> "there is nothing at " + uri.getPath();
            case 405 -> "this method is not allowed on " + uri.getPath();
            case 406 -> "the service answers application/json only";
            case 415 -> "the body must be application/json or application/yaml";
            default -> e.getResponse().getStatusInfo().getReasonPhrase();
        };
        return problem(status, e.getResponse().getStatusInfo().getReasonPhrase(), detail, null, List.of());
    }

    /** Everything else: a 500 with an error id, logged with the same id. */
    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "Error id %s: unexpected failure of a request to %s", errorId, uri == null ? "?" : uri.getPath());
        return Response.status(500).type(PROBLEM_JSON)
                .entity(new Problem("about:blank", "Internal error", 500, "the service failed to answer this request; "
                        + "the operator can find the cause in its log under error id " + errorId, null, List.of(), null, errorId))
                .build();
    }

    static Response problem(int status, String title, String detail, String field, List<Problem.Error> errors) {
        return Response.status(status).type(PROBLEM_JSON)
                .entity(new Problem("about:blank", title, status, detail, field, errors, null, null)).build();
    }
}
