package linegate.webhook;

import linegate.store.LogRow;
import linegate.store.LogState;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Meta redelivers (docs/meta-facts.md, "Webhook objects and events": retries for up to 36 hours, batches, no order): "a redelivered event changes nothing
 * the second time" (docs/api.md, "The messaging window"). Every column of every row and of the conversations is compared.
 */
class WebhookIdempotencyTest extends GatewayPerDatabase {
    Webhooks hooks;
    Webhooks.Line ig;
    Webhooks.Line page;
    String peer;
    long at;

    @Override
    protected Map<String, String> gatewayEnv() {
        return Webhooks.env();
    }

    @BeforeParameterizedClassInvocation(injectArguments = false)
    void openWebhooks() {
        hooks = new Webhooks(gw);
    }

    @BeforeEach
    void freshLines() {
        ig = hooks.newInstagramLine();
        page = hooks.newMessengerLine();
        peer = Webhooks.newId("125447");
        at = System.currentTimeMillis() - 60_000;
    }

    /** One messaging event of Meta's documented shapes from {@code sender} at {@code when}. */
    private static String event(String sender, String recipient, long when, String member) {
        return "{\"sender\":{\"id\":\"" + sender + "\"},\"recipient\":{\"id\":\"" + recipient + "\"},\"timestamp\":" + when
                + "," + member + "}";
    }

    @Test
    void theSameDeliveryPostedTwiceGivesTheRowsOfOnce() {
        String body = Webhooks.instagram(ig.entryId(), at + 500,
                event(peer, ig.entryId(), at, "\"message\":{\"mid\":\"" + Webhooks.newIgMid() + "\",\"text\":\"Hi\"}"),
                event(peer, ig.entryId(), at + 1, "\"reaction\":{\"mid\":\"" + Webhooks.newIgMid()
                        + "\",\"action\":\"react\",\"reaction\":\"love\",\"emoji\":\"\\u2764\"}"),
                event(peer, ig.entryId(), at + 2, "\"postback\":{\"mid\":\"" + Webhooks.newIgMid()
                        + "\",\"title\":\"Menu\",\"payload\":\"MENU\"}"),
                event(peer, ig.entryId(), at + 3, "\"referral\":{\"ref\":\"qr\",\"source\":\"IGME_LINK\",\"type\":\"OPEN_THREAD\"}"));
        hooks.deliver(body);
        List<Map<String, Object>> once = hooks.snapshot();
        assertThat(hooks.rows(ig.id())).extracting(LogRow::mtype).containsExactly("text", "reaction", "postback", "referral");

        hooks.deliver(body);

        assertThat(hooks.snapshot()).isEqualTo(once);
    }

    @Test
    void aBatchOfSeveralEntriesRedeliveredGivesTheRowsOfOnce() {
        String mid = Webhooks.newMessengerMid();
        long sent = hooks.send(Webhooks.MAKE_MESSENGER, page.id(), peer, "Booked for 19:30", mid);
        long sentAt = hooks.row(sent).sentAt().orElseThrow();
        String other = Webhooks.newId("527582");
        // Messenger: one messaging event per entry (docs/meta-facts.md, "Webhook objects and events"), several entries per delivery
        String body = Webhooks.delivery("page",
                Webhooks.entry(page.entryId(), sentAt + 100, event(peer, page.entryId(), sentAt + 10,
                        "\"message\":{\"mid\":\"" + Webhooks.newMessengerMid() + "\",\"text\":\"Thanks!\"}")),
                Webhooks.entry(page.entryId(), sentAt + 100, event(other, page.entryId(), sentAt + 20,
                        "\"postback\":{\"title\":\"Get Started\",\"payload\":\"GET_STARTED\"}")),
                Webhooks.entry(page.entryId(), sentAt + 100, "{\"sender\":{\"id\":\"" + peer + "\"},\"recipient\":{\"id\":\""
                        + page.entryId() + "\"},\"delivery\":{\"mids\":[\"" + mid + "\"],\"watermark\":" + (sentAt + 30) + "}}"),
                Webhooks.entry(page.entryId(), sentAt + 100, event(peer, page.entryId(), sentAt + 40,
                        "\"read\":{\"watermark\":" + (sentAt + 40) + "}")),
                Webhooks.entry(page.entryId(), sentAt + 100, event(other, page.entryId(), sentAt + 50,
                        "\"reaction\":{\"mid\":\"" + mid + "\",\"action\":\"react\",\"reaction\":\"like\"}")));
        hooks.deliver(body);
        List<Map<String, Object>> once = hooks.snapshot();
        assertThat(hooks.rows(page.id())).hasSize(4);
        assertThat(hooks.row(sent).state()).isEqualTo(LogState.READ);

        hooks.deliver(body);
        hooks.deliver(body);

        assertThat(hooks.snapshot()).isEqualTo(once);
    }

    @Test
    void aRedeliveredOlderMessageDoesNotMoveTheWindowBack() {
        String older = Webhooks.igMessage(ig.entryId(), peer, Webhooks.newIgMid(), at);
        hooks.deliver(older);
        hooks.deliver(Webhooks.igMessage(ig.entryId(), peer, Webhooks.newIgMid(), at + 30_000));

        hooks.deliver(older);

        assertThat(gw.stores().conversations().lastInbound(ig.id(), peer)).contains(at + 30_000);
        assertThat(hooks.rows(ig.id())).hasSize(2);
    }

    @Test
    void eventsOutOfOrderLeaveTheNewestWindow() {
        // Meta does not promise order (docs/meta-facts.md, "Webhook objects and events"): the later message arrives first
        hooks.deliver(Webhooks.igMessage(ig.entryId(), peer, Webhooks.newIgMid(), at + 30_000));

        hooks.deliver(Webhooks.igMessage(ig.entryId(), peer, Webhooks.newIgMid(), at));

        assertThat(gw.stores().conversations().lastInbound(ig.id(), peer)).contains(at + 30_000);
        assertThat(hooks.rows(ig.id())).extracting(LogRow::sentAt)
                .containsExactlyInAnyOrder(Optional.of(at), Optional.of(at + 30_000));
    }
}
