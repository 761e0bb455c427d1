package dev.gpuplan.service;

/** The request conflicts with what is stored (an existing key, a proposal others depend on). */
public class ConflictException extends RuntimeException {

    private final String field;

    public ConflictException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
