package dev.gpuplan.cli;

import java.time.Duration;

import dev.gpuplan.input.DurationText;
import picocli.CommandLine;

/** {@code --time-limit 30s}: a positive duration. */
final class TimeLimitText implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String text) {
        Duration duration = DurationText.parse(text);
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new CommandLine.TypeConversionException("time limit must be a positive duration such as 30s, 5m or 1h, got '" + text + "'");
        }
        return duration;
    }
}
