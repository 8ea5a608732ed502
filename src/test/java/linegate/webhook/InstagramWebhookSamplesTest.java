package linegate.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import linegate.store.LineClass;
import linegate.store.LogRow;
import linegate.store.LogState;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every documented Instagram webhook payload (src/test/resources/meta: ig-webhook-*, Messenger Platform; ig-login-webhook-*,
 * Instagram Login) through the real HTTP server, signed as Meta signs it, with the rows and states it leaves (docs/api.md, "The message log"
 * and §7, docs/meta-facts.md, "Webhook objects and events"). Placeholders are replaced by real values; the samples' structure and field names are kept.
 * Each test has its own line (its own Instagram account id) on one gateway per database.
 */
class InstagramWebhookSamplesTest extends GatewayPerDatabase {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CDN = "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=17949212345678901&signature=AbxY1";

    Webhooks hooks;
    Webhooks.Line line;
    String ig;
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
    void freshLineAndPeer() {
        line = hooks.newInstagramLine();
        ig = line.entryId();
        peer = Webhooks.newId("125447");
    }

    /** The line's only row. */
    private LogRow onlyRow() {
        List<LogRow> rows = hooks.rows(line.id());
        assertThat(rows).as("rows of line %s", line.id()).hasSize(1);
        return rows.getFirst();
    }

    /** A customer's event logged as an inbound row that opened the window at {@code at}. */
    private LogRow assertInbound(String mtype, String mdata, Optional<String> mid, long at) {
        LogRow row = onlyRow();
        assertThat(row.channel()).isEqualTo(LineClass.INSTAGRAM);
        assertThat(row.accountId()).isEqualTo(gw.accountId);
        assertThat(row.direction()).isEqualTo("in");
        assertThat(row.state()).isEqualTo(LogState.RECEIVED);
        assertThat(row.origin()).isEqualTo("customer");
        assertThat(row.peerId()).isEqualTo(peer);
        assertThat(row.mtype()).isEqualTo(mtype);
        assertThat(row.mdata()).isEqualTo(mdata);
        assertThat(row.metaMessageId()).isEqualTo(mid);
        assertThat(row.error()).isEmpty();
        assertThat(gw.stores().conversations().lastInbound(line.id(), peer)).contains(at);
        return row;
    }

    // ---- ig-webhook-messages.messenger-platform.doc.jsonc ----

    /**
     * One documented variant of {@code message} in Meta's "Messages" sample: the .jsonc lists every optional field at
     * once (with duplicate keys and unquoted placeholders), so each case takes one of them into the sample's envelope.
     */
    record MessageVariant(String name, String members, String mtype, String mdata) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<MessageVariant> messageVariants() {
        return List.of(
                new MessageVariant("text", "\"text\":\"Do you have it in size 38?\"", "text", "Do you have it in size 38?"),
                new MessageVariant("attachments",
                        "\"attachments\":[{\"type\":\"image\",\"payload\":{\"url\":\"" + CDN + "1\"}},"
                                + "{\"type\":\"video\",\"payload\":{\"url\":\"" + CDN + "2\"}}]",
                        "image", CDN + "1\n" + CDN + "2"),
                new MessageVariant("is_unsupported", "\"is_unsupported\":true", "unsupported", ""),
                new MessageVariant("quick_reply", "\"text\":\"Size 38\",\"quick_reply\":{\"payload\":\"SIZE_38\"}", "text", "Size 38"),
                new MessageVariant("referral product", "\"text\":\"Is this in stock?\",\"referral\":{\"product\":{\"id\":\"5381232425267351\"}}",
                        "text", "Is this in stock?"),
                new MessageVariant("referral ad", "\"text\":\"I saw your ad\",\"referral\":{\"ref\":\"summer-sale\","
                        + "\"ad_id\":\"23851234567890123\",\"source\":\"ADS\",\"type\":\"OPEN_THREAD\",\"ads_context_data\":{"
                        + "\"ad_title\":\"Summer sale\",\"photo_url\":\"" + CDN + "3\",\"video_url\":\"" + CDN + "4\"}}",
                        "text", "I saw your ad"),
                new MessageVariant("reply_to mid", "\"text\":\"Yes, that one\",\"reply_to\":{\"mid\":\"" + Webhooks.newIgMid() + "\"}",
                        "text", "Yes, that one"),
                new MessageVariant("reply_to story", "\"text\":\"Love this!\",\"reply_to\":{\"story\":{\"url\":\"" + CDN
                        + "5\",\"id\":\"18034567890123456\"}}", "story_reply", "Love this!"));
    }

