package linegate.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import linegate.meta.WebhookEvent;
import linegate.meta.WebhookParser;
import linegate.store.LineClass;
import linegate.store.LogRow;
import linegate.store.LogState;
import linegate.store.events.EventRow;
import linegate.store.events.EventType;
import linegate.testing.MetaSamples;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event object of docs/api.md ("Events"), rendered from rows as the webhooks log them from Meta's documented
 * payloads: the envelope's fields in order, occurred_at with milliseconds, the MessageStatus object with the event's
 * own state, and what Meta sent with a customer's message.
 */
class EventRenderingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_795_601_730_000L; // 2026-11-25T10:15:30.000Z: whole seconds, millis still shown
    private static final String PEER = "1254477777772919";
    private static final String PAGE_ID = "107346828715123";

    private static EventRow event(EventType type, Optional<String> state) {
        return new EventRow(41, "evt_01JDQ0M8Z4X6W5V3T2S1R0QPNM", 7, 1234, type, Optional.of(1L), Optional.of(PEER),
                Optional.of(9876547L), state, T0, "none", T0 + 5, EventRow.Notice.NONE);
    }

    /** The row the webhooks log from the first event of this delivery (its stored event_json is the event's JSON). */
    private static LogRow loggedFrom(String delivery) {
        WebhookEvent.Inbound in = (WebhookEvent.Inbound) new WebhookParser()
                .parse(delivery.getBytes(StandardCharsets.UTF_8)).getFirst();
        return new LogRow(9876547, 7, 1, LineClass.MESSENGER, "in", "customer", in.peerId(), in.mtype(), in.content(),
                Optional.empty(), Optional.empty(), in.mid(), LogState.RECEIVED, Optional.empty(), T0, T0, Optional.of(T0),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(in.json()));
    }

    private static String messengerEvent(String sample) {
        return Webhooks.page(PAGE_ID, T0, MetaSamples.read(sample).replace("<PSID>", PEER).replace("<PAGE_ID>", PAGE_ID));
    }

    private static JsonNode rendered(EventRow event, LogRow row) {
        return JSON.valueToTree(EventRendering.render(event, Optional.of(row)));
    }

    @Test
    void aStatusEventKeepsTheStateItReportedAndTheEnvelopeIsInTheDocumentedOrder() throws Exception {
        LogRow read = new LogRow(9876547, 7, 1, LineClass.INSTAGRAM, "out", "api", PEER, "text", "Thanks!",
                Optional.of("crm-42"), Optional.empty(), Optional.of("aWdfZAG1"), LogState.READ, Optional.empty(), T0 - 900,
                T0 + 60_000, Optional.of(T0 - 600), Optional.of(T0), Optional.of(T0 + 60_000), Optional.empty(),
                Optional.empty(), Optional.empty());

        String json = JSON.writeValueAsString(EventRendering.render(event(EventType.MESSAGE_STATUS,
                Optional.of("delivered")), Optional.of(read)));

        assertThat(json).startsWith("{\"event_id\":\"evt_01JDQ0M8Z4X6W5V3T2S1R0QPNM\",\"seq\":1234,"
                + "\"type\":\"message.status\",\"occurred_at\":\"2026-11-25T10:15:30.000Z\",\"account_id\":7,\"app_id\":1,"
                + "\"channel\":\"instagram\",\"message\":{\"cdls_id\":9876547,\"msg_id\":\"crm-42\",");
        JsonNode message = JSON.readTree(json).path("message");
        assertThat(message.path("state").asText()).as("the event's state, not the row's read").isEqualTo("delivered");
        assertThat(message.path("read_at").asText()).isEqualTo("2026-11-25T10:16:30Z");
        assertThat(message.has("text")).as("inbound extras belong to message.received").isFalse();
    }

    @Test
    void aLineStatusEventCarriesTheLineInsteadOfAMessage() throws Exception {
        EventRow event = new EventRow(42, "evt_01JDQ0M8Z4X6W5V3T2S1R0QPNP", 7, 1235, EventType.LINE_STATUS,
                Optional.of(1L), Optional.empty(), Optional.empty(), Optional.of("token_rejected"), T0, "pending", T0,
                new EventRow.Notice(Optional.of("messenger"), Optional.of("ok"),
                        Optional.of("Meta error 190/460: Error validating access token"), Optional.empty()));

        String json = JSON.writeValueAsString(EventRendering.render(event, Optional.empty()));

        assertThat(json).isEqualTo("{\"event_id\":\"evt_01JDQ0M8Z4X6W5V3T2S1R0QPNP\",\"seq\":1235,"
                + "\"type\":\"line.status\",\"occurred_at\":\"2026-11-25T10:15:30.000Z\",\"account_id\":7,"
                + "\"app_id\":1,\"channel\":\"messenger\",\"line\":{\"app_id\":1,\"health\":\"token_rejected\","
                + "\"previous_health\":\"ok\",\"reason\":\"Meta error 190/460: Error validating access token\"}}");
    }

    @Test
    void aClosingWindowEventCarriesTheConversationAndWhenItsWindowCloses() {
        long lastInbound = T0 - 23 * 3_600_000L;
        EventRow event = new EventRow(43, "evt_01JDQ0M8Z4X6W5V3T2S1R0QPNQ", 7, 1236, EventType.WINDOW_CLOSING,
                Optional.of(1L), Optional.of(PEER), Optional.empty(), Optional.empty(), T0, "none", T0,
                new EventRow.Notice(Optional.of("instagram"), Optional.empty(), Optional.empty(),
                        Optional.of(lastInbound + 24 * 3_600_000L)));

        JsonNode rendered = JSON.valueToTree(EventRendering.render(event, Optional.empty()));

        assertThat(rendered.has("message")).isFalse();
        assertThat(rendered.path("channel").asText()).isEqualTo("instagram");
        JsonNode conversation = rendered.path("conversation");
        assertThat(conversation.path("app_id").asLong()).isEqualTo(1);
        assertThat(conversation.path("dest").asText()).isEqualTo(PEER);
        assertThat(conversation.path("last_inbound_at").asText()).isEqualTo("2026-11-24T11:15:30.000Z");
        assertThat(conversation.path("expires_at").asText()).isEqualTo("2026-11-25T11:15:30.000Z");
    }

    @Test
    void aQuickReplyCarriesItsTextPayloadAndMid() {
        String delivery = MetaSamples.read("ig-webhook-quick-reply.doc.json").replace("<IGID>", "17841405793187218")
                .replace("<IGSID>", PEER).replace("<MID>", "aWdfZAG1faXRlbToxOkl").replace("<PAYLOAD>", "BOOK_TABLE")
                .replace("<SOME_TEXT>", "Book a table");

        JsonNode message = rendered(event(EventType.MESSAGE_RECEIVED, Optional.empty()), loggedFrom(delivery)).path("message");

        assertThat(message.path("direction").asText()).isEqualTo("in");
        assertThat(message.path("dest").asText()).isEqualTo(PEER);
        assertThat(message.path("state").asText()).isEqualTo("received");
        assertThat(message.path("messageId").asText()).isEqualTo("aWdfZAG1faXRlbToxOkl");
        assertThat(message.path("text").asText()).isEqualTo("Book a table");
        assertThat(message.path("quick_reply_payload").asText()).isEqualTo("BOOK_TABLE");
        assertThat(message.path("attachments").isArray()).isTrue();
        assertThat(message.path("attachments")).isEmpty();
        assertThat(message.path("postback_payload").isNull()).isTrue();
        assertThat(message.path("reply_to").isNull()).isTrue();
        assertThat(message.path("referral").isNull()).isTrue();
    }

    @Test
    void anInlineReplyNamesTheMidItRepliesTo() {
        JsonNode message = rendered(event(EventType.MESSAGE_RECEIVED, Optional.empty()),
                loggedFrom(messengerEvent("messenger-webhook-messaging-reply.doc.json"))).path("message");

        assertThat(message.path("text").asText()).isEqualTo("hello, world!");
        assertThat(message.path("reply_to").asText()).isEqualTo("m_1fTq8oLumEyIp3Q2MR-aY7IfLZDamVrALniheU");
        assertThat(message.path("messageId").asText()).isEqualTo("m_1457764197618:41d102a3e1ae206a38");
    }

    @Test
    void anAttachmentIsItsTypeAndUrl() {
        String delivery = messengerEvent("messenger-webhook-entry-attachment.doc.json")
                .replace("<IMAGE_URL>", "https://scontent.xx.fbcdn.net/v/t1.15752-9/photo.jpg");

        JsonNode message = rendered(event(EventType.MESSAGE_RECEIVED, Optional.empty()), loggedFrom(delivery)).path("message");

        assertThat(message.path("attachments").toString())
                .isEqualTo("[{\"type\":\"image\",\"url\":\"https://scontent.xx.fbcdn.net/v/t1.15752-9/photo.jpg\"}]");
        assertThat(message.path("text").isNull()).isTrue();
    }

    @Test
    void aPostbackCarriesItsPayload() {
        String delivery = messengerEvent("messenger-webhook-postback.doc.json").replace("<BUTTON_TITLE>", "Opening hours")
                .replace("<DEVELOPER_DEFINED_PAYLOAD>", "HOURS");

        JsonNode message = rendered(event(EventType.MESSAGE_RECEIVED, Optional.empty()), loggedFrom(delivery)).path("message");

        assertThat(message.path("mtype").asText()).isEqualTo("postback");
        assertThat(message.path("postback_payload").asText()).isEqualTo("HOURS");
    }

    @Test
    void anAdsReferralIsMetasObjectAsSent() {
        String delivery = messengerEvent("messenger-webhook-messaging-ads-referral.doc.json")
                .replaceAll("<[A-Z_]+>", "x").replace("\"ref\": \"x\"", "\"ref\": \"spring-sale\"");

        JsonNode referral = rendered(event(EventType.MESSAGE_RECEIVED, Optional.empty()), loggedFrom(delivery))
                .path("message").path("referral");

        assertThat(referral.path("ref").asText()).isEqualTo("spring-sale");
        assertThat(referral.path("source").asText()).isEqualTo("ADS");
        assertThat(referral.path("type").asText()).isEqualTo("OPEN_THREAD");
        assertThat(referral.path("ads_context_data").isObject()).isTrue();
    }

    @Test
    void aStoryReplyHasNoRepliedToMid() {
        String delivery = MetaSamples.read("ig-login-webhook-story-reply.postman.json")
                .replace("\"<TIME_NOTIFICATION_WAS_SENT>\"", Long.toString(T0))
                .replace("\"<TIME_WEBHOOK_WAS_TRIGGERED>\"", Long.toString(T0))
                .replace("\"is_deleted\": true,", "").replace("\"is_echo\": true,", "")
                .replace("\"is_unsupported\": true,", "")
                .replaceAll("<[A-Z_]+>", "1784");

        JsonNode message = rendered(event(EventType.MESSAGE_RECEIVED, Optional.empty()), loggedFrom(delivery)).path("message");

        assertThat(message.path("mtype").asText()).isEqualTo("story_reply");
        assertThat(message.path("reply_to").isNull()).as("a story is not a message: no mid").isTrue();
    }

    @Test
    void anEventWhoseRowIsGoneHasNoMessage() {
        JsonNode event = JSON.valueToTree(EventRendering.render(event(EventType.MESSAGE_ECHO, Optional.empty()),
                Optional.empty()));

        assertThat(event.path("message").isNull()).isTrue();
        assertThat(event.path("type").asText()).isEqualTo("message.echo");
    }
}
