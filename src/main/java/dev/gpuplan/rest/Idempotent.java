package dev.gpuplan.rest;

import java.net.URI;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.gpuplan.input.Json;
import dev.gpuplan.service.IdempotencyKeys;

/** Turns a creating request's answer into a storable {@link IdempotencyKeys.Answer} and back into the same response. */
final class Idempotent {

    static final String HEADER = "Idempotency-Key";

    private Idempotent() {
    }

    static IdempotencyKeys.Answer answer(Response.Status status, String location, Object entity) {
        return new IdempotencyKeys.Answer(status.getStatusCode(), location, Json.write(entity));
    }

    static Response response(IdempotencyKeys.Answer answer) {
        Response.ResponseBuilder response = Response.status(answer.status()).type(MediaType.APPLICATION_JSON).entity(answer.body());
        if (answer.location() != null) {
            response.location(URI.create(answer.location()));
        }
        return response.build();
    }
}
