package linegate.webhook;

import linegate.config.LinegateConfig;
import linegate.store.LogRow;
import linegate.store.Stores;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.MetaSamples;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Linegate does with deliveries it cannot apply (docs/api.md, "The messaging window": "Events for no known line are counted and answered
 * 200"): entries for no line, kinds it does not act on, signed bodies that are not deliveries, and deliveries that were
 * stored but not applied when the process stopped. Meta always gets its 200 for a signed delivery, never a 500, so it
 * does not retry, alert, or unsubscribe the app (docs/meta-facts.md, "Webhook objects and events").
 */
class WebhookRobustnessTest extends GatewayPerDatabase {
    Webhooks hooks;
    String peer;
    long at;
    long rowsBefore;

    @Override
    protected Map<String, String> gatewayEnv() {
        return Webhooks.env();
    }

    @BeforeParameterizedClassInvocation(injectArguments = false)
    void openWebhooks() {
        hooks = new Webhooks(gw);
    }

    @BeforeEach
    void settle() {
        hooks.awaitSettled();
        peer = Webhooks.newId("125447");
        at = System.currentTimeMillis() - 5_000;
        rowsBefore = hooks.logRows();
    }

    private Webhooks.InboxRow lastInboxRow() {
        return hooks.inbox().getLast();
    }

    @Test
    void anEntryForAnUnknownInstagramAccountIsAnswered200AndCountedWithoutRows() {
        double before = hooks.events("instagram", "inbound", "no_line");
        String unknownIg = Webhooks.newId("178419");

        hooks.deliver(Webhooks.igMessage(unknownIg, peer, Webhooks.newIgMid(), at));

        assertThat(hooks.events("instagram", "inbound", "no_line")).isEqualTo(before + 1);
        assertThat(hooks.logRows()).isEqualTo(rowsBefore);
        assertThat(hooks.count("SELECT COUNT(*) FROM conversations WHERE peer_id = '" + peer + "'")).isZero();
        assertThat(lastInboxRow().processedAt()).isNotNull();
    }

    @Test
    void anEntryForAnUnknownPageIsAnswered200AndCountedWithoutRows() {
        double before = hooks.events("page", null, "no_line");
        String unknownPage = Webhooks.newId("10739");
        String event = Webhooks.sample("messenger-webhook-messaging-text.doc.json",
                "<PSID>", peer, "<PAGE_ID>", unknownPage, "<DEVELOPER_DEFINED_PAYLOAD>", "X");

        hooks.deliver(Webhooks.page(unknownPage, at, event));

        assertThat(hooks.events("page", null, "no_line")).isEqualTo(before + 1);
        assertThat(hooks.logRows()).isEqualTo(rowsBefore);
    }

    @Test
    void anInstagramEntryIsNotAppliedToAPageWithTheSameIdNorTheOtherWayRound() {
        Webhooks.Line page = hooks.newMessengerLine();

        hooks.deliver(Webhooks.igMessage(page.entryId(), peer, Webhooks.newIgMid(), at));

        assertThat(hooks.rows(page.id())).isEmpty();
        assertThat(hooks.logRows()).isEqualTo(rowsBefore);
    }

    @Test
    void aMessageInStandbyIsLoggedLikeAnyOther() {
        // under the handover protocol another app holds the thread, and events arrive in standby[] (docs/meta-facts.md, "Webhook objects and events")
        Webhooks.Line ig = hooks.newInstagramLine();
        String mid = Webhooks.newIgMid();
        String body = Webhooks.strictJson("""
                {"object":"instagram","entry":[{"id":"%s","time":%d,"standby":[{"sender":{"id":"%s"},
                 "recipient":{"id":"%s"},"timestamp":%d,"message":{"mid":"%s","text":"Anyone there?"}}]}]}"""
                .formatted(ig.entryId(), at + 300, peer, ig.entryId(), at, mid));

        hooks.deliver(body);

        assertThat(hooks.rows(ig.id())).singleElement().satisfies(row -> {
            assertThat(row.direction()).isEqualTo("in");
            assertThat(row.mdata()).isEqualTo("Anyone there?");
            assertThat(row.metaMessageId()).contains(mid);
        });
        assertThat(gw.stores().conversations().lastInbound(ig.id(), peer)).contains(at);
    }

    @Test
    void aMessagingEventOfAnUnknownKindIsKeptCountedAndAnswered200() {
        Webhooks.Line ig = hooks.newInstagramLine();
        double before = hooks.events("instagram", "optin", "unknown_kind");
        // messaging_optins (docs/meta-facts.md, "Webhook objects and events"): an event Linegate does not act on
        String optin = "{\"sender\":{\"id\":\"" + peer + "\"},\"recipient\":{\"id\":\"" + ig.entryId() + "\"},\"timestamp\":"
                + at + ",\"optin\":{\"type\":\"notification_messages\",\"payload\":\"WEEKLY\","
                + "\"notification_messages_token\":\"7420987654321\",\"notification_messages_frequency\":\"WEEKLY\"}}";
        String body = Webhooks.instagram(ig.entryId(), at + 300, optin);

        Gateway.Response r = hooks.post(body);
        hooks.awaitSettled();

        assertThat(r.status()).isEqualTo(200);
        assertThat(lastInboxRow().body()).isEqualTo(body);
        assertThat(lastInboxRow().processedAt()).isNotNull();
        assertThat(hooks.events("instagram", "optin", "unknown_kind")).isEqualTo(before + 1);
        assertThat(hooks.rows(ig.id())).isEmpty();
        assertThat(gw.stores().conversations().lastInbound(ig.id(), peer)).isEmpty();
    }

    /** A comment is a comment.received event now (CommentEventsTest); a field Linegate does not read stays unknown. */
    @Test
    void aChangesEntryForCommentsIsKeptCountedAndAnswered200() {
        Webhooks.Line ig = hooks.newInstagramLine();
        double comments = hooks.events("instagram", "comment", "applied");
        double mentions = hooks.events("instagram", "changes:mentions", "unknown_kind");
        String body = Webhooks.strictJson("""
                {"object":"instagram","entry":[{"id":"%s","time":%d,"changes":[{"field":"comments","value":{
                  "from":{"id":"%s","username":"jane.doe"},"media":{"id":"17887498072083520","media_product_type":"FEED"},
                  "id":"17865799348089039","text":"Is this still available?"}},
                  {"field":"mentions","value":{"media_id":"17887498072083520","comment_id":"17865799348089040"}}]}]}"""
                .formatted(ig.entryId(), at / 1000, peer));

        Gateway.Response r = hooks.post(body);
        hooks.awaitSettled();

        assertThat(r.status()).isEqualTo(200);
        assertThat(lastInboxRow().body()).isEqualTo(body);
        assertThat(lastInboxRow().processedAt()).isNotNull();
        assertThat(hooks.events("instagram", "comment", "applied")).isEqualTo(comments + 1);
        assertThat(hooks.events("instagram", "changes:mentions", "unknown_kind")).isEqualTo(mentions + 1);
        assertThat(hooks.rows(ig.id())).as("a comment is no message").isEmpty();
    }

    @Test
    void aDeliveryForAnotherObjectIsKeptCountedAndAnswered200() {
        double before = hooks.events(null, "object:user", "unknown_kind");
        String body = MetaSamples.read("graph-webhook-event-notification-example.doc.json");

        Gateway.Response r = hooks.post(body);
        hooks.awaitSettled();

        assertThat(r.status()).isEqualTo(200);
        assertThat(lastInboxRow().processedAt()).isNotNull();
        assertThat(hooks.events(null, "object:user", "unknown_kind")).isEqualTo(before + 1);
        assertThat(hooks.logRows()).isEqualTo(rowsBefore);
    }

    @Test
    void aSignedBodyThatIsNotADeliveryIsKeptWithItsErrorAndNotApplied() {
        for (String body : List.of(
                "this is not JSON",
                "{\"object\":\"instagram\",\"entry\":[{\"id\":\"1\",",
                // the examples page shows deliveries inside [ ]: a body shaped like that is not a delivery
                "[" + Webhooks.igMessage(Gateway.IG_ACCOUNT_ID, peer, Webhooks.newIgMid(), at) + "]",
                "{\"object\":\"instagram\"}")) {
            Gateway.Response r = hooks.post(body);
            hooks.awaitSettled();

            assertThat(r.status()).as("answer to %s", body).isEqualTo(200);
            Webhooks.InboxRow row = lastInboxRow();
            assertThat(row.body()).isEqualTo(body);
            assertThat(row.processedAt()).as("processed_at of %s", body).isNull();
            // a body that will never parse uses up its retries at once: no sweep tries it again
            assertThat(row.attempts()).isGreaterThanOrEqualTo(10);
            assertThat(row.lastError()).as("last_error of %s", body).isNotBlank();
        }
        assertThat(hooks.logRows()).isEqualTo(rowsBefore);
    }

    @Test
    void deliveriesPostedRightBeforeAStopAreAppliedByIt(@TempDir Path tmp) {
        Map<String, String> env = new HashMap<>(db.freshEnv(tmp));
        env.putAll(Webhooks.env());
        Gateway first = Gateway.start(env);
        Webhooks firstHooks = new Webhooks(first);
        Webhooks.Line ig = firstHooks.newInstagramLine();
        for (int i = 0; i < 20; i++) {
            assertThat(firstHooks.post(Webhooks.igMessage(ig.entryId(), peer, Webhooks.newIgMid(), at + i)).status())
                    .isEqualTo(200);
        }

        first.close();

        try (Gateway second = Gateway.start(env)) {
            Webhooks secondHooks = new Webhooks(second);
            assertThat(secondHooks.rows(ig.id())).hasSize(20);
            assertThat(secondHooks.inbox()).hasSize(20).allSatisfy(row -> assertThat(row.processedAt()).isNotNull());
        }
    }

    @Test
    void aDeliveryStoredButNotAppliedIsAppliedAfterARestart(@TempDir Path tmp) {
        Map<String, String> env = new HashMap<>(db.freshEnv(tmp));
        env.putAll(Webhooks.env());
        Gateway first = Gateway.start(env);
        Webhooks.Line ig = new Webhooks(first).newInstagramLine();
        first.close();
        String mid = Webhooks.newIgMid();
        String delivery = Webhooks.igMessage(ig.entryId(), peer, mid, at);
        // what a crash between storing a delivery and applying it leaves: an inbox row a minute old, not applied
        LinegateConfig config = LinegateConfig.fromEnvironment(env);
        try (Stores stores = Stores.open(config.database().url(), config.database().user(),
                config.database().password().value(), config.masterKey().get().bytes(), Clock.systemUTC())) {
            stores.inbox().append(delivery.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis() - 60_000);
            stores.inbox().append("not JSON".getBytes(StandardCharsets.UTF_8), System.currentTimeMillis() - 60_000);
        }

        try (Gateway second = Gateway.start(env)) {
            Webhooks hooks2 = new Webhooks(second);

            LogRow row = Webhooks.await("the stored delivery to be applied at start-up",
                    () -> hooks2.rows(ig.id()).stream().findFirst());
            assertThat(row.metaMessageId()).contains(mid);
            assertThat(row.direction()).isEqualTo("in");
            assertThat(second.stores().conversations().lastInbound(ig.id(), peer)).contains(at);
            Webhooks.await("the inbox row to be marked applied",
                    () -> Optional.of(hooks2.inbox().getFirst()).filter(i -> i.processedAt() != null));
            Webhooks.InboxRow bad = Webhooks.await("the bad row to be tried",
                    () -> Optional.of(hooks2.inbox().getLast()).filter(i -> i.attempts() > 0));
            assertThat(bad.processedAt()).isNull();
            assertThat(bad.lastError()).isNotBlank();
        }
    }
}
