package linegate.events;

import com.fasterxml.jackson.databind.JsonNode;
import linegate.store.LineHealth;
import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.MetaStubs;
import linegate.testing.TestDb;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * line.status and conversation.window_closing through the real server (docs/api.md, "Events"): Meta's answers to
 * sends change the line's health, each change one event in the feed beside the sends' own; a customer's window about
 * to close is warned about once, by the node's own scheduled task.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class LineAndWindowEventsTest {
    private static final String PEER = "1254477777772919";
    private static final long HOUR = 3_600_000L;

    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    private static Gateway.Response send(Gateway gw) {
        return gw.postJson("/api/v2/MakeInstagram.php", "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + gw.lineId
                + ",\"dest\":\"" + PEER + "\",\"mdata\":\"Your order has shipped\"}");
    }

    private static List<JsonNode> feed(Gateway gw, long after, int wait) {
        Gateway.Response r = gw.get("/api/v2/Events.php?tsid=" + gw.tsid + "&after=" + after + "&wait=" + wait);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        List<JsonNode> events = new ArrayList<>();
        r.ret().path("events").forEach(events::add);
        return events;
    }

    private static List<String> summary(List<JsonNode> events) {
        return events.stream().map(e -> e.path("type").asText() + " " + (e.has("line")
                ? e.path("line").path("previous_health").asText() + "->" + e.path("line").path("health").asText()
                : e.path("message").path("state").asText())).toList();
    }

    @Test
    void metasAnswersChangeTheLinesHealthAndEachChangeIsOneEvent() {
        try (Gateway gw = Gateway.start(db, tmp)) {
            MetaStubs.answers(gw.meta(), MetaStubs.answer(400,
                    MetaSamples.read("error-envelope-graph-error-handling.doc.json")));
            assertThat(send(gw).statusCode()).isEqualTo(250);
            assertThat(send(gw).statusCode()).as("the same health again").isEqualTo(250);
            MetaStubs.answers(gw.meta(), MetaStubs.answer(200,
                    "{\"recipient_id\":\"" + PEER + "\",\"message_id\":\"aWdfZAG1faXRlbToxOkl\"}"));
            assertThat(send(gw).statusCode()).isEqualTo(200);
            assertThat(send(gw).statusCode()).isEqualTo(200);

            List<JsonNode> events = feed(gw, 0, 0);

            assertThat(summary(events)).containsExactly("message.status failed", "line.status unknown->token_rejected",
                    "message.status failed", "message.status sent", "line.status token_rejected->ok",
                    "message.status sent");
            JsonNode rejected = events.get(1);
            assertThat(rejected.has("message")).isFalse();
            assertThat(rejected.path("app_id").asLong()).isEqualTo(gw.lineId);
            assertThat(rejected.path("channel").asText()).isEqualTo("instagram");
            assertThat(rejected.path("line").path("app_id").asLong()).isEqualTo(gw.lineId);
            assertThat(rejected.path("line").path("reason").asText())
                    .isEqualTo("Meta error 190/460: Message describing the error");
            assertThat(events.get(4).path("line").path("reason").isNull()).isTrue();
            assertThat(gw.stores().lines().find(gw.lineId).orElseThrow().health()).isEqualTo(LineHealth.OK);
        }
    }

    /**
     * A Page restricted from sending (10/1893063, Meta's June 2026 error; facts.md §7a) or blocked for policy (368)
     * makes the line restricted with one line.status event; a later success makes it ok again.
     */
    @Test
    void aRestrictionFromMetaMakesTheLineRestrictedWithOneEvent() {
        try (Gateway gw = Gateway.start(db, tmp)) {
            MetaStubs.answers(gw.meta(), MetaStubs.answer(400, MetaSamples.error(10, 1893063, "OAuthException",
                    "You are temporarily restricted from sending messages.", "AbCdRestricted1")));
            assertThat(send(gw).statusCode()).isEqualTo(255);
            assertThat(gw.stores().lines().find(gw.lineId).orElseThrow().health()).isEqualTo(LineHealth.RESTRICTED);
            MetaStubs.answers(gw.meta(), MetaStubs.answer(400, MetaSamples.error(368, null, "OAuthException",
                    "The action attempted has been deemed abusive or is otherwise disallowed", "AbCdBlocked22")));
            // 368 is no permission code in the contract's table (§3: 255 is Meta's 10, 200 and 3), so 270; the line
            // is restricted already: no second event
            assertThat(send(gw).statusCode()).isEqualTo(270);
            MetaStubs.answers(gw.meta(), MetaStubs.answer(200,
                    "{\"recipient_id\":\"" + PEER + "\",\"message_id\":\"aWdfZAG1faXRlbToxOkl\"}"));
            assertThat(send(gw).statusCode()).isEqualTo(200);

            List<JsonNode> events = feed(gw, 0, 0);

            assertThat(summary(events)).containsExactly("message.status failed", "line.status unknown->restricted",
                    "message.status failed", "message.status sent", "line.status restricted->ok");
            assertThat(events.get(1).path("line").path("reason").asText()).startsWith("Meta error 10/1893063");
            assertThat(gw.stores().lines().find(gw.lineId).orElseThrow().health()).isEqualTo(LineHealth.OK);
        }
    }

    @Test
    void aWindowAboutToCloseIsWarnedOnceByTheNodesScheduledTask() {
        Map<String, String> env;
        long lastInbound = System.currentTimeMillis() - 23 * HOUR - 30 * 60_000L;
        String mid = Webhooks.newIgMid();
        try (Gateway first = Gateway.start(db, tmp, Webhooks.env())) {
            env = new HashMap<>(first.env());
            new Webhooks(first).deliver(Webhooks.igMessage(Gateway.IG_ACCOUNT_ID, PEER, mid, lastInbound));
            assertThat(summary(feed(first, 0, 0))).containsExactly("message.received received");
        }
        // a node started on that database warns at its first scan, a few seconds after start-up
        try (Gateway gw = Gateway.start(env)) {
            String tsid = firstTsid(gw);
            List<JsonNode> events = new ArrayList<>();
            gw.get("/api/v2/Events.php?tsid=" + tsid + "&after=1&wait=20").ret().path("events").forEach(events::add);

            assertThat(events).hasSize(1);
            JsonNode warning = events.getFirst();
            assertThat(warning.path("type").asText()).isEqualTo("conversation.window_closing");
            assertThat(warning.has("message")).isFalse();
            assertThat(warning.path("conversation").path("dest").asText()).isEqualTo(PEER);
            assertThat(java.time.Instant.parse(warning.path("conversation").path("expires_at").asText()).toEpochMilli())
                    .isEqualTo(lastInbound + 24 * HOUR);

            assertThat(gw.get("/api/v2/Events.php?tsid=" + tsid + "&after=2&wait=0").ret().path("events"))
                    .as("once per window").isEmpty();
        }
    }

    /** The first gateway's account token (the second gateway made an account of its own). */
    private static String firstTsid(Gateway gw) {
        return gw.stores().tokens().create(gw.stores().lines().findActiveByIgAccountId(Gateway.IG_ACCOUNT_ID)
                .orElseThrow().accountId(), "feed reader").tsid();
    }
}
