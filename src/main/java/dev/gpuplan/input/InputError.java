package dev.gpuplan.input;

/**
 * One thing wrong with an input: where (line, entry, field) and why.
 *
 * @param line  1-based line in the source, or 0 when unknown
 * @param entry the entry, e.g. {@code proposals[12] (key "lr-sweep")}; empty for the top level
 * @param field the field, e.g. {@code gpus}; empty when the entry as a whole is wrong
 */
public record InputError(int line, String entry, String field, String message) {

    /** {@code entry: field must be ...}: the sentence without the source. */
    public String describe() {
        String where = entry.isEmpty() ? "" : entry + ": ";
        String subject = field.isEmpty() ? "" : field + " ";
        return where + subject + message;
    }

    public String format(String source) {
        return source + (line > 0 ? ":" + line : "") + ": " + describe();
    }
}
