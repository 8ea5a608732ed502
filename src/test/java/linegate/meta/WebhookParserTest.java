package linegate.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import linegate.meta.WebhookEvent.Target;
import linegate.testing.MetaSamples;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link WebhookParser} over every kind of Meta's documented webhook samples (src/test/resources/meta, placeholders
 * filled, structure kept): what each delivery becomes, without a server or a database. The end-to-end tests in
 * linegate.webhook show what the gateway then does with each event.
 */
class WebhookParserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IG = "17841405793187218";
    private static final String IGSID = "1254477777772919";
    private static final String PAGE_ID = "107345678901234";
    private static final String PSID = "5275811702471834";
    private static final String IG_MID = "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDA1NzkzMTg3MjE4OjM0MDI4MjM2Njg0MTcx";
    private static final String CDN = "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=17949212345678901&signature=AbxY1";
    private static final long AT = 1764584130123L;
    private static final Target INSTAGRAM = new Target("instagram", IG);
    private static final Target PAGE = new Target("page", PAGE_ID);

    private final WebhookParser parser = new WebhookParser();

    // ---- messages ----

    @Test
    void anInstagramLoginTextMessageIsInboundTextKeyedByItsMid() {
        String body = igLogin("ig-login-webhook-messaging.postman.json", "<SENDER_ID>", IGSID, "<RECIPIENT_ID>", IG,
                "<MESSAGE_ID>", IG_MID);

        assertThat(parser.parse(bytes(body))).containsExactly(new WebhookEvent.Inbound(INSTAGRAM, IGSID, AT, "text", "Hello",
                Optional.of(IG_MID), "message:" + IG_MID, event(body)));
    }

    @Test
    void aQuickReplyIsTheTextTheCustomerTapped() {
        String body = Webhooks.sample("ig-webhook-quick-reply.doc.json", "<IGID>", IG, "<IGSID>", IGSID,
                "<PAYLOAD>", "SIZE_38", "<MID>", IG_MID, "<SOME_TEXT>", "Size 38");

        assertThat(parser.parse(bytes(body))).containsExactly(new WebhookEvent.Inbound(INSTAGRAM, IGSID, 1502905976377L,
                "text", "Size 38", Optional.of(IG_MID), "message:" + IG_MID, event(body)));
    }

    @Test
    void messengerTextWithAQuickReplyAnInlineReplyOrAnAdReferralIsInboundText() {
        String text = page(Webhooks.sample("messenger-webhook-messaging-text.doc.json", "<PSID>", PSID, "<PAGE_ID>", PAGE_ID,
                "<DEVELOPER_DEFINED_PAYLOAD>", "MENU"));
        String reply = page(Webhooks.sample("messenger-webhook-messaging-reply.doc.json", "<PSID>", PSID, "<PAGE_ID>", PAGE_ID));
        String ad = page(Webhooks.sample("messenger-webhook-messaging-ads-referral.doc.json", "<PSID>", PSID,
                "<PAGE_ID>", PAGE_ID, "<REF_DATA_IF_SPECIFIED_IN_THE_AD>", "summer-sale", "<ID_OF_THE_AD>", "23851234567890123",
                "<TITLE_OF_THE_AD>", "Summer sale", "<URL_OF_THE_IMAGE_FROM_AD_THE_USER_IS_INTERESTED_IN>", CDN + "3",
                "<THUMBNAIL_URL_OF_THE_VIDEO_FROM_THE_AD>", CDN + "4", "<ID_OF_THE_POST>", "10158912345678901",
                "<PRODUCT_ID>", "5381232425267351", "<ID_OF_THE_PARTNER_APP_WELCOME_MESSAGE_FLOW>", "2345678901234567"));

        assertThat(only(text)).isEqualTo(new WebhookEvent.Inbound(PAGE, PSID, 1458692752478L, "text", "hello, world!",
                Optional.of("mid.1457764197618:41d102a3e1ae206a38"), "message:mid.1457764197618:41d102a3e1ae206a38", event(text)));
        assertThat(only(reply)).isEqualTo(new WebhookEvent.Inbound(PAGE, PSID, 1458692752478L, "text", "hello, world!",
                Optional.of("m_1457764197618:41d102a3e1ae206a38"), "message:m_1457764197618:41d102a3e1ae206a38", event(reply)));
        assertThat(only(ad)).isEqualTo(new WebhookEvent.Inbound(PAGE, PSID, 1458692752478L, "text", "hello, world!",
                Optional.of("mid.1457764197618:41d102a3e1ae206a38"), "message:mid.1457764197618:41d102a3e1ae206a38", event(ad)));
    }

    @Test
    void aCommonEnvelopeCarriesItsPageAndEntryTime() {
        String body = Webhooks.jsoncSample("messenger-webhook-common-envelope.doc.jsonc", "<PAGE_ID>", PAGE_ID, "<PSID>", PSID,
                "...", "\"message\": {\"mid\": \"m_1\", \"text\": \"Do you deliver?\"}");

        assertThat(only(body)).isEqualTo(new WebhookEvent.Inbound(PAGE, PSID, 1458692752478L, "text", "Do you deliver?",
                Optional.of("m_1"), "message:m_1", event(body)));
    }

    @Test
    void aStoryReplyIsAKindOfItsOwn() {
        String body = messagesSample("\"text\":\"Love this!\",\"reply_to\":{\"story\":{\"url\":\"" + CDN
                + "\",\"id\":\"18034567890123456\"}}");

        assertThat(only(body)).isInstanceOfSatisfying(WebhookEvent.Inbound.class, in -> {
            assertThat(in.mtype()).isEqualTo("story_reply");
            assertThat(in.content()).isEqualTo("Love this!");
        });
    }

    @Test
    void anUnsupportedMessageIsAKindOfItsOwnWithoutContent() {
        assertThat(only(messagesSample("\"is_unsupported\":true"))).isInstanceOfSatisfying(WebhookEvent.Inbound.class, in -> {
            assertThat(in.mtype()).isEqualTo("unsupported");
            assertThat(in.content()).isEmpty();
        });
    }

    @Test
    void theStoryReplySampleThatSetsEveryFlagIsAnEcho() {
        // the Postman sample sets is_echo, is_deleted and is_unsupported at once: is_echo decides
        String body = igLogin("ig-login-webhook-story-reply.postman.json", "<SENDER_ID>", IG, "<RECIPIENT_ID>", IGSID,
                "<MESSAGE_ID>", IG_MID, "<CDN_URL_FOR_THE_STORY>", CDN, "<STORY_ID>", "18034567890123456",
                "<MESSAGE_TEXT>", "Where is this?");

        assertThat(only(body)).isEqualTo(new WebhookEvent.Echo(INSTAGRAM, IGSID, AT, IG_MID, "unsupported", "Where is this?",
                event(body)));
    }

    // ---- attachments ----

    @Test
    void attachmentsAreTheFirstOnesTypeAndEveryUrlOneALine() {
        String body = messagesSample("\"attachments\":[{\"type\":\"image\",\"payload\":{\"url\":\"" + CDN + "1\"}},"
                + "{\"type\":\"video\",\"payload\":{\"url\":\"" + CDN + "2\"}}]");

        assertThat(only(body)).isInstanceOfSatisfying(WebhookEvent.Inbound.class, in -> {
            assertThat(in.mtype()).isEqualTo("image");
            assertThat(in.content()).isEqualTo(CDN + "1\n" + CDN + "2");
        });
    }

    @Test
    void aMessengerAttachmentWithoutTextIsItsUrl() {
        String body = page(Webhooks.sample("messenger-webhook-entry-attachment.doc.json", "<PSID>", PSID, "<PAGE_ID>", PAGE_ID,
                "<IMAGE_URL>", "https://scontent.xx.fbcdn.net/v/t1.15752-9/photo.jpg"));

        assertThat(only(body)).isEqualTo(new WebhookEvent.Inbound(PAGE, PSID, 1518479195308L, "image",
                "https://scontent.xx.fbcdn.net/v/t1.15752-9/photo.jpg", Optional.of("mid.$cAAJdkrCd2ORnva8ErFhjGm0X_Q_c"),
                "message:mid.$cAAJdkrCd2ORnva8ErFhjGm0X_Q_c", event(body)));
    }

    @Test
    void aFallbackAttachmentWithTextKeepsTheText() {
        String body = Webhooks.sample("messenger-webhook-fallback-attachment-full.doc.json", "<PAGE_ID>", PAGE_ID,
                "<PSID>", PSID, "<ATTACHMENT_URL >", "https://youtu.be/bbo_fZAjIhg");

        assertThat(only(body)).isInstanceOfSatisfying(WebhookEvent.Inbound.class, in -> {
            assertThat(in.mtype()).isEqualTo("fallback");
            assertThat(in.content()).isEqualTo("This is where I want to go: https://youtu.be/bbo_fZAjIhg");
            assertThat(in.timestamp()).isEqualTo(1583173666767L);
        });
    }

    @Test
    void ephemeralMediaHasItsTypeAndNoUrl() {
        String body = Webhooks.jsoncSample("ig-webhook-ephemeral-media.messenger-platform.doc.jsonc",
                "\"IGID\"", "\"" + IG + "\"", "\"IGSID\"", "\"" + IGSID + "\"", "MESSAGE-ID", IG_MID);

        assertThat(only(body)).isEqualTo(new WebhookEvent.Inbound(INSTAGRAM, IGSID, 1569262485349L, "ephemeral", "",
                Optional.of(IG_MID), "message:" + IG_MID, event(body)));
    }

    @Test
    void aSingleAttachmentObjectCountsAsOne() {
        // one Instagram page writes a single attachment as an object under "attachments" (docs/meta-facts.md)
        String body = messagesSample("\"attachments\":{\"type\":\"file\",\"payload\":{\"url\":\"" + CDN + "\"}}");

        assertThat(only(body)).isInstanceOfSatisfying(WebhookEvent.Inbound.class, in -> {
            assertThat(in.mtype()).isEqualTo("file");
            assertThat(in.content()).isEqualTo(CDN);
        });
    }

    // ---- reactions ----

    @Test
    void anInstagramLoginReactionIsInboundWithItsActionAndEmoji() {
        String body = igLogin("ig-login-webhook-reactions.postman.json", "<INSTAGRAM_SCOPED_ID>", IGSID, "<MESSAGE_ID>", IG_MID);

        assertThat(only(body)).isEqualTo(new WebhookEvent.Inbound(INSTAGRAM, IGSID, AT, "reaction", "react \u2764",
                Optional.empty(), "reaction:" + IG_MID + ":react:love:" + AT, event(body)));
    }

    @Test
    void aMessengerPlatformReactionReadsTheCodePointEscapes() {
        String body = Webhooks.jsoncSample("ig-webhook-message-reactions.messenger-platform.doc.jsonc",
                "\"IGID\"", "\"" + IG + "\"", "\"IGSID\"", "\"" + IGSID + "\"", "MESSAGE-ID", IG_MID);

        assertThat(only(body)).isInstanceOfSatisfying(WebhookEvent.Inbound.class, in -> {
            assertThat(in.content()).isEqualTo("react \u2764\uFE0F");
            assertThat(in.mid()).isEmpty();
        });
    }

    @Test
    void aMessengerReactionPrefersTheEmojiToTheReactionName() {
        String body = page(Webhooks.jsoncSample("messenger-webhook-message-reactions.doc.jsonc", "<PSID>", PSID,
                "<PAGE_ID>", PAGE_ID, "<MID_OF_ReactedTo_Message>", "m_reacted",
                "smile|angry|sad|wow|love|like|dislike|other", "love", "react|unreact", "react"));

        assertThat(only(body)).isEqualTo(new WebhookEvent.Inbound(PAGE, PSID, 1458668856463L, "reaction", "react \u2764\uFE0F",
                Optional.empty(), "reaction:m_reacted:react:love:1458668856463", event(body)));
    }

    @Test
    void anUnreactWithoutReactionOrEmojiIsJustTheAction() {
        // Meta leaves reaction and emoji out of an unreact (ig-webhook-message-reactions: "optional, to unreact")
        String body = igLogin("ig-login-webhook-reactions.postman.json", "<INSTAGRAM_SCOPED_ID>", IGSID, "<MESSAGE_ID>", IG_MID,
                "\"action\": \"react\",", "\"action\": \"unreact\"", "\"reaction\": \"love\",", "",
                "\"emoji\": \"\u2764\"", "");

        assertThat(only(body)).isEqualTo(new WebhookEvent.Inbound(INSTAGRAM, IGSID, AT, "reaction", "unreact",
                Optional.empty(), "reaction:" + IG_MID + ":unreact::" + AT, event(body)));
    }

    // ---- postbacks ----

    @Test
    void aPostbackIsItsTitleAndIsKeyedByItsMid() {
        String body = igLogin("ig-login-webhook-postbacks.postman.json", "<INSTAGRAM_SCOPED_ID>", IGSID, "<MESSAGE_ID>", IG_MID,
                "<USER_SELECTED_ICEBREAKER_OPTION_OR_CTA_BUTTON>", "Opening hours", "<OPTION_OR_BUTTON_PAYLOAD>", "HOURS");

        assertThat(only(body)).isEqualTo(new WebhookEvent.Inbound(INSTAGRAM, IGSID, AT, "postback", "Opening hours",
                Optional.of(IG_MID), "postback:" + IG_MID, event(body)));
    }

    @Test
    void aPostbackWithoutAMidIsKeyedByTimeAndPayload() {
        String body = page(Webhooks.sample("messenger-webhook-postback.doc.json", "<PSID>", PSID, "<PAGE_ID>", PAGE_ID,
                "<BUTTON_TITLE>", "Get Started", "<DEVELOPER_DEFINED_PAYLOAD>", "GET_STARTED"));

        assertThat(only(body)).isEqualTo(new WebhookEvent.Inbound(PAGE, PSID, 1458692752478L, "postback", "Get Started",
                Optional.empty(), "postback:1458692752478:GET_STARTED", event(body)));
    }

    @Test
    void aSelfPostbackComesFromTheBusinessAccount() {
        String body = Webhooks.sample("ig-login-webhook-self-postback.postman.json", "\"45202218377435\"", "\"" + IG + "\"",
                "<YOUR_APP_USERS_IG_USER_ID>", IG, "<YOUR_APP_USERS_INSTAGRAM_SCOPED_ID>", IGSID, "<MESSAGE_ID>", IG_MID);

        assertThat(only(body)).isEqualTo(new WebhookEvent.Inbound(INSTAGRAM, IG, 1743480368714L, "postback", "Start Chatting",
                Optional.of(IG_MID), "postback:" + IG_MID, event(body)));
    }

    // ---- referrals ----

    @Test
    void anIgMeReferralIsItsRef() {
        String body = igLogin("ig-login-webhook-referral.postman.json", "<INSTAGRAM_SCOPED_ID>", IGSID,
                "<IGME_LINK_REF_PARAMETER_VALUE>", "menu-qr", "<IGME_SOURCE_LINK>", "IGME_LINK");

        assertThat(only(body)).isEqualTo(new WebhookEvent.Inbound(INSTAGRAM, IGSID, AT, "referral", "menu-qr", Optional.empty(),
                "referral:" + AT + ":menu-qr:IGME_LINK", event(body)));
    }

    @Test
    void theMessengerPlatformReferralSampleReadsTheSame() {
        // the sample names its entry "IGSID" too: the entry becomes this account's
        String body = withEntryId(Webhooks.jsoncSample("ig-webhook-messaging-referral.messenger-platform.doc.jsonc",
                "\"IGSID\"", "\"" + IGSID + "\"", "\"IGID\"", "\"" + IG + "\"",
                "INFORMATION-INCLUDED-IN-REF-PARAMETER-OF-IGME-LINK", "menu-qr"), IG);

        assertThat(only(body)).isEqualTo(new WebhookEvent.Inbound(INSTAGRAM, IGSID, 1502905976377L, "referral", "menu-qr",
                Optional.empty(), "referral:1502905976377:menu-qr:IGME-SOURCE-LINK", event(body)));
    }

    // ---- echoes ----

    @Test
    void anEchoNamesTheCustomerAsRecipient() {
        String body = Webhooks.sample("ig-login-webhook-self-echo.postman.json", "<YOUR_APP_USERS_IG_USER_ID>", IG,
                "<YOUR_APP_USERS_INSTAGRAM_SCOPED_ID>", IGSID,
                "\"time\": \"<TIME_META_SENT_THIS_NOTIFICATION>\"", "\"time\": " + (AT + 200),
                "\"timestamp\": \"<TIME_META_SENT_THIS_NOTIFICATION>\"", "\"timestamp\": " + AT,
                "<MESSAGE_ID>", IG_MID, "<MESSAGE_TEXT>", "Testing the webhook");

        assertThat(only(body)).isEqualTo(new WebhookEvent.Echo(INSTAGRAM, IGSID, AT, IG_MID, "text", "Testing the webhook",
                event(body)));
    }

    @Test
    void aMessengerEchoKeepsItsMidAndText() {
        String body = page(Webhooks.sample("messenger-webhook-message-echo-text.doc.json", "<PAGE_ID>", PAGE_ID, "<PSID>", PSID,
                "<DEVELOPER_DEFINED_METADATA_STRING>", "crm-42"));

        assertThat(only(body)).isEqualTo(new WebhookEvent.Echo(PAGE, PSID, 1457764197627L,
                "mid.1457764197618:41d102a3e1ae206a38", "text", "hello, world!", event(body)));
    }

    // ---- reads and deliveries ----

    @Test
    void anInstagramSeenNamesTheMessage() {
        String body = igLogin("ig-login-webhook-seen.postman.json", "<INSTAGRAM_SCOPED_ID>", IGSID, "<MESSAGE_ID>", IG_MID);

        assertThat(only(body)).isEqualTo(new WebhookEvent.Read(INSTAGRAM, IGSID, AT, Optional.of(IG_MID), Optional.empty()));
    }

    @Test
    void theMessengerPlatformSeenSampleReadsTheSame() {
        String body = Webhooks.jsoncSample("ig-webhook-messaging-seen.messenger-platform.doc.jsonc",
                "\"IGID\"", "\"" + IG + "\"", "\"IGSID\"", "\"" + IGSID + "\"", "MESSAGE-ID", IG_MID);

        assertThat(only(body)).isEqualTo(new WebhookEvent.Read(INSTAGRAM, IGSID, 1569262485349L, Optional.of(IG_MID),
                Optional.empty()));
    }

    @Test
    void aMessengerReadIsAWatermark() {
        String body = page(Webhooks.sample("messenger-webhook-message-reads.doc.json", "<PSID>", PSID, "<PAGE_ID>", PAGE_ID));

        assertThat(only(body)).isEqualTo(new WebhookEvent.Read(PAGE, PSID, 1458668856463L, Optional.empty(),
                Optional.of(1458668856253L)));
    }

    @Test
    void aDeliveryWithoutTimestampIsTimedByItsWatermark() {
        String body = page(Webhooks.sample("messenger-webhook-message-deliveries.doc.json", "<PSID>", PSID, "<PAGE_ID>", PAGE_ID));

        assertThat(only(body)).isEqualTo(new WebhookEvent.Delivery(PAGE, PSID, 1458668856253L,
                List.of("mid.1458668856218:ed81099e15d3f4f233"), Optional.of(1458668856253L)));
    }

    @Test
    void aDeliveryWithOnlyAWatermarkHasNoMids() {
        String body = page("{\"sender\":{\"id\":\"" + PSID + "\"},\"recipient\":{\"id\":\"" + PAGE_ID + "\"},"
                + "\"timestamp\":1458668856463,\"delivery\":{\"watermark\":1458668856253}}");

        assertThat(only(body)).isEqualTo(new WebhookEvent.Delivery(PAGE, PSID, 1458668856463L, List.of(),
                Optional.of(1458668856253L)));
    }

    // ---- edits and deletions ----

    @Test
    void anEditCarriesTheNewTextAndTheEditCount() {
        String body = igLogin("ig-login-webhook-message-edit.postman.json", "<INSTAGRAM_SCOPED_ID>", IGSID,
                "<MESSAGE_ID>", IG_MID, "<USER_EDITED_MESSAGE>", "Size 39, sorry", "\"<NUMBER_OF_TIMES_MESSAGE_IS_EDITED>\"", "2");

        assertThat(only(body)).isEqualTo(new WebhookEvent.Edit(INSTAGRAM, IGSID, AT, IG_MID, "Size 39, sorry", 2));
    }

    @Test
    void aMessengerEditReadsTheSame() {
        String body = page(Webhooks.jsoncSample("messenger-webhook-message-edit.doc.jsonc", "<PSID>", PSID, "<PAGE_ID>", PAGE_ID,
                "<MESSAGE_ID>", "m_edited", "<TEXT>", "table for 4", "\"<INT>\"", "1"));

        assertThat(only(body)).isEqualTo(new WebhookEvent.Edit(PAGE, PSID, 1458668856463L, "m_edited", "table for 4", 1));
    }

    @Test
    void isDeletedIsADeletionOfThatMid() {
        assertThat(only(messagesSample("\"is_deleted\":true"))).isEqualTo(new WebhookEvent.Deletion(INSTAGRAM, IGSID,
                1569262485349L, IG_MID));
    }

    // ---- standby, changes, unknowns ----

    @Test
    void standbyEventsAreReadLikeMessagingEvents() {
        String body = igLogin("ig-login-webhook-messaging.postman.json", "<SENDER_ID>", IGSID, "<RECIPIENT_ID>", IG,
                "<MESSAGE_ID>", IG_MID, "\"messaging\":[", "\"standby\":[");

        assertThat(only(body)).isInstanceOfSatisfying(WebhookEvent.Inbound.class, in -> {
            assertThat(in.content()).isEqualTo("Hello");
            assertThat(in.mid()).contains(IG_MID);
        });
    }

    @Test
    void changesAreUnknownKindsNamedByTheirField() {
        String body = "{\"object\":\"instagram\",\"entry\":[{\"id\":\"" + IG + "\",\"time\":1520622968,\"changes\":["
                + "{\"field\":\"comments\",\"value\":{\"id\":\"17865799348089039\",\"text\":\"Nice!\"}},"
                + "{\"field\":\"mentions\",\"value\":{\"media_id\":\"17918195224117851\"}}]}]}";

        assertThat(parser.parse(bytes(body))).containsExactly(new WebhookEvent.Unknown(INSTAGRAM, "changes:comments"),
                new WebhookEvent.Unknown(INSTAGRAM, "changes:mentions"));
    }

    @Test
    void anObjectOtherThanInstagramOrPageIsOneUnknownPerEntry() {
        String body = MetaSamples.read("graph-webhook-event-notification-example.doc.json");

        assertThat(parser.parse(bytes(body))).containsExactly(
                new WebhookEvent.Unknown(new Target("user", "10210299214172187"), "object:user"));
    }

    @Test
    void aMessagingEventOfAnotherKindIsUnknownByItsFirstField() {
        String optin = page("{\"sender\":{\"id\":\"" + PSID + "\"},\"recipient\":{\"id\":\"" + PAGE_ID + "\"},"
                + "\"timestamp\":1458692752478,\"optin\":{\"ref\":\"PASS_THROUGH_PARAM\"}}");
        String empty = page("{\"sender\":{\"id\":\"" + PSID + "\"},\"recipient\":{\"id\":\"" + PAGE_ID + "\"},"
                + "\"timestamp\":1458692752478}");

        assertThat(only(optin)).isEqualTo(new WebhookEvent.Unknown(PAGE, "optin"));
        assertThat(only(empty)).isEqualTo(new WebhookEvent.Unknown(PAGE, "empty"));
    }

    // ---- envelopes and tolerance ----

    @Test
    void everyEntryOfABatchIsRead() {
        String first = igEvent(IGSID, "\"message\":{\"mid\":\"m1\",\"text\":\"one\"}");
        String second = igEvent(IGSID, "\"read\":{\"mid\":\"m1\"}");
        String body = Webhooks.delivery("instagram", Webhooks.entry(IG, AT, first), Webhooks.entry("17841400000000777", AT, second));

        List<WebhookEvent> events = parser.parse(bytes(body));

        assertThat(events).hasSize(2);
        assertThat(events.get(0).target()).isEqualTo(INSTAGRAM);
        assertThat(events.get(1)).isEqualTo(new WebhookEvent.Read(new Target("instagram", "17841400000000777"), IGSID, AT,
                Optional.of("m1"), Optional.empty()));
    }

    @Test
    void numericIdsKeepEveryDigitAndSecondsBecomeMilliseconds() {
        String body = "{\"object\":\"instagram\",\"entry\":[{\"id\":17841405793187218,\"time\":1520622968,\"messaging\":["
                + "{\"sender\":{\"id\":12544777777729190001},\"recipient\":{\"id\":17841405793187218},\"timestamp\":\"1520622968\","
                + "\"message\":{\"mid\":\"m1\",\"text\":\"hi\"}}]}]}";

        assertThat(only(body)).isInstanceOfSatisfying(WebhookEvent.Inbound.class, in -> {
            assertThat(in.target()).isEqualTo(INSTAGRAM);
            assertThat(in.peerId()).isEqualTo("12544777777729190001");
            assertThat(in.timestamp()).isEqualTo(1520622968000L);
        });
    }

    @Test
    void anEventWithoutTimestampTakesTheEntryTime() {
        String body = Webhooks.instagram(IG, AT, "{\"sender\":{\"id\":\"" + IGSID + "\"},\"recipient\":{\"id\":\"" + IG + "\"},"
                + "\"message\":{\"mid\":\"m1\",\"text\":\"hi\"}}");

        assertThat(only(body)).isInstanceOfSatisfying(WebhookEvent.Inbound.class, in -> assertThat(in.timestamp()).isEqualTo(AT));
    }

    @Test
    void aMessageWithoutMidIsKeyedBySenderAndTime() {
        String body = Webhooks.instagram(IG, AT, igEvent(IGSID, "\"message\":{\"text\":\"hi\"}"));

        assertThat(only(body)).isInstanceOfSatisfying(WebhookEvent.Inbound.class, in -> {
            assertThat(in.mid()).isEmpty();
            assertThat(in.eventKey()).isEqualTo("message:" + IGSID + ":" + AT);
        });
    }

    @Test
    void aBodyThatIsNotJsonOrHasNoEntryArrayIsMalformed() {
        for (String body : List.of("", "not json", "[]", "{\"object\":\"instagram\"}", "{\"object\":\"page\",\"entry\":{}}")) {
            assertThatThrownBy(() -> parser.parse(bytes(body))).as(body)
                    .isInstanceOf(WebhookParser.MalformedDeliveryException.class);
        }
    }

    // ---- helpers ----

    /** An Instagram Login Postman sample, its entry this account's and both its times {@link #AT}. */
    private static String igLogin(String sample, String... pairs) {
        String[] all = new String[pairs.length + 6];
        all[0] = "<YOUR_APP_USERS_INSTAGRAM_USER_ID>";
        all[1] = IG;
        all[2] = "\"<TIME_NOTIFICATION_WAS_SENT>\"";
        all[3] = Long.toString(AT + 310);
        all[4] = "\"<TIME_WEBHOOK_WAS_TRIGGERED>\"";
        all[5] = Long.toString(AT);
        System.arraycopy(pairs, 0, all, 6, pairs.length);
        return Webhooks.sample(sample, all);
    }

    /** The envelope of ig-webhook-messages.messenger-platform.doc.jsonc with one documented variant of its message. */
    private static String messagesSample(String members) {
        return Webhooks.instagram(IG, 1569262486134L, "{\"sender\":{\"id\":\"" + IGSID + "\"},\"recipient\":{\"id\":\"" + IG
                + "\"},\"timestamp\":1569262485349,\"message\":{\"mid\":\"" + IG_MID + "\"," + members + "}}");
    }

    private static String igEvent(String sender, String members) {
        return "{\"sender\":{\"id\":\"" + sender + "\"},\"recipient\":{\"id\":\"" + IG + "\"},\"timestamp\":" + AT + ","
                + members + "}";
    }

    /** A bare Messenger messaging event in Meta's page envelope. */
    private static String page(String event) {
        return Webhooks.page(PAGE_ID, 1458692752478L, event);
    }

    private WebhookEvent only(String body) {
        List<WebhookEvent> events = parser.parse(bytes(body));
        assertThat(events).as("events of %s", body).hasSize(1);
        return events.getFirst();
    }

    /** The first messaging (or standby) event of a delivery, as the parser keeps it. */
    private static String event(String body) {
        try {
            JsonNode entry = JSON.readTree(body).path("entry").get(0);
            return (entry.has("messaging") ? entry.path("messaging") : entry.path("standby")).get(0).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String withEntryId(String body, String id) {
        try {
            JsonNode root = JSON.readTree(body);
            ((ObjectNode) root.path("entry").get(0)).put("id", id);
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
