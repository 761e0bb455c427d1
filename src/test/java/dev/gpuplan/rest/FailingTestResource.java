package dev.gpuplan.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/**
 * Test-only: an endpoint that fails the way a bug would, with internal text in its exception, so the suite can
 * check what an unforeseen failure shows a client. It exists only in the test classpath.
 */
@Path("/test-only/failure")
public class FailingTestResource {

    static final String INTERNAL_TEXT = "org.example.SecretRepository: password=hunter2 at line 42";

    @GET
    @org.eclipse.microprofile.openapi.annotations.Operation(hidden = true)
    public String fail() {
        throw new IllegalStateException(INTERNAL_TEXT);
    }
}
