package dev.gpuplan.input;

import java.util.List;
import java.util.stream.Collectors;

/** An input was refused; every error names the source, the entry and the field. */
public class InvalidInputException extends RuntimeException {

    private final String source;
    private final List<InputError> errors;

    public InvalidInputException(String source, List<InputError> errors) {
        super(errors.stream().map(e -> e.format(source)).collect(Collectors.joining("\n")));
        this.source = source;
        this.errors = List.copyOf(errors);
    }

    public static InvalidInputException of(String source, String entry, String field, String message) {
        return new InvalidInputException(source, List.of(new InputError(0, entry, field, message)));
    }

    public String source() {
        return source;
    }

    public List<InputError> errors() {
        return errors;
    }
}
