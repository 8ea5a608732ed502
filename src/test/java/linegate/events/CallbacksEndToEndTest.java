package linegate.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.MetaSamples;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole path through the real server: a send on an account with a callback URL reaches the CRM's endpoint as a
 * signed {@code message.status} event whose body is, byte for byte, the event the feed gives for the same seq.
 */
class CallbacksEndToEndTest extends GatewayPerDatabase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "whsec_endToEndTestSecret0123456789abcdefghijklmno";
    /** One per test: the class's instance lives for both databases' runs. */
    private CallbackReceiver crm;

    @Override
    protected Map<String, String> gatewayEnv() {
        return Map.of("LINEGATE_CALLBACK_ALLOW_PRIVATE", "true", "LINEGATE_CALLBACK_RETRY_BASE_MS", "200");
    }

    @BeforeEach
    void startReceiver() {
        crm = new CallbackReceiver();
    }

    @AfterEach
    void stopReceiver() {
        crm.close();
    }

    @Test
    void aSendReachesTheCrmAsASignedEventIdenticalToTheFeeds() throws Exception {
        String path = "/crm-" + db.name().toLowerCase();
        assertThat(gw.stores().callbacks().setUrl(gw.accountId, crm.url(path), SECRET)).isTrue();
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));

        Gateway.Response sent = gw.postJson("/api/v2/MakeInstagram.php",
                gw.sendJson("\"dest\":\"1254477777772919\",\"mdata\":\"callback me\""));
        assertThat(sent.statusCode()).as(sent.raw()).isEqualTo(200);
        long cdlsId = sent.ret().path("cdls_id").asLong();

        CallbackReceiver.Received got = Webhooks.await("the CRM to receive the message.status event",
                () -> crm.at(path).stream().filter(r -> eventOf(r).path("message").path("cdls_id").asLong() == cdlsId
                        && eventOf(r).path("type").asText().equals("message.status")).findFirst());
        JsonNode event = eventOf(got);
        assertThat(event.path("message").path("state").asText()).isEqualTo("sent");
        assertThat(got.eventId()).isEqualTo(event.path("event_id").asText());
        assertThat(got.contentType()).startsWith("application/json");
        long t = Long.parseLong(got.signature().substring(2, got.signature().indexOf(',')));
        assertThat(got.signature()).isEqualTo(CallbackSignature.header(t, got.body(), SECRET, Optional.empty()));

        Gateway.Response feed = gw.get("/api/v2/Events.php?tsid=" + gw.tsid + "&after=" + (event.path("seq").asLong() - 1)
                + "&limit=1");
        assertThat(JSON.writeValueAsString(feed.ret().path("events").get(0)))
                .isEqualTo(new String(got.body(), StandardCharsets.UTF_8));
    }

    private static JsonNode eventOf(CallbackReceiver.Received r) {
        try {
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + new String(r.body(), StandardCharsets.UTF_8), e);
        }
    }
}
