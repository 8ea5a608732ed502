package linegate.webhook;

import linegate.store.LineClass;
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
 * Every documented Messenger webhook payload (src/test/resources/meta/messenger-webhook-*) through the real HTTP
 * server, with the rows and states it leaves (docs/api.md, "The message log" and "The messaging window", docs/meta-facts.md, "Webhook objects and events"). The samples that are a bare messaging
 * event are wrapped in Meta's documented envelope {@code {"object":"page","entry":[{"id":PAGE_ID,"time":T,
 * "messaging":[EVENT]}]}}. Each test has its own Messenger line (its own Page id) on one gateway per database.
 */
class MessengerWebhookSamplesTest extends GatewayPerDatabase {
    /** The mid of Meta's text, ads-referral and echo samples. */
    static final String SAMPLE_MID = "mid.1457764197618:41d102a3e1ae206a38";
    static final String IMAGE = "https://scontent.xx.fbcdn.net/v/t1.15752-9/328229426_1234567890_n.jpg?_nc_cat=1&oh=00_Ab";

    Webhooks hooks;
    Webhooks.Line line;
    String pageId;
    String psid;

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
        line = hooks.newMessengerLine();
        pageId = line.entryId();
        psid = Webhooks.newId("527581");
    }

    /** A bare messaging event of Meta's samples, placeholders filled, in the {@code object: page} envelope. */
    private String event(String sample, String... pairs) {
        String[] all = new String[pairs.length + 4];
        all[0] = "<PSID>";
        all[1] = psid;
        all[2] = "<PAGE_ID>";
        all[3] = pageId;
        System.arraycopy(pairs, 0, all, 4, pairs.length);
        String body = sample.endsWith(".jsonc") ? Webhooks.jsoncSample(sample, all) : Webhooks.sample(sample, all);
        return Webhooks.page(pageId, System.currentTimeMillis(), body);
    }

    private LogRow onlyRow() {
        List<LogRow> rows = hooks.rows(line.id());
        assertThat(rows).as("rows of line %s", line.id()).hasSize(1);
        return rows.getFirst();
    }

    private LogRow assertInbound(String mtype, String mdata, Optional<String> mid, long at) {
        LogRow row = onlyRow();
        assertThat(row.channel()).isEqualTo(LineClass.MESSENGER);
        assertThat(row.direction()).isEqualTo("in");
        assertThat(row.state()).isEqualTo(LogState.RECEIVED);
        assertThat(row.origin()).isEqualTo("customer");
        assertThat(row.peerId()).isEqualTo(psid);
        assertThat(row.mtype()).isEqualTo(mtype);
        assertThat(row.mdata()).isEqualTo(mdata);
        assertThat(row.metaMessageId()).isEqualTo(mid);
        assertThat(gw.stores().conversations().lastInbound(line.id(), psid)).contains(at);
        return row;
    }

    @Test
    void messagingTextSample() {
        hooks.deliver(event("messenger-webhook-messaging-text.doc.json", "<DEVELOPER_DEFINED_PAYLOAD>", "BOOK_TABLE"));

        LogRow row = assertInbound("text", "hello, world!", Optional.of(SAMPLE_MID), 1458692752478L);
        assertThat(row.sentAt()).contains(1458692752478L);
    }

    @Test
    void messagingReplySample() {
        hooks.deliver(event("messenger-webhook-messaging-reply.doc.json"));

        assertInbound("text", "hello, world!", Optional.of("m_1457764197618:41d102a3e1ae206a38"), 1458692752478L);
    }

    @Test
    void entryAttachmentSample() {
        hooks.deliver(event("messenger-webhook-entry-attachment.doc.json", "<IMAGE_URL>", IMAGE));

        assertInbound("image", IMAGE, Optional.of("mid.$cAAJdkrCd2ORnva8ErFhjGm0X_Q_c"), 1518479195308L);
    }

    @Test
    void messagingAdsReferralSample() {
        hooks.deliver(event("messenger-webhook-messaging-ads-referral.doc.json",
                "<REF_DATA_IF_SPECIFIED_IN_THE_AD>", "spring-sale",
                "<ID_OF_THE_AD>", "23851234567890125",
                "<TITLE_OF_THE_AD>", "Spring sale",
                "<URL_OF_THE_IMAGE_FROM_AD_THE_USER_IS_INTERESTED_IN>", IMAGE,
                "<THUMBNAIL_URL_OF_THE_VIDEO_FROM_THE_AD>", IMAGE + "&v=1",
                "<ID_OF_THE_POST>", "107346828715123_987654321098765",
                "<PRODUCT_ID>", "5381232425267352",
                "<ID_OF_THE_PARTNER_APP_WELCOME_MESSAGE_FLOW>", "2384729384729384"));

        assertInbound("text", "hello, world!", Optional.of(SAMPLE_MID), 1458692752478L);
    }

    @Test
    void fallbackAttachmentFullSample() {
        // a full delivery already: only the placeholders change
        hooks.deliver(Webhooks.sample("messenger-webhook-fallback-attachment-full.doc.json",
                "<PAGE_ID>", pageId, "<PSID>", psid, "<ATTACHMENT_URL >", "https://youtu.be/bbo_fZAjIhg"));

        assertInbound("fallback", "This is where I want to go: https://youtu.be/bbo_fZAjIhg", Optional.of("m_toDnmD..."),
                1583173666767L);
    }

    @Test
    void messageEchoTextSampleOfAMessageTypedInMetasApp() {
        hooks.deliver(event("messenger-webhook-message-echo-text.doc.json",
                "<DEVELOPER_DEFINED_METADATA_STRING>", "inbox"));

        LogRow row = onlyRow();
        assertThat(row.direction()).isEqualTo("out");
        assertThat(row.origin()).isEqualTo("meta_app");
        assertThat(row.state()).isEqualTo(LogState.SENT);
        assertThat(row.peerId()).isEqualTo(psid);
        assertThat(row.mtype()).isEqualTo("text");
        assertThat(row.mdata()).isEqualTo("hello, world!");
        assertThat(row.metaMessageId()).contains(SAMPLE_MID);
        assertThat(row.sentAt()).contains(1457764197627L);
        assertThat(gw.stores().conversations().lastInbound(line.id(), psid)).isEmpty();
    }

    @Test
    void messageEchoTextSampleOfLinegatesOwnSendChangesNothing() {
        long cdlsId = hooks.send(Webhooks.MAKE_MESSENGER, line.id(), psid, "hello, world!", SAMPLE_MID);
        LogRow before = hooks.row(cdlsId);

        hooks.deliver(event("messenger-webhook-message-echo-text.doc.json",
                "<DEVELOPER_DEFINED_METADATA_STRING>", "crm-42"));

        assertThat(hooks.rows(line.id())).containsExactly(before);
    }

    @Test
    void messageDeliveriesSampleMarksTheSentMessageDelivered() {
        String mid = "mid.1458668856218:ed81099e15d3f4f233";
        long cdlsId = hooks.send(Webhooks.MAKE_MESSENGER, line.id(), psid, "Your table is booked", mid);
        long watermark = hooks.row(cdlsId).sentAt().orElseThrow() + 800;

        hooks.deliver(event("messenger-webhook-message-deliveries.doc.json", "1458668856253", Long.toString(watermark)));

        LogRow row = onlyRow();
        assertThat(row.state()).isEqualTo(LogState.DELIVERED);
        // the event has no timestamp of its own: the watermark is when Meta knew it delivered
        assertThat(row.deliveredAt()).contains(watermark);
        assertThat(row.readAt()).isEmpty();
    }

    @Test
    void messageReadsSampleMarksTheSentMessageRead() {
        long cdlsId = hooks.send(Webhooks.MAKE_MESSENGER, line.id(), psid, "Your table is booked", Webhooks.newMessengerMid());
        long sentAt = hooks.row(cdlsId).sentAt().orElseThrow();
        long readAt = sentAt + 5_000;

        hooks.deliver(event("messenger-webhook-message-reads.doc.json",
                "1458668856463", Long.toString(readAt), "1458668856253", Long.toString(sentAt + 10)));

        LogRow row = onlyRow();
        assertThat(row.state()).isEqualTo(LogState.READ);
        assertThat(row.readAt()).contains(readAt);
        assertThat(row.deliveredAt()).contains(readAt);
    }

    @Test
    void messageReactionsSample() {
        String reactedTo = Webhooks.newMessengerMid();

        hooks.deliver(event("messenger-webhook-message-reactions.doc.jsonc",
                "smile|angry|sad|wow|love|like|dislike|other", "love",
                "react|unreact", "react",
                "<MID_OF_ReactedTo_Message>", reactedTo));

        assertInbound("reaction", "react \u2764\uFE0F", Optional.empty(), 1458668856463L);
    }

    @Test
    void postbackSample() {
        hooks.deliver(event("messenger-webhook-postback.doc.json",
                "<BUTTON_TITLE>", "Get Started", "<DEVELOPER_DEFINED_PAYLOAD>", "GET_STARTED"));

        // this documented postback has no mid
        assertInbound("postback", "Get Started", Optional.empty(), 1458692752478L);
    }

    @Test
    void messageEditSampleReplacesTheText() {
        String mid = Webhooks.newMessengerMid();
        hooks.deliver(event("messenger-webhook-messaging-text.doc.json",
                "<DEVELOPER_DEFINED_PAYLOAD>", "BOOK_TABLE", SAMPLE_MID, mid));

        hooks.deliver(event("messenger-webhook-message-edit.doc.jsonc",
                "<MESSAGE_ID>", mid, "<TEXT>", "hello, world! (table for 4)", "\"<INT>\"", "1"));

        assertInbound("text", "hello, world! (table for 4)", Optional.of(mid), 1458692752478L);
    }

    @Test
    void commonEnvelopeWithAMessage() {
        String mid = Webhooks.newMessengerMid();

        // the envelope of "Common payload structures", its "..." being a text message
        hooks.deliver(Webhooks.jsoncSample("messenger-webhook-common-envelope.doc.jsonc",
                "<PAGE_ID>", pageId, "<PSID>", psid,
                "...", "\"message\": {\"mid\": \"" + mid + "\", \"text\": \"Do you deliver?\"}"));

        assertInbound("text", "Do you deliver?", Optional.of(mid), 1458692752478L);
    }

    @Test
    void aPostbackWithAMidKeepsIt() {
        String mid = Webhooks.newMessengerMid();
        long at = System.currentTimeMillis() - 1_000;
        // Meta's postback sample with a mid, as postbacks carry one on Instagram (docs/meta-facts.md, "Webhook objects and events": postback{mid,title,payload})
        String event = Webhooks.sample("messenger-webhook-postback.doc.json", "<PSID>", psid, "<PAGE_ID>", pageId,
                "<BUTTON_TITLE>", "Get Started", "<DEVELOPER_DEFINED_PAYLOAD>", "GET_STARTED",
                "1458692752478", Long.toString(at),
                "\"title\"", "\"mid\": \"" + mid + "\", \"title\"");

        hooks.deliver(Webhooks.page(pageId, at + 100, event));

        assertInbound("postback", "Get Started", Optional.of(mid), at);
    }
}
