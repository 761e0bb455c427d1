package dev.gpuplan.access;

/** A request by an authenticated caller that is outside their rights (403); nothing has been changed. */
public class AccessDeniedException extends RuntimeException {

    public AccessDeniedException(String message) {
        super(message);
    }
}
