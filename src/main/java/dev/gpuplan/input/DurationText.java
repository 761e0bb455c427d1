package dev.gpuplan.input;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them: {@code 30s}, {@code 5m}, {@code 1h}, {@code 90} (seconds) or ISO {@code PT30S}. */
public final class DurationText {

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

    private DurationText() {
    }

    /** @return the duration, or null when {@code text} is not one */
    public static Duration parse(String text) {
        String trimmed = text.trim();
        Matcher m = SHORT.matcher(trimmed);
        if (m.matches()) {
            try {
                long amount = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "s" : m.group(2);
                return switch (unit) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofSeconds(amount);
                };
            } catch (ArithmeticException | NumberFormatException e) {
                return null; // too large to be a duration
            }
        }
        try {
            return Duration.parse(trimmed);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
