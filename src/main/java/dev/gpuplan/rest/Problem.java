package dev.gpuplan.rest;

import java.util.List;

/**
 * An RFC 9457 problem document ({@code application/problem+json}): {@code field} names what is wrong,
 * {@code detail} says it in a sentence, {@code errors} lists every error of a refused input, {@code limit} names the
 * configuration key of a limit the request went beyond, and {@code errorId} (on 500) is the id the service's log
 * line carries for the failure.
 */
public record Problem(String type, String title, int status, String detail, String field, List<Error> errors, String limit,
                      String errorId) {

    public record Error(String entry, String field, int line, String message) {
    }
}
