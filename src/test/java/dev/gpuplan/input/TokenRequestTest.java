package dev.gpuplan.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class TokenRequestTest {

    @Test
    void expiriesAreDaysHoursMinutesOrNever() {
        assertThat(TokenRequest.parseExpiry("90d")).isEqualTo(Duration.ofDays(90));
        assertThat(TokenRequest.parseExpiry("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(TokenRequest.parseExpiry(" 30m ")).isEqualTo(Duration.ofMinutes(30));
        assertThat(TokenRequest.parseExpiry("never")).isNull();
        for (String bad : List.of("0d", "5w", "-1d", "", "90", "d", "999999d")) {
            assertThatThrownBy(() -> TokenRequest.parseExpiry(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aRequestDefaultsToNinetyDays() {
        TokenRequest request = TokenRequest.read("body", "{\"user\": \"alice\", \"role\": \"researcher\", \"teams\": [\"pretrain\"]}");

        assertThat(request.user()).isEqualTo("alice");
        assertThat(request.teams()).containsExactly("pretrain");
        assertThat(request.validFor()).isEqualTo(TokenRequest.DEFAULT_VALIDITY);
    }

    @Test
    void missingAndUnknownFieldsAreNamed() {
        assertThatThrownBy(() -> TokenRequest.read("body", "{\"role\": \"lead\", \"expires\": \"soon\", \"colour\": 1}"))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).errors()).extracting(InputError::field)
                        .contains("user", "expires", "colour"));
    }
}
