package linegate.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import linegate.Main;
import linegate.store.LogRow;
import linegate.store.LogState;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.MetaSamples;
import linegate.testing.MetaStubs;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Delivery and read events move Linegate's outbound rows {@code sent -> delivered -> read} (docs/api.md, "The message log" and "The messaging window"), never
 * backwards: Instagram's seen event names a message id (docs/meta-facts.md, "Webhook objects and events"), Messenger's delivery names message ids and a
 * watermark, its read a watermark (docs/meta-facts.md, "Webhook objects and events"). MessageStatus and {@code linegate log list} show the times.
 */
class DeliveryAndReadStatesTest extends GatewayPerDatabase {
    static final ObjectMapper JSON = new ObjectMapper();

    Webhooks hooks;
    Webhooks.Line ig;
    Webhooks.Line page;
    String peer;

    @Override
    protected Map<String, String> gatewayEnv() {
        return Webhooks.env();
    }

    @BeforeParameterizedClassInvocation(injectArguments = false)
    void openWebhooks() {
        hooks = new Webhooks(gw);
    }

    @BeforeEach
    void freshLinesAndPeer() {
        ig = hooks.newInstagramLine();
        page = hooks.newMessengerLine();
        peer = Webhooks.newId("125447");
    }

    // ---- Meta's events, from the documented samples ----

    /** ig-login-webhook-seen.postman.json: the customer saw {@code mid} at {@code at}. */
    private String igSeen(String mid, long at) {
        return Webhooks.sample("ig-login-webhook-seen.postman.json",
                "<YOUR_APP_USERS_INSTAGRAM_USER_ID>", ig.entryId(),
                "\"<TIME_NOTIFICATION_WAS_SENT>\"", Long.toString(at + 200),
                "<INSTAGRAM_SCOPED_ID>", peer,
                "\"<TIME_WEBHOOK_WAS_TRIGGERED>\"", Long.toString(at),
                "<MESSAGE_ID>", mid);
    }

    /** messenger-webhook-message-deliveries.doc.json (no timestamp of its own) with these mids and watermark. */
    private String delivery(List<String> mids, long watermark) {
        String event = Webhooks.sample("messenger-webhook-message-deliveries.doc.json",
                "<PSID>", peer, "<PAGE_ID>", page.entryId(),
                "\"mid.1458668856218:ed81099e15d3f4f233\"", String.join(",", mids.stream().map(m -> "\"" + m + "\"").toList()),
                "1458668856253", Long.toString(watermark));
        return Webhooks.page(page.entryId(), watermark + 300, event);
    }

    /** messenger-webhook-message-reads.doc.json: everything up to {@code watermark} read, reported at {@code at}. */
    private String read(long watermark, long at) {
        String event = Webhooks.sample("messenger-webhook-message-reads.doc.json",
                "<PSID>", peer, "<PAGE_ID>", page.entryId(),
                "1458668856463", Long.toString(at), "1458668856253", Long.toString(watermark));
        return Webhooks.page(page.entryId(), at + 300, event);
    }

    private long sendInstagram(String text, String mid) {
        return hooks.send(Webhooks.MAKE_INSTAGRAM, ig.id(), peer, text, mid);
    }

    private long sendMessenger(String text, String mid) {
        return hooks.send(Webhooks.MAKE_MESSENGER, page.id(), peer, text, mid);
    }

    private static void afterMillis(long t) {
        while (System.currentTimeMillis() <= t) {
            Thread.onSpinWait();
        }
    }

    // ---- Instagram ----

    @Test
    void instagramSeenMarksTheMessageAndEveryEarlierOneToThePeerRead() {
        String firstMid = Webhooks.newIgMid();
        String secondMid = Webhooks.newIgMid();
        long first = sendInstagram("Your order has shipped", firstMid);
        long second = sendInstagram("Tracking: 1Z999AA10123456784", secondMid);
        String otherPeer = peer;
        peer = Webhooks.newId("125448");
        long toSomeoneElse = sendInstagram("Hello", Webhooks.newIgMid());
        peer = otherPeer;
        long seenAt = hooks.row(second).sentAt().orElseThrow() + 2_000;

        hooks.deliver(igSeen(secondMid, seenAt));

        for (long id : List.of(first, second)) {
            LogRow row = hooks.row(id);
            assertThat(row.state()).as("row %s", id).isEqualTo(LogState.READ);
            assertThat(row.readAt()).contains(seenAt);
            assertThat(row.deliveredAt()).isPresent();
        }
        assertThat(hooks.row(toSomeoneElse).state()).isEqualTo(LogState.SENT);
        assertThat(hooks.rows(ig.id())).hasSize(3);
    }

