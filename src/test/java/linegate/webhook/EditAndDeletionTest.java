package linegate.webhook;

import linegate.store.LogRow;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A customer edits a message ({@code message_edit{mid,text,num_edit}}) or deletes it ({@code message.is_deleted}),
 * docs/meta-facts.md, "Webhook objects and events": the logged row takes the newest edit's text, an older edit arriving late changes nothing, and a
 * deleted message keeps its row with the time it was deleted.
 */
class EditAndDeletionTest extends GatewayPerDatabase {
    Webhooks hooks;
    Webhooks.Line ig;
    String peer;
    String mid;
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
    void aLoggedInboundMessage() {
        ig = hooks.newInstagramLine();
        peer = Webhooks.newId("125447");
        mid = Webhooks.newIgMid();
        at = System.currentTimeMillis() - 120_000;
        hooks.deliver(Webhooks.igMessage(ig.entryId(), peer, mid, at));
        assertThat(row().mdata()).isEqualTo("Hello");
    }

    private LogRow row() {
        List<LogRow> rows = hooks.rows(ig.id());
        assertThat(rows).hasSize(1);
        return rows.getFirst();
    }

    /** ig-login-webhook-message-edit.postman.json: the customer's {@code numEdit}-th edit of {@code editedMid}. */
    private String edit(String editedMid, String text, int numEdit, long when) {
        return Webhooks.sample("ig-login-webhook-message-edit.postman.json",
                "<YOUR_APP_USERS_INSTAGRAM_USER_ID>", ig.entryId(),
                "\"<TIME_NOTIFICATION_WAS_SENT>\"", Long.toString(when + 200),
                "<INSTAGRAM_SCOPED_ID>", peer,
                "\"<TIME_WEBHOOK_WAS_TRIGGERED>\"", Long.toString(when),
                "<MESSAGE_ID>", editedMid,
                "<USER_EDITED_MESSAGE>", text,
                "\"<NUMBER_OF_TIMES_MESSAGE_IS_EDITED>\"", Integer.toString(numEdit));
    }

    /** ig-webhook-messages.messenger-platform.doc.jsonc, its {@code is_deleted} variant. */
    private String deletion(String deletedMid, long when) {
        return Webhooks.instagram(ig.entryId(), when + 300, """
                {"sender": {"id": "%s"}, "recipient": {"id": "%s"}, "timestamp": %d,
                 "message": {"mid": "%s", "is_deleted": true}}""".formatted(peer, ig.entryId(), when, deletedMid));
    }

    @Test
    void anEditReplacesTheText() {
        hooks.deliver(edit(mid, "Hello, are you open today?", 1, at + 10_000));

        LogRow row = row();
        assertThat(row.mdata()).isEqualTo("Hello, are you open today?");
        assertThat(row.metaMessageId()).contains(mid);
        assertThat(row.direction()).isEqualTo("in");
        // an edit is not a new message: the window still dates from the message
        assertThat(gw.stores().conversations().lastInbound(ig.id(), peer)).contains(at);
    }

    @Test
    void anOlderEditArrivingAfterANewerOneChangesNothing() {
        hooks.deliver(edit(mid, "Second edit", 2, at + 20_000));
        List<Map<String, Object>> afterNewest = hooks.snapshot();

        hooks.deliver(edit(mid, "First edit", 1, at + 10_000));

        assertThat(row().mdata()).isEqualTo("Second edit");
        assertThat(hooks.snapshot()).isEqualTo(afterNewest);
    }

    @Test
    void aRedeliveredEditChangesNothing() {
        String body = edit(mid, "Hello, are you open today?", 1, at + 10_000);
        hooks.deliver(body);
        List<Map<String, Object>> once = hooks.snapshot();

        hooks.deliver(body);

        assertThat(hooks.snapshot()).isEqualTo(once);
    }

    @Test
    void anEditOfAMessageLinegateNeverLoggedAddsNoRow() {
        hooks.deliver(edit(Webhooks.newIgMid(), "Edited", 1, at + 10_000));

        assertThat(row().mdata()).isEqualTo("Hello");
    }

    @Test
    void aDeletedMessageKeepsItsRowWithTheTimeItWasDeleted() {
        long deletedAt = at + 30_000;

        hooks.deliver(deletion(mid, deletedAt));

        LogRow row = row();
        assertThat(row.deletedAt()).contains(deletedAt);
        assertThat(row.mdata()).isEqualTo("Hello");
        assertThat(row.metaMessageId()).contains(mid);
        assertThat(row.sentAt()).contains(at);
        assertThat(gw.stores().conversations().lastInbound(ig.id(), peer)).contains(at);
    }

    @Test
    void aRedeliveredDeletionChangesNothing() {
        String body = deletion(mid, at + 30_000);
        hooks.deliver(body);
        List<Map<String, Object>> once = hooks.snapshot();
        double duplicates = hooks.events("instagram", "deletion", "duplicate");

        hooks.deliver(body);

        assertThat(hooks.snapshot()).isEqualTo(once);
        assertThat(hooks.events("instagram", "deletion", "duplicate")).isEqualTo(duplicates + 1);
    }

    @Test
    void aDeletionOfAMessageLinegateNeverLoggedAddsNoRow() {
        hooks.deliver(deletion(Webhooks.newIgMid(), at + 30_000));

        assertThat(row().deletedAt()).isEmpty();
    }
}
