package dev.gpuplan.service;

/**
 * A request beyond one of the service's limits ({@code gpuplan.limits.*}): 413 when the request itself is too big,
 * 422 when it asks for more work than one request may, 503 (with a Retry-After) while the service is too busy.
 * {@code limit} is the configuration key, so the message tells an operator what to raise.
 */
public class LimitExceededException extends RuntimeException {

    public static final String PREFIX = "gpuplan.limits.";

    private final int status;
    private final String limit;
    private final String field;
    private final Integer retryAfterSeconds;

    private LimitExceededException(int status, String limit, String field, String message, Integer retryAfterSeconds) {
        super(message + " (limit " + PREFIX + limit + ")");
        this.status = status;
        this.limit = PREFIX + limit;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 413: the request is bigger than {@code limit} allows. */
    public static LimitExceededException tooLarge(String limit, String field, String message) {
        return new LimitExceededException(413, limit, field, message, null);
    }

    /** 422: the request asks for more work than {@code limit} allows. */
    public static LimitExceededException tooMuchWork(String limit, String field, String message) {
        return new LimitExceededException(422, limit, field, message, null);
    }

    /** 503: {@code limit} is reached by work already running or queued; try again after a while. */
    public static LimitExceededException busy(String limit, String message, int retryAfterSeconds) {
        return new LimitExceededException(503, limit, null, message, retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    public String limit() {
        return limit;
    }

    public String field() {
        return field;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