    @Test
    void instagramSeenOfAnEarlierMessageLeavesALaterOneSent() {
        String firstMid = Webhooks.newIgMid();
        long first = sendInstagram("First", firstMid);
        afterMillis(hooks.row(first).sentAt().orElseThrow());
        long second = sendInstagram("Second", Webhooks.newIgMid());
        long seenAt = System.currentTimeMillis();

        hooks.deliver(igSeen(firstMid, seenAt));

        assertThat(hooks.row(first).state()).isEqualTo(LogState.READ);
        assertThat(hooks.row(second).state()).isEqualTo(LogState.SENT);
        assertThat(hooks.row(second).readAt()).isEmpty();
    }

    @Test
    void instagramSeenOfAMessageLinegateDidNotSendChangesNothing() {
        long sent = sendInstagram("Hello", Webhooks.newIgMid());
        LogRow before = hooks.row(sent);

        hooks.deliver(igSeen(Webhooks.newIgMid(), System.currentTimeMillis()));

        assertThat(hooks.row(sent)).isEqualTo(before);
    }

    // ---- Messenger ----

    @Test
    void messengerDeliveryByMidMarksTheMessageDelivered() {
        String mid = Webhooks.newMessengerMid();
        long sent = sendMessenger("Your table is booked", mid);
        long watermark = hooks.row(sent).sentAt().orElseThrow() + 500;

        hooks.deliver(delivery(List.of(mid), watermark));

        LogRow row = hooks.row(sent);
        assertThat(row.state()).isEqualTo(LogState.DELIVERED);
        assertThat(row.deliveredAt()).contains(watermark);
        assertThat(row.readAt()).isEmpty();
    }

    @Test
    void messengerDeliveryWatermarkAloneMarksEverythingSentUpToItDelivered() {
        long first = sendMessenger("One", Webhooks.newMessengerMid());
        long watermark = hooks.row(first).sentAt().orElseThrow();
        afterMillis(watermark);
        long later = sendMessenger("Two", Webhooks.newMessengerMid());

        hooks.deliver(delivery(List.of(), watermark));

        assertThat(hooks.row(first).state()).isEqualTo(LogState.DELIVERED);
        assertThat(hooks.row(first).deliveredAt()).contains(watermark);
        assertThat(hooks.row(later).state()).as("sent after the watermark").isEqualTo(LogState.SENT);
        assertThat(hooks.row(later).deliveredAt()).isEmpty();
    }

    @Test
    void messengerReadWatermarkMarksEverythingSentUpToItRead() {
        long first = sendMessenger("One", Webhooks.newMessengerMid());
        long second = sendMessenger("Two", Webhooks.newMessengerMid());
        long watermark = hooks.row(second).sentAt().orElseThrow();
        afterMillis(watermark);
        long later = sendMessenger("Three", Webhooks.newMessengerMid());
        long readAt = watermark + 60_000;

        hooks.deliver(read(watermark, readAt));

        for (long id : List.of(first, second)) {
            assertThat(hooks.row(id).state()).isEqualTo(LogState.READ);
            assertThat(hooks.row(id).readAt()).contains(readAt);
            assertThat(hooks.row(id).deliveredAt()).isPresent();
        }
        assertThat(hooks.row(later).state()).isEqualTo(LogState.SENT);
    }

    @Test
    void deliveredThenReadKeepsTheDeliveryTime() {
        String mid = Webhooks.newMessengerMid();
        long sent = sendMessenger("Hi", mid);
        long deliveredAt = hooks.row(sent).sentAt().orElseThrow() + 300;
        hooks.deliver(delivery(List.of(mid), deliveredAt));

        hooks.deliver(read(deliveredAt + 1_000, deliveredAt + 1_000));

        LogRow row = hooks.row(sent);
        assertThat(row.state()).isEqualTo(LogState.READ);
        assertThat(row.deliveredAt()).contains(deliveredAt);
        assertThat(row.readAt()).contains(deliveredAt + 1_000);
    }

