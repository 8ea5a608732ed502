package linegate.store;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A page access token in memory: never printed, masked for operators. */
class PageAccessTokenTest {
    static final String PAT = "EAAGm0PX4ZCpsBAPageAccessTokenTest0123456789wxyz";

    @Test
    void toStringNeverShowsTheToken() {
        PageAccessToken token = new PageAccessToken(PAT);

        assertThat(token.toString()).isEqualTo("PageAccessToken[REDACTED]");
        assertThat(String.valueOf(Optional.of(token))).doesNotContain(PAT).doesNotContain("wxyz");
    }

    @Test
    void revealGivesTheTokenWithoutSurroundingSpace() {
        assertThat(new PageAccessToken("  " + PAT + "\n").reveal()).isEqualTo(PAT);
    }

    @Test
    void maskedShowsOnlyTheLastFourCharacters() {
        assertThat(new PageAccessToken(PAT).masked()).isEqualTo("****wxyz");
        assertThat(new PageAccessToken("123456789").masked()).isEqualTo("****6789");
    }

    @Test
    void aShortTokenIsMaskedWhole() {
        assertThat(new PageAccessToken("12345678").masked()).isEqualTo("****");
        assertThat(new PageAccessToken("abc").masked()).isEqualTo("****");
    }

    @Test
    void anEmptyTokenIsRefused() {
        assertThatThrownBy(() -> new PageAccessToken(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PageAccessToken("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PageAccessToken(" \t ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tokensAreEqualByValue() {
        assertThat(new PageAccessToken(PAT)).isEqualTo(new PageAccessToken(" " + PAT))
                .hasSameHashCodeAs(new PageAccessToken(PAT))
                .isNotEqualTo(new PageAccessToken(PAT + "1"));
    }
}
