package dev.gpuplan.service;

import java.util.UUID;

import org.jboss.logging.Logger;

import dev.gpuplan.input.InvalidInputException;

/**
 * What a failed background job (a plan, a frontier) tells its readers: a refused input says why in its own words;
 * anything else says only that it failed, with an error id that the log line holding the exception also carries.
 * No exception class names, stack frames or driver messages reach a stored plan.
 */
public final class Failures {

    private Failures() {
    }

    public static String describe(RuntimeException e, Logger log, String what) {
        if (e instanceof InvalidInputException invalid) {
            log.warnf("%s was refused: %s", what, invalid.getMessage());
            return "its input was refused: " + invalid.errors().get(0).describe();
        }
        if (e instanceof ConflictException conflict) {
            log.warnf("%s was refused: %s", what, conflict.getMessage());
            return conflict.getMessage();
        }
        String errorId = UUID.randomUUID().toString();
        log.errorf(e, "Error id %s: %s failed", errorId, what);
        return "internal error while solving (error id " + errorId + " in the service's log)";
    }
}
