package linegate.webhook;

import linegate.store.LogRow;
import linegate.store.LogState;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.MetaStubs;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Echoes of the business's own messages (docs/api.md, "The messaging window": "Echoes confirm Linegate's own sends, or are logged as sent from
 * Meta's app"; docs/meta-facts.md, "Webhook objects and events" and §5.6): an echo of a Linegate send changes nothing, an echo of a message typed in Meta's
 * apps is an outbound row of origin meta_app, and an echo proves that a send Meta never answered (280) was sent.
 */
class EchoTest extends GatewayPerDatabase {
    static final int GRAPH_TIMEOUT_MS = 500;

    Webhooks hooks;
    Webhooks.Line ig;
    Webhooks.Line page;
    String peer;

    @Override
    protected Map<String, String> gatewayEnv() {
        Map<String, String> vars = Webhooks.env();
        vars.put("LINEGATE_GRAPH_TIMEOUT_MS", Integer.toString(GRAPH_TIMEOUT_MS));
        return vars;
    }

    @BeforeParameterizedClassInvocation(injectArguments = false)
    void openWebhooks() {
        hooks = new Webhooks(gw);
    }

    @BeforeEach
    void freshLinesAndPeer() {
        gw.meta().resetAll();
        ig = hooks.newInstagramLine();
        page = hooks.newMessengerLine();
        peer = Webhooks.newId("125447");
    }

    /**
     * The business's message echoed on Instagram: the envelope of ig-webhook-messages.messenger-platform.doc.jsonc with
     * its {@code is_echo} variant, sender and recipient the other way round (docs/meta-facts.md, "Webhook objects and events" id table).
     */
    private String igEcho(String mid, String text, long at) {
        return Webhooks.instagram(ig.entryId(), at + 400, """
                {"sender": {"id": "%s"}, "recipient": {"id": "%s"}, "timestamp": %d,
                 "message": {"mid": "%s", "text": "%s", "is_echo": true}}""".formatted(ig.entryId(), peer, at, mid, text));
    }

    /** messenger-webhook-message-echo-text.doc.json with this mid, text and time. */
    private String messengerEcho(String mid, String text, long at) {
        return Webhooks.page(page.entryId(), at + 400, Webhooks.sample("messenger-webhook-message-echo-text.doc.json",
                "<PAGE_ID>", page.entryId(), "<PSID>", peer, "<DEVELOPER_DEFINED_METADATA_STRING>", "crm",
                "mid.1457764197618:41d102a3e1ae206a38", mid, "hello, world!", text, "1457764197627", Long.toString(at)));
    }

    @Test
    void anEchoOfLinegatesOwnInstagramSendChangesNothing() {
        String mid = Webhooks.newIgMid();
        long sent = hooks.send(Webhooks.MAKE_INSTAGRAM, ig.id(), peer, "Your order has shipped", mid);
        List<LogRow> before = hooks.rows(ig.id());
        long allRows = hooks.logRows();

        hooks.deliver(igEcho(mid, "Your order has shipped", hooks.row(sent).sentAt().orElseThrow() + 50));

        assertThat(hooks.rows(ig.id())).isEqualTo(before);
        assertThat(hooks.logRows()).isEqualTo(allRows);
    }

    @Test
    void anEchoOfLinegatesOwnMessengerSendChangesNothing() {
        String mid = Webhooks.newMessengerMid();
        long sent = hooks.send(Webhooks.MAKE_MESSENGER, page.id(), peer, "Table for 4 at 19:30", mid);
        List<LogRow> before = hooks.rows(page.id());

        hooks.deliver(messengerEcho(mid, "Table for 4 at 19:30", hooks.row(sent).sentAt().orElseThrow() + 50));

        assertThat(hooks.rows(page.id())).isEqualTo(before);
    }

    @Test
    void anEchoOfAMessageTypedInMetasAppIsOneOutboundRow() {
        String mid = Webhooks.newIgMid();
        long at = System.currentTimeMillis() - 1_000;

        hooks.deliver(igEcho(mid, "Typed in the Instagram app", at));
        hooks.deliver(igEcho(mid, "Typed in the Instagram app", at));

        assertThat(hooks.rows(ig.id())).singleElement().satisfies(row -> {
            assertThat(row.direction()).isEqualTo("out");
            assertThat(row.origin()).isEqualTo("meta_app");
            assertThat(row.state()).isEqualTo(LogState.SENT);
            assertThat(row.peerId()).isEqualTo(peer);
            assertThat(row.mtype()).isEqualTo("text");
            assertThat(row.mdata()).isEqualTo("Typed in the Instagram app");
            assertThat(row.metaMessageId()).contains(mid);
            assertThat(row.sentAt()).contains(at);
            assertThat(row.accountId()).isEqualTo(gw.accountId);
        });
        // the business writing does not open the customer's window
        assertThat(gw.stores().conversations().lastInbound(ig.id(), peer)).isEmpty();
    }

