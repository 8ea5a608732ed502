package linegate.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import linegate.store.LineClass;
import linegate.store.NewLine;
import linegate.store.PageAccessToken;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.MetaSamples;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Comments on a line's posts through the real server, on both databases (docs/api.md, "Events": comment.received):
 * Meta's documented comment payloads, signed as Meta signs them, become one comment.received event each, in the feed
 * and at the CRM's callback URL with the same bytes; the line's own comments, a Page comment's edit or removal, and a
 * redelivery are none. A private reply to a comment Linegate knows to be older than Meta's 7 days answers 240 without
 * a call to Meta; within them it is sent.
 */
class CommentEventsTest extends GatewayPerDatabase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "whsec_commentEventsTestSecret0123456789abcdefghij";
    private static final long DAY = 86_400_000L;
    private CallbackReceiver crm;
    private Webhooks hooks;

    @Override
    protected Map<String, String> gatewayEnv() {
        Map<String, String> env = new HashMap<>(Webhooks.env());
        env.put("LINEGATE_CALLBACK_ALLOW_PRIVATE", "true");
        env.put("LINEGATE_CALLBACK_RETRY_BASE_MS", "200");
        return env;
    }

    @BeforeEach
    void startReceiver() {
        crm = new CallbackReceiver();
        hooks = new Webhooks(gw);
    }

    @AfterEach
    void stopReceiver() {
        crm.close();
    }

    /** Meta's Instagram comment example, by {@code author} on the gateway's line, Meta sending it at {@code at}. */
    private static String igComment(String commentId, String author, long atMillis) throws Exception {
        String documented = Webhooks.jsoncSample("ig-webhook-comments.examples-page.doc.jsonc",
                "<YOUR_APP_USERS_INSTAGRAM_ACCOUNT_ID>", Gateway.IG_ACCOUNT_ID,
                "<TIME_META_SENT_THIS_NOTIFICATION>", Long.toString(atMillis / 1000),
                "<COMMENT_ID>", commentId,
                "<INSTAGRAM_SCOPED_USER_ID>", author,
                "<USERNAME>", "jane.doe",
                "<COMMENT_TEXT>", "How much is the blue one? 💙",
                "<MEDIA_ID>", "17895695668004550",
                "<MEDIA_PRODUCT_TYPE>", "FEED");
        // the examples page shows the delivery inside [ ]: the delivery is the object
        return JSON.writeValueAsString(JSON.readTree(documented).get(0));
    }

    /** The Page feed comment of the Webhooks reference, with this verb. */
    private static String pageComment(String pageId, String commentId, String author, String verb, long atMillis) {
        String post = pageId + "_244534320001";
        return Webhooks.jsoncSample("page-webhook-feed-comment.doc.jsonc",
                "<PAGE_ID>", pageId,
                "<TIME_META_SENT_THIS_NOTIFICATION>", Long.toString(atMillis / 1000 + 2),
                "<USER_ID>", author,
                "<USER_NAME>", "Jane Doe",
                "<COMMENT_ID>", commentId,
                "<POST_ID>", post,
                "<VERB>", verb,
                "<PARENT_ID>", post,
                "<CREATED_TIME>", Long.toString(atMillis / 1000),
                "<MESSAGE>", "Do you ship to Lyon?");
    }

    private List<JsonNode> comments(String commentId) {
        Gateway.Response r = gw.get("/api/v2/Events.php?tsid=" + gw.tsid + "&after=0&limit=500");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        List<JsonNode> found = new ArrayList<>();
        r.ret().path("events").forEach(e -> {
            if (e.path("type").asText().equals("comment.received")
                    && e.path("comment").path("comment_id").asText().equals(commentId)) {
                found.add(e);
            }
        });
        return found;
    }

    @Test
    void anInstagramCommentIsOneEventInTheFeedAndAtTheCrmWithTheSameBytes() throws Exception {
        String path = "/crm-ig-" + db.name().toLowerCase();
        assertThat(gw.stores().callbacks().setUrl(gw.accountId, crm.url(path), SECRET)).isTrue();
        String commentId = Webhooks.newId("1786");
        String author = Webhooks.newId("1254477");
        long at = (System.currentTimeMillis() / 1000 - 60) * 1000;

        hooks.deliver(igComment(commentId, author, at));
        hooks.deliver(igComment(commentId, author, at)); // Meta delivers at least once

        List<JsonNode> events = comments(commentId);
        assertThat(events).as("one event, however often Meta delivers it").hasSize(1);
        JsonNode event = events.getFirst();
        assertThat(event.path("app_id").asLong()).isEqualTo(gw.lineId);
        assertThat(event.path("channel").asText()).isEqualTo("instagram");
        assertThat(event.has("message")).isFalse();
        assertThat(event.path("occurred_at").asText()).isEqualTo(java.time.Instant.ofEpochMilli(at).toString()
                .replace("Z", ".000Z"));
        JsonNode c = event.path("comment");
        assertThat(c.path("app_id").asLong()).isEqualTo(gw.lineId);
        assertThat(c.path("post_id").asText()).isEqualTo("17895695668004550");
        assertThat(c.path("parent_id").isNull()).isTrue();
        assertThat(c.path("from").path("id").asText()).isEqualTo(author);
        assertThat(c.path("from").path("username").asText()).isEqualTo("jane.doe");
        assertThat(c.path("from").path("name").isNull()).isTrue();
        assertThat(c.path("text").asText()).isEqualTo("How much is the blue one? 💙");
        assertThat(c.path("media_product_type").asText()).isEqualTo("FEED");
        assertThat(c.path("created_at").asText()).isEqualTo(event.path("occurred_at").asText());

        CallbackReceiver.Received got = Webhooks.await("the CRM to receive the comment.received event",
                () -> crm.at(path).stream().filter(r -> r.eventId().equals(event.path("event_id").asText())).findFirst());
        assertThat(JSON.readTree(got.body())).isEqualTo(event);
        // the emoji as UTF-8, as the feed writes it, not as an escaped surrogate pair (\uD83D\uDC99)
        assertThat(new String(got.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("💙")
                .doesNotContain("\\uD83D");
        long t = Long.parseLong(got.signature().substring(2, got.signature().indexOf(',')));
        assertThat(got.signature()).isEqualTo(CallbackSignature.header(t, got.body(), SECRET, Optional.empty()));
        assertThat(gw.rows().stream().filter(r -> r.mdata().contains("blue one"))).as("no message_log row").isEmpty();
    }

    @Test
    void aPageCommentIsAnEventOnTheMessengerLineAndItsEditsAndRemovalAreNone() {
        String pageId = Webhooks.newId("10448");
        long line = gw.stores().lines().create(new NewLine(gw.accountId, LineClass.MESSENGER,
                Optional.of(new PageAccessToken(Gateway.PAGE_TOKEN)), Optional.empty(), Optional.of(pageId), true, false));
        String commentId = pageId.substring(5) + "_" + Webhooks.newId("1491873");
        String author = Webhooks.newId("1234567");
        long at = (System.currentTimeMillis() / 1000 - 30) * 1000;

        hooks.deliver(pageComment(pageId, commentId, author, "add", at));
        hooks.deliver(pageComment(pageId, commentId, author, "edited", at + 5_000));
        hooks.deliver(pageComment(pageId, commentId, author, "remove", at + 9_000));

        List<JsonNode> events = comments(commentId);
        assertThat(events).hasSize(1);
        JsonNode c = events.getFirst().path("comment");
        assertThat(events.getFirst().path("app_id").asLong()).isEqualTo(line);
        assertThat(events.getFirst().path("channel").asText()).isEqualTo("messenger");
        assertThat(c.path("post_id").asText()).isEqualTo(pageId + "_244534320001");
        assertThat(c.path("parent_id").asText()).isEqualTo(pageId + "_244534320001");
        assertThat(c.path("from").path("id").asText()).isEqualTo(author);
        assertThat(c.path("from").path("name").asText()).isEqualTo("Jane Doe");
        assertThat(c.path("from").path("username").isNull()).isTrue();
        assertThat(c.path("text").asText()).isEqualTo("Do you ship to Lyon?");
        assertThat(c.path("created_at").asText()).isEqualTo(java.time.Instant.ofEpochMilli(at).toString()
                .replace("Z", ".000Z"));
        assertThat(hooks.inbox().stream().filter(r -> r.body().contains(commentId)).map(InboxRowView::of)
                .toList()).as("every delivery applied, none kept with an error").containsOnly(new InboxRowView(true, null));
    }

    private record InboxRowView(boolean processed, String lastError) {
        static InboxRowView of(Webhooks.InboxRow r) {
            return new InboxRowView(r.processedAt() != null, r.lastError());
        }
    }

    @Test
    void commentsTheLinesOwnAccountWritesAreNoEvents() throws Exception {
        String igComment = Webhooks.newId("1786");
        String pageId = Webhooks.newId("10449");
        gw.stores().lines().create(new NewLine(gw.accountId, LineClass.MESSENGER,
                Optional.of(new PageAccessToken(Gateway.PAGE_TOKEN)), Optional.empty(), Optional.of(pageId), true, false));
        String pageComment = pageId.substring(5) + "_" + Webhooks.newId("1491873");
        long at = System.currentTimeMillis() - 10_000;

        hooks.deliver(igComment(igComment, Gateway.IG_ACCOUNT_ID, at));
        hooks.deliver(pageComment(pageId, pageComment, pageId, "add", at));

        assertThat(comments(igComment)).isEmpty();
        assertThat(comments(pageComment)).isEmpty();
        assertThat(gw.get("/metrics").raw()).contains("kind=\"comment\",object=\"instagram\",result=\"own_comment\"");
    }

    @Test
    void aPrivateReplyToACommentOlderThanSevenDaysAnswers240WithoutCallingMeta() throws Exception {
        String old = Webhooks.newId("1786");
        String recent = Webhooks.newId("1786");
        String author = Webhooks.newId("1254477");
        long now = System.currentTimeMillis();
        hooks.deliver(igComment(old, author, now - 8 * DAY));
        hooks.deliver(igComment(recent, author, now - 6 * DAY));
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));

        Gateway.Response refused = gw.postJson("/api/v2/MakeInstagram.php",
                gw.sendJson("\"comment_id\":\"" + old + "\",\"mdata\":\"Sent you the price list\""));
        Gateway.Response sent = gw.postJson("/api/v2/MakeInstagram.php",
                gw.sendJson("\"comment_id\":\"" + recent + "\",\"mdata\":\"Sent you the price list\""));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.statusCode()).as(refused.raw()).isEqualTo(240);
        assertThat(refused.ret().path("status").asText()).isEqualTo("Outside messaging window");
        assertThat(refused.ret().path("cdls_id").asLong()).isPositive();
        assertThat(refused.ret().path("detail").asText()).contains("comment " + old, "7 days");
        assertThat(sent.statusCode()).as(sent.raw()).isEqualTo(200);
        assertThat(sent.ret().has("window")).as("a comment's author has no conversation yet").isFalse();
        List<String> toMeta = gw.meta().findAll(postRequestedFor(urlPathEqualTo(Gateway.GRAPH_PATH))).stream()
                .map(LoggedRequest::getBodyAsString).toList();
        assertThat(toMeta).anyMatch(b -> b.contains("\"comment_id\":\"" + recent + "\""));
        assertThat(toMeta).noneMatch(b -> b.contains(old));
    }

    @Test
    void aQueuedPrivateReplyToACommentOlderThanSevenDaysFailsWith240WhenTheWorkerTakesIt() throws Exception {
        String old = Webhooks.newId("1786");
        hooks.deliver(igComment(old, Webhooks.newId("1254477"), System.currentTimeMillis() - 8 * DAY));
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));

        Gateway.Response queued = gw.postJson("/api/v2/MakeInstagram.php",
                gw.sendJson("\"comment_id\":\"" + old + "\",\"mdata\":\"Sent you the price list\",\"async\":1"));
        assertThat(queued.statusCode()).as(queued.raw()).isEqualTo(207);
        long cdlsId = queued.ret().path("cdls_id").asLong();

        linegate.store.LogRow row = Webhooks.await("the queued private reply to fail", () -> gw.stores().log()
                .find(cdlsId).filter(r -> r.state() == linegate.store.LogState.FAILED));
        assertThat(row.error().orElseThrow().statusCode()).isEqualTo(240);
        assertThat(gw.meta().findAll(postRequestedFor(urlPathEqualTo(Gateway.GRAPH_PATH))).stream()
                .map(LoggedRequest::getBodyAsString)).noneMatch(b -> b.contains(old));
    }

    @Test
    void aPrivateReplyToACommentLinegateNeverHeardOfGoesToMeta() {
        String unknown = Webhooks.newId("1785");
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));

        Gateway.Response sent = gw.postJson("/api/v2/MakeInstagram.php",
                gw.sendJson("\"comment_id\":\"" + unknown + "\",\"mdata\":\"Hello from the shop\""));

        assertThat(sent.statusCode()).as(sent.raw()).isEqualTo(200);
        assertThat(gw.meta().findAll(postRequestedFor(urlPathEqualTo(Gateway.GRAPH_PATH))).stream()
                .map(LoggedRequest::getBodyAsString)).anyMatch(b -> b.contains("\"comment_id\":\"" + unknown + "\""));
    }
}
