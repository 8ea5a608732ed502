package linegate.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import linegate.store.LogRow;
import linegate.store.LogState;
import linegate.testing.Gateway;
import linegate.testing.Webhooks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What the queue's end-to-end tests share: a queued send, waiting for its final state, and what Meta received. */
final class QueuedSends {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<LogState> FINAL = Set.of(LogState.SENT, LogState.FAILED, LogState.UNKNOWN,
            LogState.DELIVERED, LogState.READ);

    private QueuedSends() {
    }

    /** MakeInstagram with async=1 on the gateway's line; asserts the 202 with 207 and returns the cdls_id. */
    static long queue(Gateway gw, String dest, String text) {
        Gateway.Response r = gw.postJson("/api/v2/MakeInstagram.php", gw.sendJson("\"dest\":\"" + dest
                + "\",\"mdata\":\"" + text + "\",\"async\":1"));
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        assertThat(r.statusCode()).as(r.raw()).isEqualTo(207);
        return r.ret().path("cdls_id").asLong();
    }

    /** Waits until the row is final (sent, failed, unknown), and returns it. */
    static LogRow awaitFinal(Gateway gw, long cdlsId) {
        return Webhooks.await("row " + cdlsId + " final", () -> gw.stores().log().find(cdlsId)
                .filter(r -> FINAL.contains(r.state())));
    }

    /** The message.status events of this row in the account's feed, in seq order: their states. */
    static List<String> statusEvents(Gateway gw, long cdlsId) {
        Gateway.Response feed = gw.get("/api/v2/Events.php?tsid=" + gw.tsid + "&after=0&limit=500");
        assertThat(feed.status()).as(feed.raw()).isEqualTo(200);
        List<String> states = new ArrayList<>();
        for (JsonNode e : feed.ret().path("events")) {
            if (e.path("type").asText().equals("message.status") && e.path("message").path("cdls_id").asLong() == cdlsId) {
                states.add(e.path("message").path("state").asText());
            }
        }
        return states;
    }

    /** MessageStatus of this row, the {@code message} object. */
    static JsonNode status(Gateway gw, long cdlsId) {
        Gateway.Response r = gw.get("/api/v2/MessageStatus.php?tsid=" + gw.tsid + "&cdls_id=" + cdlsId);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.ret().path("message");
    }

    /** A Send API call Meta received: to whom, what text, when (ms). */
    record Received(String dest, String text, long atMillis) {
    }

    /** Every Send API call Meta received, in the order it received them. */
    static List<Received> received(WireMockServer meta) {
        return meta.getAllServeEvents().stream()
                // a served node's start-up token check (GET /me) is no Send API call
                .filter(e -> e.getRequest().getUrl().endsWith("/messages"))
                .sorted(Comparator.comparing((ServeEvent e) -> e.getRequest().getLoggedDate()))
                .map(e -> {
                    try {
                        JsonNode body = JSON.readTree(e.getRequest().getBodyAsString());
                        return new Received(body.path("recipient").path("id").asText(),
                                body.path("message").path("text").asText(), e.getRequest().getLoggedDate().getTime());
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                })
                .toList();
    }
}