    @Test
    void anEchoConfirmsATextSendThatMetaNeverAnswered() {
        MetaStubs.answersAfter(gw.meta(), Duration.ofMillis(GRAPH_TIMEOUT_MS * 4L), 200,
                "{\"recipient_id\":\"" + peer + "\",\"message_id\":\"never-seen\"}");
        Gateway.Response r = gw.postJson(Webhooks.MAKE_INSTAGRAM, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + ig.id()
                + ",\"dest\":\"" + peer + "\",\"mdata\":\"Your code is 4711\"}");
        assertThat(r.statusCode()).isEqualTo(280);
        long cdlsId = r.ret().path("cdls_id").asLong();
        assertThat(hooks.row(cdlsId).state()).isEqualTo(LogState.UNKNOWN);
        String mid = Webhooks.newIgMid();
        long echoAt = System.currentTimeMillis();

        hooks.deliver(igEcho(mid, "Your code is 4711", echoAt));

        assertThat(hooks.rows(ig.id())).singleElement().satisfies(row -> {
            assertThat(row.id()).isEqualTo(cdlsId);
            assertThat(row.state()).isEqualTo(LogState.SENT);
            assertThat(row.metaMessageId()).contains(mid);
            assertThat(row.sentAt()).contains(echoAt);
            assertThat(row.origin()).isEqualTo("api");
        });
        LogRow confirmed = hooks.row(cdlsId);

        // the same echo again, and a message typed in Meta's app with other text, leave the confirmed row as it is
        hooks.deliver(igEcho(mid, "Your code is 4711", echoAt));
        hooks.deliver(igEcho(Webhooks.newIgMid(), "Anything else?", echoAt + 1_000));

        assertThat(hooks.row(cdlsId)).isEqualTo(confirmed);
        assertThat(hooks.rows(ig.id())).hasSize(2);
        assertThat(hooks.rows(ig.id()).getLast().origin()).isEqualTo("meta_app");
    }

    @Test
    void anEchoThatOvertakesMetasAnswerToTheSendIsStillThatSend() throws Exception {
        // Meta may deliver the echo before its answer to the send reaches Linegate (the row is still accepted)
        String mid = Webhooks.newIgMid();
        MetaStubs.answersAfter(gw.meta(), Duration.ofMillis(GRAPH_TIMEOUT_MS / 2), 200,
                "{\"recipient_id\":\"" + peer + "\",\"message_id\":\"" + mid + "\"}");
        ExecutorService client = Executors.newSingleThreadExecutor();
        try {
            Future<Gateway.Response> send = client.submit(() -> gw.postJson(Webhooks.MAKE_INSTAGRAM, "{\"tsid\":\""
                    + gw.tsid + "\",\"app_id\":" + ig.id() + ",\"dest\":\"" + peer + "\",\"mdata\":\"On our way\"}"));
            MetaStubs.awaitGraphCalls(gw.meta(), 1);

            hooks.deliver(igEcho(mid, "On our way", System.currentTimeMillis()));
            send.get(30, TimeUnit.SECONDS);
        } finally {
            client.shutdownNow();
        }

        assertThat(hooks.rows(ig.id())).singleElement().satisfies(row -> {
            assertThat(row.origin()).isEqualTo("api");
            assertThat(row.state()).isEqualTo(LogState.SENT);
            assertThat(row.metaMessageId()).contains(mid);
        });
    }

    @Test
    void anEchoWithOtherTextOrToAnotherPeerDoesNotConfirmAnUnansweredSend() {
        MetaStubs.answersAfter(gw.meta(), Duration.ofMillis(GRAPH_TIMEOUT_MS * 4L), 200,
                "{\"recipient_id\":\"" + peer + "\",\"message_id\":\"never-seen\"}");
        Gateway.Response r = gw.postJson(Webhooks.MAKE_INSTAGRAM, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + ig.id()
                + ",\"dest\":\"" + peer + "\",\"mdata\":\"Your code is 4711\"}");
        assertThat(r.statusCode()).isEqualTo(280);
        long cdlsId = r.ret().path("cdls_id").asLong();
        LogRow unknown = hooks.row(cdlsId);
        long now = System.currentTimeMillis();

        hooks.deliver(igEcho(Webhooks.newIgMid(), "Your code is 4712", now));
        String samePeer = peer;
        peer = Webhooks.newId("125448");
        hooks.deliver(igEcho(Webhooks.newIgMid(), "Your code is 4711", now));
        peer = samePeer;

        assertThat(hooks.row(cdlsId)).isEqualTo(unknown);
        assertThat(hooks.rows(ig.id())).hasSize(3);
    }
}
