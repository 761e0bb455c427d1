package dev.gpuplan.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import dev.gpuplan.service.Page;

/**
 * How a page of a list goes out: the body is the page's items as a JSON array (as before lists were paged, so a
 * client that reads the array keeps working), and when more follow, {@code Link: <...?cursor=...>; rel="next"} and
 * {@code X-Next-Cursor} give the next page's cursor.
 */
final class Pages {

    static final String NEXT_CURSOR = "X-Next-Cursor";

    private Pages() {
    }

    static Response response(Page<?> page, UriInfo uri) {
        Response.ResponseBuilder response = Response.ok(page.items());
        if (page.nextCursor() != null) {
            String next = uri.getRequestUriBuilder().replaceQueryParam("cursor", page.nextCursor()).build().toString();
            response.header("Link", "<" + next + ">; rel=\"next\"").header(NEXT_CURSOR, page.nextCursor());
        }
        return response.build();
    }
}
