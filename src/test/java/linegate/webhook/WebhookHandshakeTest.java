package linegate.webhook;

import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Meta's subscription handshake (docs/api.md, "The messaging window", docs/meta-facts.md, "Webhook handshake"): {@code GET /webhooks/meta?hub.mode=subscribe&
 * hub.verify_token=T&hub.challenge=C} answers exactly C as plain text when T is LINEGATE_VERIFY_TOKEN, else 403.
 */
class WebhookHandshakeTest extends GatewayPerDatabase {
    /** Meta's documented example challenge (docs/meta-facts.md, "Webhook handshake"). */
    static final String CHALLENGE = "1158201444";

    @Override
    protected Map<String, String> gatewayEnv() {
        return Webhooks.env();
    }

    private static Gateway.Response handshake(Gateway gateway, String mode, String token, String challenge) {
        StringBuilder q = new StringBuilder();
        if (mode != null) {
            q.append("&hub.mode=").append(enc(mode));
        }
        if (token != null) {
            q.append("&hub.verify_token=").append(enc(token));
        }
        if (challenge != null) {
            q.append("&hub.challenge=").append(enc(challenge));
        }
        return gateway.get(Webhooks.PATH + (q.isEmpty() ? "" : "?" + q.substring(1)));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void assertRefused(Gateway.Response r) {
        assertThat(r.status()).as("HTTP status, body %s", r.raw()).isEqualTo(403);
        assertThat(r.raw()).doesNotContain(CHALLENGE).doesNotContain(Webhooks.VERIFY_TOKEN);
    }

    @Test
    void answersExactlyTheChallengeAsPlainTextWhenTheVerifyTokenMatches() {
        Gateway.Response r = handshake(gw, "subscribe", Webhooks.VERIFY_TOKEN, CHALLENGE);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.raw()).isEqualTo(CHALLENGE);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    }

    @Test
    void answersAnyChallengeVerbatim() {
        String challenge = "Zx-91_ab.C~7";

        Gateway.Response r = handshake(gw, "subscribe", Webhooks.VERIFY_TOKEN, challenge);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.raw()).isEqualTo(challenge);
    }

    @Test
    void refusesAWrongVerifyToken() {
        assertRefused(handshake(gw, "subscribe", "meatyhamhocks", CHALLENGE));
        assertRefused(handshake(gw, "subscribe", "MEATYHAMHOCK", CHALLENGE));
        assertRefused(handshake(gw, "subscribe", "", CHALLENGE));
    }

    @Test
    void refusesAMissingVerifyToken() {
        assertRefused(handshake(gw, "subscribe", null, CHALLENGE));
    }

    @Test
    void refusesAModeOtherThanSubscribe() {
        assertRefused(handshake(gw, "unsubscribe", Webhooks.VERIFY_TOKEN, CHALLENGE));
        assertRefused(handshake(gw, "SUBSCRIBE", Webhooks.VERIFY_TOKEN, CHALLENGE));
        assertRefused(handshake(gw, null, Webhooks.VERIFY_TOKEN, CHALLENGE));
    }

    @Test
    void refusesAMissingChallenge() {
        assertRefused(handshake(gw, "subscribe", Webhooks.VERIFY_TOKEN, null));
    }

    @Test
    void refusesEveryHandshakeWhenNoVerifyTokenIsConfigured(@TempDir Path otherTmp) {
        try (Gateway unconfigured = Gateway.start(db, otherTmp, Gateway.env("LINEGATE_APP_SECRET", Webhooks.APP_SECRET))) {
            assertRefused(handshake(unconfigured, "subscribe", Webhooks.VERIFY_TOKEN, CHALLENGE));
            assertRefused(handshake(unconfigured, "subscribe", "", CHALLENGE));
            assertRefused(handshake(unconfigured, "subscribe", null, CHALLENGE));
        }
    }
}