    /** The envelope of ig-webhook-messages.messenger-platform.doc.jsonc with one variant of its {@code message}. */
    private String messagesSample(String mid, String members) {
        return Webhooks.strictJson("""
                {
                  "object": "instagram",
                  "entry": [
                    {
                      "id": "%s",
                      "time": 1569262486134,
                      "messaging": [
                        {
                          "sender": { "id": "%s" },
                          "recipient": { "id": "%s" },
                          "timestamp": 1569262485349,
                          "message": {
                            "mid": "%s",
                            %s
                          }
                        }
                      ]
                    }
                  ]
                }""".formatted(ig, peer, ig, mid, members));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messageVariants")
    void messagesSampleIsOneInboundRow(MessageVariant v) {
        String mid = Webhooks.newIgMid();

        hooks.deliver(messagesSample(mid, v.members()));

        LogRow row = assertInbound(v.mtype(), v.mdata(), Optional.of(mid), 1569262485349L);
        assertThat(row.sentAt()).contains(1569262485349L);
        assertThat(row.deletedAt()).isEmpty();
    }

    @Test
    void messagesSampleWithIsDeletedMarksTheLoggedMessageDeletedAndKeepsIt() {
        String mid = Webhooks.newIgMid();
        hooks.deliver(messagesSample(mid, "\"text\":\"Do you have it in size 38?\""));

        hooks.deliver(messagesSample(mid, "\"is_deleted\":true"));

        LogRow row = assertInbound("text", "Do you have it in size 38?", Optional.of(mid), 1569262485349L);
        assertThat(row.deletedAt()).contains(1569262485349L);
    }

    @Test
    void messagesSampleWithIsEchoIsTheBusinessMessageTypedInMetasApp() {
        String mid = Webhooks.newIgMid();
        // an echo runs the other way: sender is the business, recipient the customer (docs/meta-facts.md, "Webhook objects and events", id table)
        String body = messagesSample(mid, "\"text\":\"We open at 9\",\"is_echo\":true")
                .replace("\"sender\": { \"id\": \"" + peer + "\" }", "\"sender\": { \"id\": \"" + ig + "\" }")
                .replace("\"recipient\": { \"id\": \"" + ig + "\" }", "\"recipient\": { \"id\": \"" + peer + "\" }");

        hooks.deliver(body);

        LogRow row = onlyRow();
        assertThat(row.direction()).isEqualTo("out");
        assertThat(row.origin()).isEqualTo("meta_app");
        assertThat(row.state()).isEqualTo(LogState.SENT);
        assertThat(row.peerId()).isEqualTo(peer);
        assertThat(row.mdata()).isEqualTo("We open at 9");
        assertThat(row.metaMessageId()).contains(mid);
        assertThat(gw.stores().conversations().lastInbound(line.id(), peer)).isEmpty();
    }

    // ---- the other Messenger Platform samples ----

    @Test
    void quickReplySample() {
        String mid = Webhooks.newIgMid();

        hooks.deliver(Webhooks.sample("ig-webhook-quick-reply.doc.json",
                "<IGID>", ig, "<IGSID>", peer, "<PAYLOAD>", "SIZE_38", "<MID>", mid, "<SOME_TEXT>", "Size 38"));

        assertInbound("text", "Size 38", Optional.of(mid), 1502905976377L);
    }

    @Test
    void messageReactionsSample() {
        String reactedTo = Webhooks.newIgMid();

        hooks.deliver(Webhooks.jsoncSample("ig-webhook-message-reactions.messenger-platform.doc.jsonc",
                "\"IGID\"", "\"" + ig + "\"", "\"IGSID\"", "\"" + peer + "\"", "MESSAGE-ID", reactedTo));

        assertInbound("reaction", "react \u2764\uFE0F", Optional.empty(), 1569262485349L);
    }

    @Test
    void messagingPostbacksSample() {
        String mid = Webhooks.newIgMid();

        // the sample's entry.id reads "IGSID" though its comment says "ID of your Instagram Professional account"
        hooks.deliver(Webhooks.jsoncSample("ig-webhook-messaging-postbacks.messenger-platform.doc.jsonc",
                "\"id\": \"IGSID\",", "\"id\": \"" + ig + "\",",
                "\"sender\": { \"id\": \"IGSID\" }", "\"sender\": { \"id\": \"" + peer + "\" }",
                "\"IGID\"", "\"" + ig + "\"",
                "MESSAGE-ID", mid,
                "SELECTED-ICEBREAKER-REPLY-OR-CTA-BUTTON", "Opening hours",
                "CUSTOMER-RESPONSE-PAYLOAD", "HOURS"));

        assertInbound("postback", "Opening hours", Optional.of(mid), 1502905976377L);
    }

    @Test
    void messagingReferralSample() {
        hooks.deliver(Webhooks.jsoncSample("ig-webhook-messaging-referral.messenger-platform.doc.jsonc",
                "\"id\": \"IGSID\",", "\"id\": \"" + ig + "\",",
                "\"id\": \"IGSID\"", "\"id\": \"" + peer + "\"",
                "\"IGID\"", "\"" + ig + "\"",
                "INFORMATION-INCLUDED-IN-REF-PARAMETER-OF-IGME-LINK", "spring-promo",
                "IGME-SOURCE-LINK", "IGME_LINK"));

        assertInbound("referral", "spring-promo", Optional.empty(), 1502905976377L);
    }

    @Test
    void messagingSeenSampleMarksTheSentMessageRead() {
        String mid = Webhooks.newIgMid();
        long cdlsId = hooks.send(Webhooks.MAKE_INSTAGRAM, line.id(), peer, "Your order has shipped", mid);
        long sentAt = hooks.row(cdlsId).sentAt().orElseThrow();
        long seenAt = sentAt + 4_000;

        hooks.deliver(Webhooks.jsoncSample("ig-webhook-messaging-seen.messenger-platform.doc.jsonc",
                "\"IGID\"", "\"" + ig + "\"", "\"IGSID\"", "\"" + peer + "\"", "MESSAGE-ID", mid,
                "1569262486134", Long.toString(seenAt + 300), "1569262485349", Long.toString(seenAt)));

        LogRow row = onlyRow();
        assertThat(row.id()).isEqualTo(cdlsId);
        assertThat(row.state()).isEqualTo(LogState.READ);
        assertThat(row.readAt()).contains(seenAt);
        assertThat(row.deliveredAt()).contains(seenAt);
        assertThat(row.direction()).isEqualTo("out");
        assertThat(row.origin()).isEqualTo("api");
    }

    @Test
    void ephemeralMediaSample() {
        String mid = Webhooks.newIgMid();

        hooks.deliver(Webhooks.jsoncSample("ig-webhook-ephemeral-media.messenger-platform.doc.jsonc",
                "\"IGID\"", "\"" + ig + "\"", "\"IGSID\"", "\"" + peer + "\"", "MESSAGE-ID", mid));

        assertInbound("ephemeral", "", Optional.of(mid), 1569262485349L);
    }

    // ---- Instagram Login (Postman collection and examples page) ----

    @Test
    void loginMessagingSample() {
        String mid = Webhooks.newIgMid();
        long at = System.currentTimeMillis() - 2_000;

        hooks.deliver(Webhooks.igMessage(ig, peer, mid, at));

        LogRow row = assertInbound("text", "Hello", Optional.of(mid), at);
        assertThat(row.sentAt()).contains(at);
    }

    /** The IG Login samples name the customer {@code <INSTAGRAM_SCOPED_ID>} and send times as strings. */
    private String loginSample(String name, long at, String... more) {
        List<String> pairs = new ArrayList<>(List.of(
                "<YOUR_APP_USERS_INSTAGRAM_USER_ID>", ig,
                "\"<TIME_NOTIFICATION_WAS_SENT>\"", Long.toString(at + 250),
                "<INSTAGRAM_SCOPED_ID>", peer,
                "\"<TIME_WEBHOOK_WAS_TRIGGERED>\"", Long.toString(at)));
        pairs.addAll(List.of(more));
        return Webhooks.sample(name, pairs.toArray(String[]::new));
    }

    @Test
    void loginReactionsSample() {
        long at = System.currentTimeMillis() - 3_000;

        hooks.deliver(loginSample("ig-login-webhook-reactions.postman.json", at, "<MESSAGE_ID>", Webhooks.newIgMid()));

        assertInbound("reaction", "react \u2764", Optional.empty(), at);
    }

    @Test
    void loginPostbacksSample() {
        long at = System.currentTimeMillis() - 3_000;
        String mid = Webhooks.newIgMid();

        hooks.deliver(loginSample("ig-login-webhook-postbacks.postman.json", at, "<MESSAGE_ID>", mid,
                "<USER_SELECTED_ICEBREAKER_OPTION_OR_CTA_BUTTON>", "Book a table",
                "<OPTION_OR_BUTTON_PAYLOAD>", "BOOK_TABLE"));

        assertInbound("postback", "Book a table", Optional.of(mid), at);
    }

    @Test
    void loginSeenSampleMarksTheSentMessageRead() {
        String mid = Webhooks.newIgMid();
        long cdlsId = hooks.send(Webhooks.MAKE_INSTAGRAM, line.id(), peer, "See you tomorrow", mid);
        long seenAt = hooks.row(cdlsId).sentAt().orElseThrow() + 1_500;

        hooks.deliver(loginSample("ig-login-webhook-seen.postman.json", seenAt, "<MESSAGE_ID>", mid));

        LogRow row = hooks.row(cdlsId);
        assertThat(row.state()).isEqualTo(LogState.READ);
        assertThat(row.readAt()).contains(seenAt);
        assertThat(row.deliveredAt()).contains(seenAt);
        assertThat(hooks.rows(line.id())).hasSize(1);
    }

    @Test
    void loginMessageEditSampleReplacesTheText() {
        String mid = Webhooks.newIgMid();
        long at = System.currentTimeMillis() - 60_000;
        hooks.deliver(Webhooks.igMessage(ig, peer, mid, at));

        hooks.deliver(loginSample("ig-login-webhook-message-edit.postman.json", at + 30_000,
                "<MESSAGE_ID>", mid, "<USER_EDITED_MESSAGE>", "Hello, is the shop open today?",
                "\"<NUMBER_OF_TIMES_MESSAGE_IS_EDITED>\"", "1"));

        assertInbound("text", "Hello, is the shop open today?", Optional.of(mid), at);
    }

    @Test
    void loginStoryReplySample() {
        String mid = Webhooks.newIgMid();
        long at = System.currentTimeMillis() - 3_000;

        // the Postman sample lists every flag as true; a customer's story reply carries none of them
        hooks.deliver(Webhooks.sample("ig-login-webhook-story-reply.postman.json",
                "<YOUR_APP_USERS_INSTAGRAM_USER_ID>", ig,
                "\"<TIME_NOTIFICATION_WAS_SENT>\"", Long.toString(at + 250),
                "<SENDER_ID>", peer,
                "<RECIPIENT_ID>", ig,
                "\"<TIME_WEBHOOK_WAS_TRIGGERED>\"", Long.toString(at),
                "<MESSAGE_ID>", mid,
                "\"is_deleted\": true", "\"is_deleted\": false",
                "\"is_echo\": true", "\"is_echo\": false",
                "\"is_unsupported\": true", "\"is_unsupported\": false",
                "<CDN_URL_FOR_THE_STORY>", CDN + "6",
                "<STORY_ID>", "18034567890123456",
                "<MESSAGE_TEXT>", "Where is this?"));

        assertInbound("story_reply", "Where is this?", Optional.of(mid), at);
    }

    @Test
    void loginReferralSample() {
        long at = System.currentTimeMillis() - 3_000;

        hooks.deliver(loginSample("ig-login-webhook-referral.postman.json", at,
                "<IGME_LINK_REF_PARAMETER_VALUE>", "menu-qr", "<IGME_SOURCE_LINK>", "IGME_LINK"));

        assertInbound("referral", "menu-qr", Optional.empty(), at);
    }

    @Test
    void loginSelfEchoSampleIsLoggedAsSentFromMetasApp() {
        String mid = Webhooks.newIgMid();
        long at = System.currentTimeMillis() - 3_000;

        hooks.deliver(Webhooks.sample("ig-login-webhook-self-echo.postman.json",
                "<YOUR_APP_USERS_IG_USER_ID>", ig,
                "<YOUR_APP_USERS_INSTAGRAM_SCOPED_ID>", peer,
                "\"time\": \"<TIME_META_SENT_THIS_NOTIFICATION>\"", "\"time\": " + (at + 200),
                "\"timestamp\": \"<TIME_META_SENT_THIS_NOTIFICATION>\"", "\"timestamp\": " + at,
                "<MESSAGE_ID>", mid,
                "<MESSAGE_TEXT>", "Testing the webhook"));

        LogRow row = onlyRow();
        assertThat(row.direction()).isEqualTo("out");
        assertThat(row.origin()).isEqualTo("meta_app");
        assertThat(row.state()).isEqualTo(LogState.SENT);
        assertThat(row.peerId()).isEqualTo(peer);
        assertThat(row.mtype()).isEqualTo("text");
        assertThat(row.mdata()).isEqualTo("Testing the webhook");
        assertThat(row.metaMessageId()).contains(mid);
        assertThat(row.sentAt()).contains(at);
        assertThat(gw.stores().conversations().lastInbound(line.id(), peer)).isEmpty();
    }

    @Test
    void loginSelfPostbackSample() {
        String mid = Webhooks.newIgMid();

        // the sample's entry.id is a literal Instagram account id: it becomes this line's
        hooks.deliver(Webhooks.sample("ig-login-webhook-self-postback.postman.json",
                "\"45202218377435\"", "\"" + ig + "\"",
                "<YOUR_APP_USERS_IG_USER_ID>", ig,
                "<YOUR_APP_USERS_INSTAGRAM_SCOPED_ID>", peer,
                "<MESSAGE_ID>", mid));

        // a self-messaging test (is_self): the sender is the business's own account, so that is the row's peer
        LogRow row = onlyRow();
        assertThat(row.direction()).isEqualTo("in");
        assertThat(row.mtype()).isEqualTo("postback");
        assertThat(row.mdata()).isEqualTo("Start Chatting");
        assertThat(row.peerId()).isEqualTo(ig);
        assertThat(row.metaMessageId()).contains(mid);
        assertThat(gw.stores().conversations().lastInbound(line.id(), ig)).contains(1743480368714L);
    }

    @Test
    void loginCommonEnvelopeWithAMessage() throws IOException {
        String mid = Webhooks.newIgMid();
        long at = System.currentTimeMillis() - 3_000;
        // the examples page shows the delivery inside [ ]: the delivery is the object
        String documented = Webhooks.jsoncSample("ig-login-webhook-common-envelope.examples-page.doc.jsonc",
                "<YOUR_APP_USERS_INSTAGRAM_ACCOUNT_ID>", ig,
                "<TIME_META_SENT_NOTIFICATION>", Long.toString(at + 300),
                "<SENDER_ID>", peer,
                "<RECIPIENT_ID>", ig,
                "<TIME_WEBHOOK_WAS_TRIGGERED>", Long.toString(at),
                "<NOTIFICATION_PAYLOAD>", ",\"message\": {\"mid\": \"" + mid + "\", \"text\": \"Are you open on Sunday?\"}");

        hooks.deliver(JSON.writeValueAsString(JSON.readTree(documented).get(0)));

        assertInbound("text", "Are you open on Sunday?", Optional.of(mid), at);
    }

    /**
     * ig-login-webhook-message-all-fields.examples-page.doc.jsonc lists every optional field of {@code message} at once
     * (duplicate {@code reply_to}, an unclosed outer {@code [}): each case is its envelope with a documented subset.
     */
    private String allFieldsSample(long at, String messageMembers) {
        return Webhooks.strictJson("""
                {
                  "object":"instagram",
                  "entry":[
                    {
                      "id":"%s",
                      "time":%d,
                      "messaging":[
                        {
                          "sender":{ "id":"%s" },
                          "recipient":{ "id":"%s" },
                          "timestamp":%d,
                          "message": {
                            %s
                          }
                        }
                      ]
                    }
                  ]
                }""".formatted(ig, at + 400, peer, ig, at, messageMembers));
    }

    @Test
    void loginMessageAllFieldsWithAnAttachment() {
        String mid = Webhooks.newIgMid();
        long at = System.currentTimeMillis() - 3_000;

        hooks.deliver(allFieldsSample(at, "\"mid\": \"" + mid + "\", \"attachments\": [{\"type\":\"audio\","
                + "\"payload\":{ \"url\":\"" + CDN + "7\" }}]"));

        assertInbound("audio", CDN + "7", Optional.of(mid), at);
    }

    @Test
    void loginMessageAllFieldsWithTextQuickReplyAdReferralAndInlineReply() {
        String mid = Webhooks.newIgMid();
        long at = System.currentTimeMillis() - 3_000;

        hooks.deliver(allFieldsSample(at, "\"mid\": \"" + mid + "\", \"is_self\": false, "
                + "\"quick_reply\": { \"payload\": \"YES\" }, "
                + "\"referral\": {\"ref\": \"spring\", \"ad_id\": \"23851234567890124\", \"source\": \"ADS\", "
                + "\"type\": \"OPEN_THREAD\", \"ads_context_data\": {\"ad_title\": \"Spring\", \"photo_url\": \"" + CDN
                + "8\", \"video_url\": \"" + CDN + "9\"}}, "
                + "\"reply_to\":{ \"mid\":\"" + Webhooks.newIgMid() + "\" }, "
                + "\"text\": \"Yes please\""));

        assertInbound("text", "Yes please", Optional.of(mid), at);
    }
}
