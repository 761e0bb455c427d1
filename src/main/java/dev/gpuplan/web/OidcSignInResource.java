package dev.gpuplan.web;

import java.net.URI;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.quarkus.security.Authenticated;
import io.vertx.core.http.HttpServerRequest;

/**
 * Signing the page in through the OIDC provider. This address is authenticated by the provider's authorization code
 * flow alone ({@code quarkus.http.auth.permission.page-oidc} in application.properties): an unknown browser is sent to
 * the provider and comes back here with an OIDC session cookie, which later API calls carry instead of a token. This
 * endpoint only adds the CSRF cookie that changes made with that session must repeat in a header
 * ({@link SessionCookieMechanism#csrfMatches}) and returns to the page. It is a browser's address, not an API operation.
 */
@Path(OidcSignInResource.PATH)
@Authenticated
public class OidcSignInResource {

    public static final String PATH = "/signin/oidc";

    @GET
    @Operation(hidden = true)
    public Response signIn(@QueryParam("next") String next, @Context UriInfo uri, @Context HttpServerRequest request) {
        String target = next != null && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
        return Response.seeOther(URI.create(target))
                .cookie(SessionResource.csrfCookie(SessionResource.secure(uri, request)))
                .build();
    }
}