    @Test
    void statesNeverGoBackwards() {
        String mid = Webhooks.newMessengerMid();
        long sent = sendMessenger("Hi", mid);
        long sentAt = hooks.row(sent).sentAt().orElseThrow();
        hooks.deliver(read(sentAt + 1_000, sentAt + 2_000));
        LogRow read = hooks.row(sent);
        assertThat(read.state()).isEqualTo(LogState.READ);

        // Meta does not promise order (docs/meta-facts.md, "Webhook objects and events"): a late delivery receipt, by mid and by watermark, and a later read
        hooks.deliver(delivery(List.of(mid), sentAt + 500));
        hooks.deliver(delivery(List.of(), sentAt + 5_000));
        hooks.deliver(read(sentAt + 9_000, sentAt + 9_000));

        assertThat(hooks.row(sent)).isEqualTo(read);
    }

    @Test
    void deliveryAndReadEventsLeaveAFailedSendAlone() {
        long sent = sendMessenger("Hi", Webhooks.newMessengerMid());
        long sentAt = hooks.row(sent).sentAt().orElseThrow();
        // a row Meta refused (docs/api.md, "The message log": failed) is not Meta's to mark delivered or read
        MetaStubs.answers(gw.meta(), MetaStubs.answer(400,
                MetaSamples.read("error-envelope-messenger-common.doc.json")));
        Gateway.Response refused = gw.postJson(Webhooks.MAKE_MESSENGER, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":"
                + page.id() + ",\"dest\":\"" + peer + "\",\"mdata\":\"Hi again\"}");
        assertThat(refused.statusCode()).isNotEqualTo(200);
        long failed = refused.ret().path("cdls_id").asLong();
        assertThat(hooks.row(failed).state()).isEqualTo(LogState.FAILED);
        LogRow failedBefore = hooks.row(failed);

        hooks.deliver(delivery(List.of(), sentAt + 100));
        hooks.deliver(read(sentAt + 200, sentAt + 200));

        assertThat(hooks.row(sent).state()).isEqualTo(LogState.READ);
        assertThat(hooks.row(failed)).isEqualTo(failedBefore);
    }

    // ---- what clients and operators see ----

    @Test
    void messageStatusAndLogListShowTheDeliveryAndReadTimes() throws IOException {
        String mid = Webhooks.newMessengerMid();
        long sent = sendMessenger("Your table is booked", mid);
        long deliveredAt = hooks.row(sent).sentAt().orElseThrow() + 250;
        long readAt = deliveredAt + 30_000;
        hooks.deliver(delivery(List.of(mid), deliveredAt));
        hooks.deliver(read(deliveredAt, readAt));

        JsonNode m = gw.get("/api/v2/MessageStatus.php?tsid=" + gw.tsid + "&cdls_id=" + sent).ret().path("message");
        assertThat(m.path("state").asText()).isEqualTo("read");
        assertThat(m.path("messageId").asText()).isEqualTo(mid);
        assertThat(m.path("delivered_at").asText()).isEqualTo(Instant.ofEpochMilli(deliveredAt).toString());
        assertThat(m.path("read_at").asText()).isEqualTo(Instant.ofEpochMilli(readAt).toString());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(new String[]{"log", "list", "--account", Long.toString(gw.accountId), "--limit", "10000"}, env, o, e);
        }
        assertThat(code).as("exit code; stderr %s", err).isZero();
        List<JsonNode> listed = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                listed.add(JSON.readTree(line));
            }
        }
        JsonNode row = listed.stream().filter(n -> n.path("cdls_id").asLong() == sent).findFirst().orElseThrow();
        assertThat(row.path("state").asText()).isEqualTo("read");
        assertThat(row.path("delivered_at").asText()).isEqualTo(Instant.ofEpochMilli(deliveredAt).toString());
        assertThat(row.path("read_at").asText()).isEqualTo(Instant.ofEpochMilli(readAt).toString());
        assertThat(row.path("messageId").asText()).isEqualTo(mid);
    }
}
