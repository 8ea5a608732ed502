package linegate.health;

import linegate.meta.GraphError;
import linegate.meta.GraphOutcome;
import linegate.meta.MetaUsage;
import linegate.store.LineHealth;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an answer says of the line (facts §4.4 and §4.5): authorisation errors refuse the token, policy restrictions
 * restrict the line, a send Meta took shows it works; errors about one customer, one message or the rate say nothing.
 */
class HealthSignalsTest {
    private static GraphOutcome rejected(Integer code, Integer subcode, String message) {
        return new GraphOutcome.Rejected(new GraphError(code, subcode, "OAuthException", message, "AbC", 400,
                Optional.empty()), MetaUsage.NONE);
    }

    @ParameterizedTest(name = "{0}/{1} -> {2}")
    @CsvSource(nullValues = "-", value = {
            "190, 460, token_rejected", "190, -, token_rejected", "102, -, token_rejected",
            "200, 2534041, token_rejected", "10, 2534077, token_rejected",
            "10, 1893063, restricted", "368, -, restricted", "100, 2534029, restricted",
            "10, 2534022, -", "10, -, -", "200, 1545041, -", "551, -, -", "100, 2018001, -", "4, -, -",
            "613, 2534040, -", "1, 1357046, -", "2, -, -", "100, 2018008, -"})
    void metasErrorsAndTheHealthTheyShow(int code, Integer subcode, String health) {
        Optional<HealthSignals.Signal> signal = HealthSignals.of(rejected(code, subcode, "Meta's words"));

        assertThat(signal.map(s -> s.health().dbValue())).isEqualTo(Optional.ofNullable(health));
        signal.ifPresent(s -> assertThat(s.reason()).contains("Meta error " + code
                + (subcode == null ? "" : "/" + subcode) + ": Meta's words"));
    }

    @Test
    void aSendMetaTookShowsTheLineWorksAndNoAnswerShowsNothing() {
        assertThat(HealthSignals.of(new GraphOutcome.Sent("m_1", "1254477777772919", MetaUsage.NONE)))
                .contains(new HealthSignals.Signal(LineHealth.OK, Optional.empty()));
        assertThat(HealthSignals.of(new GraphOutcome.Unreachable("timed out after 10 s"))).isEmpty();
        assertThat(HealthSignals.of(new GraphOutcome.NotSent(GraphOutcome.NotSent.Reason.NO_SLOT, "full", 1))).isEmpty();
    }

    @Test
    void aLongMessageIsCutAndAMissingOneLeavesTheCode() {
        String reason = HealthSignals.of(rejected(190, null, "x".repeat(5_000))).orElseThrow().reason().orElseThrow();
        assertThat(reason).hasSize("Meta error 190: ".length() + HealthSignals.MAX_REASON_LENGTH + 1).endsWith("x…");
        assertThat(HealthSignals.of(rejected(190, 463, null)).orElseThrow().reason()).contains("Meta error 190/463");
    }
}
