package dev.gpuplan.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {

    @ParameterizedTest
    @CsvSource({
            "30s,     PT30S",
            "90,      PT1M30S",
            "5m,      PT5M",
            "1h,      PT1H",
            "250ms,   PT0.25S",
            "'2 m',   PT2M",
            "' 15s ', PT15S",
            "0s,      PT0S",
            "PT1M30S, PT1M30S",
            "PT-5S,   PT-5S"})
    void readsShortAndIsoDurations(String text, String expected) {
        assertThat(DurationText.parse(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "fast", "-5s", "1.5h", "1d", "30S", "s", "h1",
            "99999999999999999999s", "9999999999999999h", "PT99999999999999999999S"})
    void returnsNullForAnythingElse(String text) {
        assertThat(DurationText.parse(text)).isNull();
    }
}
