package dev.gpuplan.rest;

import java.util.List;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.gpuplan.input.InputError;
import dev.gpuplan.input.InvalidInputException;
import dev.gpuplan.service.ConflictException;
import dev.gpuplan.service.IdempotencyKeys;
import dev.gpuplan.service.NotFoundException;

/** The one place that turns failures into {@code application/problem+json}. */
public class ProblemMapper {

    public static final String PROBLEM_JSON = "application/problem+json";

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
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return problem(status, e.getResponse().getStatusInfo().getReasonPhrase(), e.getMessage(), null, List.of());
    }

    static Response problem(int status, String title, String detail, String field, List<Problem.Error> errors) {
        return Response.status(status).type(PROBLEM_JSON)
                .entity(new Problem("about:blank", title, status, detail, field, errors)).build();
    }
}
