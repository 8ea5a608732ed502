package linegate.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import linegate.store.LineClass;
import linegate.store.LogRow;
import linegate.store.LogState;
import linegate.store.NewLine;
import linegate.store.PageAccessToken;
import linegate.store.ReceivedComment;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.MetaDeliveries;
import linegate.testing.MetaSamples;
import linegate.testing.MetaStubs;
import linegate.testing.Tenant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static linegate.http.Answers.assertRefused;
import static linegate.testing.MetaDeliveries.deliverAndAwaitWindow;
import static linegate.testing.MetaDeliveries.instagramMessage;
import static linegate.testing.MetaDeliveries.newPeer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract §11's message types through the real server on both databases: each type's Graph body is Meta's documented
 * sample (placeholders filled; Linegate adds {@code messaging_type} to every message, contract §4), the answer, and the
 * row the log keeps; the JSON-valued parameters from every source; SenderAction end to end; {@code agent=human}
 * against windows opened by Meta's signed webhooks.
 */
class RichMessagesTest extends GatewayPerDatabase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INSTAGRAM = "/api/v2/MakeInstagram.php";
    private static final String MESSENGER = "/api/v2/MakeMessenger.php";
    private static final String SENDER_ACTION = "/api/v2/SenderAction.php";
    private static final String MESSENGER_TOKEN = "EAAGm0PX4ZCpsBArichMessengerToken0123456789abcdefZDZD";
    /** An Instagram message id in the real format (Meta's IG Postman example response). */
    private static final String IG_MID = "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjEyNTAyNDAyNjQwOTMwOjM0MDI4MjM2Njg0MTcxMDMwMTI0NDI1ODE4NzUxOTk3OTcyODI5MjozMjM4NzQ4MDk1NTU2NDIxMjIzNDE1NjY3NTg0NzY4NDA5NgZDZD";
    private static final String AGENT_IG_ACCOUNT_ID = "17841400000000999";
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long DAY = Duration.ofDays(1).toMillis();

    Tenant messenger;
    long agentLine;

    @Override
    protected Map<String, String> gatewayEnv() {
        return Gateway.env("LINEGATE_APP_SECRET", MetaDeliveries.APP_SECRET);
    }

    @BeforeParameterizedClassInvocation(injectArguments = false)
    void createLines() {
        messenger = Tenant.newLine(gw, LineClass.MESSENGER, MESSENGER_TOKEN);
        agentLine = gw.stores().lines().create(new NewLine(gw.accountId, LineClass.INSTAGRAM,
                Optional.of(new PageAccessToken(Gateway.PAGE_TOKEN)), Optional.of(AGENT_IG_ACCOUNT_ID), Optional.empty(),
                true, true));
    }

    @BeforeEach
    void resetMeta() {
        gw.meta().resetAll();
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
    }

    // ---- file, several images -----------------------------------------------------------------------------------

    @Test
    void sendsAPdfOnInstagramAsAFileAttachment() {
        String peer = newPeer();
        Gateway.Response r = gw.postJson(INSTAGRAM, gw.sendJson("\"dest\":\"" + peer
                + "\",\"mtype\":\"file\",\"mdata\":\"https://cdn.example.com/invoice-42.pdf\""));

        assertThat(r.statusCode()).as(r.raw()).isEqualTo(200);
        // Meta's audio sample with the type Meta documents for PDFs ("Send audio, video or file")
        assertGraphBody(sample("ig-send-audio-request.postman.json", "{{instagram_scoped_id}}", peer,
                "ACTUAL_AUDIO_OR_VIDEO_FILE_URL", "https://cdn.example.com/invoice-42.pdf").replace("\"audio\"", "\"file\""));
        assertThat(row(r).mtype()).isEqualTo("file");
    }

    @Test
    void sendsSeveralImagesAsMetasAttachmentsSampleAndLogsOneRowWithTheUrls() {
        gw.metaAnswers(200, MetaSamples.read("messenger-send-success.doc.json"));
        String psid = "1254459154682919";
        String url = "http://www.messenger-rocks.com/image.jpg";

        Gateway.Response r = gw.postJson(MESSENGER, messenger.sendJson("\"dest\":\"" + psid
                + "\",\"mtype\":\"image\",\"mdata\":[\"" + url + "\",\"" + url + "\"]"));

        assertThat(r.statusCode()).as(r.raw()).isEqualTo(200);
        assertGraphBody(sample("messenger-send-multiple-images.doc.json"));
        LogRow row = row(r);
        assertThat(row.mtype()).isEqualTo("image");
        assertThat(row.mdata()).isEqualTo("[\"" + url + "\",\"" + url + "\"]");
        assertThat(gw.rows().stream().filter(x -> x.peerId().equals(psid))).hasSize(1);
    }

    @Test
    void takesTenImagesOnInstagramAndThirtyOnMessengerAndAnswers227ForOneMore() {
        String peer = newPeer();
        assertThat(gw.postJson(INSTAGRAM, gw.sendJson(images(peer, 10))).statusCode()).isEqualTo(200);
        Gateway.Response igOver = gw.postJson(INSTAGRAM, gw.sendJson(images(peer, 11)));
        assertThat(gw.postJson(MESSENGER, messenger.sendJson(images(peer, 30))).statusCode()).isEqualTo(200);
        Gateway.Response messengerOver = gw.postJson(MESSENGER, messenger.sendJson(images(peer, 31)));

        assertRefused(igOver, 400, 227, "Invalid media URL");
        assertThat(igOver.ret().path("detail").asText()).contains("11 images").contains("instagram allows at most 10");
        assertRefused(messengerOver, 400, 227, "Invalid media URL");
        assertThat(messengerOver.ret().path("detail").asText()).contains("messenger allows at most 30");
        assertThat(MetaStubs.graphCalls(gw.meta())).isEqualTo(2);
    }

    @Test
    void readsSeveralImagesAsAJsonStringFromAFormBodyAMultipartBodyAndTheQueryString() {
        String peer = newPeer();
        String array = "[\"https://cdn.example.com/a.jpg\",\"https://cdn.example.com/b.jpg\"]";
        String expected = "{\"recipient\":{\"id\":\"" + peer + "\"},\"messaging_type\":\"RESPONSE\",\"message\":{"
                + "\"attachments\":[{\"type\":\"image\",\"payload\":{\"url\":\"https://cdn.example.com/a.jpg\"}},"
                + "{\"type\":\"image\",\"payload\":{\"url\":\"https://cdn.example.com/b.jpg\"}}]}}";
        Map<String, String> fields = Map.of("tsid", gw.tsid, "app_id", Long.toString(gw.lineId), "dest", peer,
                "mtype", "image", "mdata", array);

        Gateway.Response form = gw.post(INSTAGRAM, "application/x-www-form-urlencoded", form(fields), Map.of());
        Gateway.Response multipart = multipart(INSTAGRAM, fields);
        Gateway.Response query = gw.post(INSTAGRAM + "?" + form(fields), null, "", Map.of());

        for (Gateway.Response r : new Gateway.Response[] {form, multipart, query}) {
            assertThat(r.statusCode()).as(r.raw()).isEqualTo(200);
        }
        gw.meta().verify(3, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH)).withRequestBody(equalToJson(expected)));
    }

    // ---- quick replies, reply_to --------------------------------------------------------------------------------

    @Test
    void sendsQuickRepliesAsMetasSampleFromAJsonValueAndFromAFormString() {
        String peer = newPeer();
        String replies = "[{\"title\":\"Tomorrow 10:00\",\"payload\":\"SLOT_1\"},{\"title\":\"Friday 15:30\","
                + "\"payload\":\"SLOT_2\"}]";
        String expected = sample("ig-send-quick-replies-request.postman.json", "{{ig_scoped_id}}", peer,
                "<SOME_TEXT>", "Which time suits you?", "<TITLE_1>", "Tomorrow 10:00", "<POSTBACK_PAYLOAD_1>", "SLOT_1",
                "<TITLE_2>", "Friday 15:30", "<POSTBACK_PAYLOAD_2>", "SLOT_2");

        Gateway.Response json = gw.postJson(INSTAGRAM, gw.sendJson("\"dest\":\"" + peer
                + "\",\"mdata\":\"Which time suits you?\",\"quick_replies\":" + replies));
        Gateway.Response form = gw.post(INSTAGRAM, "application/x-www-form-urlencoded", form(Map.of("tsid", gw.tsid,
                "app_id", Long.toString(gw.lineId), "dest", peer, "mdata", "Which time suits you?",
                "quick_replies", replies)), Map.of());

        assertThat(json.statusCode()).as(json.raw()).isEqualTo(200);
        assertThat(form.statusCode()).as(form.raw()).isEqualTo(200);
        gw.meta().verify(2, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH)).withRequestBody(equalToJson(expected)));
        assertThat(row(json).options()).contains("{\"quick_replies\":" + replies + "}");
    }

    @Test
    void sendsQuickRepliesOnMessengerAsMetasSampleWithoutItsImages() {
        gw.metaAnswers(200, MetaSamples.read("messenger-send-success.doc.json"));
        String psid = newPeer();
        // Meta's Messenger sample gives each reply an image_url; Linegate takes only {"title","payload"} (contract
        // §11, RichMessageLimitsTest refuses image_url with 232), so the sample is the body less those images
        ObjectNode expected = (ObjectNode) read(sample("messenger-send-quick-replies-request.postman.json",
                "{{page-scoped-id}}", psid));
        ArrayNode sampleReplies = (ArrayNode) expected.path("message").path("quick_replies");
        String[] colors = {"Red", "Green"};
        StringBuilder replies = new StringBuilder("[");
        for (int i = 0; i < colors.length; i++) {
            ObjectNode reply = (ObjectNode) sampleReplies.get(i);
            reply.remove("image_url");
            reply.put("title", colors[i]).put("payload", "PICKED_" + colors[i].toUpperCase(java.util.Locale.ROOT));
            replies.append(i == 0 ? "" : ",").append("{\"title\":\"").append(colors[i]).append("\",\"payload\":\"")
                    .append(reply.path("payload").asText()).append("\"}");
        }
        replies.append("]");
        assertThat(sampleReplies).hasSize(colors.length);

        Gateway.Response r = gw.postJson(MESSENGER, messenger.sendJson("\"dest\":\"" + psid
                + "\",\"mdata\":\"Pick a color:\",\"quick_replies\":" + replies));

        assertThat(r.statusCode()).as(r.raw()).isEqualTo(200);
        assertGraphBody(expected.toString());
        assertThat(row(r).options()).contains("{\"quick_replies\":" + replies + "}");
    }

    @Test
    void refusesQuickRepliesOnAnImageWith232() {
        Gateway.Response r = gw.postJson(INSTAGRAM, gw.sendJson("\"dest\":\"" + newPeer() + "\",\"mtype\":\"image\","
                + "\"mdata\":\"https://cdn.example.com/a.jpg\",\"quick_replies\":[{\"title\":\"Yes\",\"payload\":\"Y\"}]"));

        assertRefused(r, 400, 232, "Invalid quick_replies");
        gw.meta().verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void repliesToAMessageAsMetasSamplesOnBothChannels() {
        String peer = newPeer();
        Gateway.Response ig = gw.postJson(INSTAGRAM, gw.sendJson("\"dest\":\"" + peer + "\",\"mdata\":\"TEXT\","
                + "\"reply_to\":\"" + IG_MID + "\""));
        assertThat(ig.statusCode()).as(ig.raw()).isEqualTo(200);
        assertGraphBody(sample("ig-send-reply-to-request.doc.json", "<IGSID>", peer, "<MESSAGE_ID>", IG_MID));

        gw.meta().resetRequests();
        String mid = "m_qr6GPBlzTU4jqP0PBqaIoIAcfn2p3T7uiO5jm0L_PMTKMJhEIUGFkEKQBhGkpCnPXVZNsYdkN7A2Sel0dOz_Iw";
        Gateway.Response fb = gw.postJson(MESSENGER, messenger.sendJson("\"dest\":\"" + peer + "\",\"mdata\":"
                + "\"Hello, world!\",\"reply_to\":\"" + mid + "\""));
        assertThat(fb.statusCode()).as(fb.raw()).isEqualTo(200);
        assertGraphBody(sample("messenger-send-reply-to.doc.json", "<PSID>", peer, "<MESSAGE_ID>", mid));
        assertThat(row(fb).options()).contains("{\"reply_to\":\"" + mid + "\"}");
    }

    @Test
    void answers238ForAReplyToThatIsNoMid() {
        Gateway.Response r = gw.postJson(INSTAGRAM, gw.sendJson("\"dest\":\"" + newPeer() + "\",\"mdata\":\"hi\","
                + "\"reply_to\":\"not a mid\""));

        assertRefused(r, 400, 238, "Invalid reply_to");
        gw.meta().verify(0, anyRequestedFor(anyUrl()));
    }

    // ---- reactions ----------------------------------------------------------------------------------------------

    @Test
    void reactsAsMetasSampleAndAnswersWithoutAMessageId() {
        gw.metaAnswers(200, MetaSamples.read("ig-react-unreact-success.doc.json"));
        String peer = newPeer();

        Gateway.Response r = gw.postJson(INSTAGRAM, gw.sendJson("\"dest\":\"" + peer + "\",\"mtype\":\"reaction\","
                + "\"mdata\":\"love\",\"reply_to\":\"" + IG_MID + "\""));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.statusCode()).as(r.raw()).isEqualTo(200);
        assertThat(r.ret().has("messageId")).as(r.raw()).isFalse();
        assertGraphBody(sample("ig-send-reaction-request.postman.json", "{{instagram_scoped_id}}", peer,
                "MESSAGE_ID", IG_MID));
        LogRow row = row(r);
        assertThat(row.state()).isEqualTo(LogState.SENT);
        assertThat(row.mtype()).isEqualTo("reaction");
        assertThat(row.mdata()).isEqualTo("love");
        assertThat(row.metaMessageId()).isEmpty();
    }

    @Test
    void unreactsWithTheMessageIdAloneAndSendsAnEmojiAsItIs() {
        gw.metaAnswers(200, MetaSamples.read("ig-react-unreact-success.doc.json"));
        String peer = newPeer();

        Gateway.Response unreact = gw.postJson(INSTAGRAM, gw.sendJson("\"dest\":\"" + peer + "\",\"mtype\":\"reaction\","
                + "\"mdata\":\"unreact\",\"reply_to\":\"" + IG_MID + "\""));
        Gateway.Response emoji = gw.postJson(INSTAGRAM, gw.sendJson("\"dest\":\"" + peer + "\",\"mtype\":\"reaction\","
                + "\"mdata\":\"\uD83D\uDC4D\uD83C\uDFFD\",\"reply_to\":\"" + IG_MID + "\""));

        assertThat(unreact.statusCode()).as(unreact.raw()).isEqualTo(200);
        assertThat(emoji.statusCode()).as(emoji.raw()).isEqualTo(200);
        gw.meta().verify(1, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH)).withRequestBody(equalToJson(
                "{\"recipient\":{\"id\":\"" + peer + "\"},\"sender_action\":\"unreact\",\"payload\":{\"message_id\":\""
                        + IG_MID + "\"}}")));
        gw.meta().verify(1, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH)).withRequestBody(equalToJson(
                "{\"recipient\":{\"id\":\"" + peer + "\"},\"sender_action\":\"react\",\"payload\":{\"message_id\":\""
                        + IG_MID + "\",\"reaction\":\"\uD83D\uDC4D\uD83C\uDFFD\"}}")));
    }

    @Test
    void answers239ForAReactionThatIsNoneAnd238WithoutTheMessageReactedTo() {
        Gateway.Response word = gw.postJson(INSTAGRAM, gw.sendJson("\"dest\":\"" + newPeer() + "\",\"mtype\":\"reaction\","
                + "\"mdata\":\"like\",\"reply_to\":\"" + IG_MID + "\""));
        Gateway.Response noMid = gw.postJson(INSTAGRAM, gw.sendJson("\"dest\":\"" + newPeer() + "\",\"mtype\":\"reaction\","
                + "\"mdata\":\"love\""));

        assertRefused(word, 400, 239, "Invalid action");
        assertRefused(noMid, 400, 238, "Invalid reply_to");
        gw.meta().verify(0, anyRequestedFor(anyUrl()));
    }

    // ---- generic templates --------------------------------------------------------------------------------------

    @Test
    void sendsMetasGenericTemplateSamplesElementsAsTheyAreOnBothChannels() {
        String peer = newPeer();
        // the doc's sample has a trailing comma in default_action; the elements are sent as Meta shows them
        String igSample = sample("ig-send-generic-template-request.doc.jsonc", "<IGSID>", peer,
                "\"url\": \"https://www.originalcoastclothing.com\",\n            }", "\"url\": \"https://www.originalcoastclothing.com\"}");
        String elements = read(igSample).path("message").path("attachment").path("payload").path("elements").toString();

        Gateway.Response ig = gw.postJson(INSTAGRAM, gw.sendJson("\"dest\":\"" + peer
                + "\",\"mtype\":\"template\",\"mdata\":" + elements));
        assertThat(ig.statusCode()).as(ig.raw()).isEqualTo(200);
        assertGraphBody(igSample);
        assertThat(row(ig).mtype()).isEqualTo("template");
        assertThat(read(row(ig).mdata())).isEqualTo(read(elements));

        gw.meta().resetRequests();
        String fbSample = sample("messenger-send-generic-template-request.postman.json", "{{page-scoped-id}}", peer);
        String fbElements = read(fbSample).path("message").path("attachment").path("payload").path("elements").toString();
        Gateway.Response fb = gw.post(MESSENGER, "application/x-www-form-urlencoded", form(Map.of("tsid", gw.tsid,
                "app_id", Long.toString(messenger.lineId()), "dest", peer, "mtype", "template", "mdata", fbElements)), Map.of());
        assertThat(fb.statusCode()).as(fb.raw()).isEqualTo(200);
        assertGraphBody(fbSample);
    }

    @Test
    void answers237NamingTheLimitForFourButtons() {
        String button = "{\"type\":\"postback\",\"title\":\"Pick\",\"payload\":\"P\"}";
        Gateway.Response r = gw.postJson(INSTAGRAM, gw.sendJson("\"dest\":\"" + newPeer() + "\",\"mtype\":\"template\","
                + "\"mdata\":[{\"title\":\"Hats\",\"buttons\":[" + String.join(",", button, button, button, button) + "]}]"));

        assertRefused(r, 400, 237, "Invalid template");
        assertThat(r.ret().path("detail").asText()).isEqualTo("mdata[0].buttons is an array of at most 3 buttons; it has 4");
        gw.meta().verify(0, anyRequestedFor(anyUrl()));
    }

    // ---- private replies ----------------------------------------------------------------------------------------

    @Test
    void repliesPrivatelyToACommentAsMetasSample() {
        String comment = "17858893269000001";
        Gateway.Response r = gw.postJson(INSTAGRAM, gw.sendJson("\"comment_id\":\"" + comment + "\",\"mdata\":\"It is cool\""));

        assertThat(r.statusCode()).as(r.raw()).isEqualTo(200);
        // Meta's sample leaves the placeholder unquoted; Graph ids are strings, and Linegate sends one
        assertGraphBody(sample("ig-send-private-reply-request.postman.jsonc", "{{comment_id}}", "\"" + comment + "\""));
        LogRow row = row(r);
        assertThat(row.peerId()).isEqualTo(comment);
        assertThat(row.options()).contains("{\"recipient\":\"comment_id\"}");
    }

    @Test
    void answers221ForDestAndCommentIdTogether() {
        Gateway.Response r = gw.postJson(INSTAGRAM, gw.sendJson("\"dest\":\"" + newPeer()
                + "\",\"comment_id\":\"17858893269000001\",\"mdata\":\"hi\""));

        assertRefused(r, 400, 221, "Invalid dest");
    }

    // ---- agent=human --------------------------------------------------------------------------------------------

    @Test
    void aPersonsReplyInsideTheWindowGoesWithoutTheTag() {
        String peer = newPeer();
        long wrote = System.currentTimeMillis() - 2 * HOUR;
        deliverAndAwaitWindow(gw, instagramMessage(AGENT_IG_ACCOUNT_ID, peer, wrote), agentLine, peer, wrote);

        Gateway.Response r = send(agentLine, peer, ",\"agent\":\"human\"");

        assertThat(r.statusCode()).as(r.raw()).isEqualTo(200);
        assertGraphBody("{\"recipient\":{\"id\":\"" + peer + "\"},\"messaging_type\":\"RESPONSE\","
                + "\"message\":{\"text\":\"Your doctor visit is scheduled\"}}");
        assertThat(row(r).tag()).isEmpty();
    }

    @Test
    void aPersonsReplyAfterThreeDaysGoesWithTheHumanAgentTagOnALineThatHasIt() {
        String peer = newPeer();
        long wrote = System.currentTimeMillis() - 3 * DAY;
        deliverAndAwaitWindow(gw, instagramMessage(AGENT_IG_ACCOUNT_ID, peer, wrote), agentLine, peer, wrote);

        Gateway.Response r = send(agentLine, peer, ",\"agent\":\"human\"");

        assertThat(r.statusCode()).as(r.raw()).isEqualTo(200);
        // Meta's HUMAN_AGENT sample, with the messaging type Linegate always sends with a tag (contract §4)
        ObjectNode expected = (ObjectNode) read(sample("ig-send-human-agent-request.postman.json", "{{ig_scoped_id}}", peer));
        expected.put("messaging_type", "MESSAGE_TAG");
        assertGraphBody(expected.toString());
        assertThat(row(r).tag()).contains("HUMAN_AGENT");
    }

    @Test
    void aPersonsReplyAfterThreeDaysAnswers240OnALineWithoutTheTagAndAfterEightDaysEverywhere() {
        String peer = newPeer();
        long wrote = System.currentTimeMillis() - 3 * DAY;
        deliverAndAwaitWindow(gw, instagramMessage(Gateway.IG_ACCOUNT_ID, peer, wrote), gw.lineId, peer, wrote);
        String late = newPeer();
        long longAgo = System.currentTimeMillis() - 8 * DAY;
        deliverAndAwaitWindow(gw, instagramMessage(AGENT_IG_ACCOUNT_ID, late, longAgo), agentLine, late, longAgo);

        Gateway.Response noPermission = send(gw.lineId, peer, ",\"agent\":\"human\"");
        Gateway.Response tooLate = send(agentLine, late, ",\"agent\":\"human\"");

        assertRefused(noPermission, 422, 240, "Outside messaging window");
        assertThat(noPermission.ret().path("detail").asText()).contains("not enabled for the HUMAN_AGENT tag");
        assertRefused(tooLate, 422, 240, "Outside messaging window");
        assertThat(tooLate.ret().path("detail").asText()).contains("more than 7 days");
        gw.meta().verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aMsgIdRepeatedWithTheSameReplyIsADuplicateAndWithAnotherReplyIs292() {
        String peer = newPeer();
        String first = "\"dest\":\"" + peer + "\",\"mdata\":\"Yes\",\"msg_id\":\"crm-reply-" + peer + "\",\"reply_to\":\"";

        Gateway.Response sent = gw.postJson(INSTAGRAM, gw.sendJson(first + IG_MID + "\""));
        Gateway.Response again = gw.postJson(INSTAGRAM, gw.sendJson(first + IG_MID + "\""));
        Gateway.Response other = gw.postJson(INSTAGRAM, gw.sendJson(first + IG_MID + "x\""));

        assertThat(sent.statusCode()).as(sent.raw()).isEqualTo(200);
        assertThat(again.ret().path("duplicate").asBoolean()).as(again.raw()).isTrue();
        assertRefused(other, 422, 292, "msg_id reused with different content");
        assertThat(MetaStubs.graphCalls(gw.meta())).isEqualTo(1);
    }

    // ---- queued sends keep everything ---------------------------------------------------------------------------

    @Test
    void aQueuedTemplateWithAReplyIsSentFromItsRowWithTheSameBody() {
        String peer = newPeer();
        Gateway.Response r = gw.postJson(INSTAGRAM, gw.sendJson("\"dest\":\"" + peer + "\",\"mtype\":\"text\","
                + "\"mdata\":\"Pick one\",\"async\":1,\"reply_to\":\"" + IG_MID + "\",\"quick_replies\":"
                + "[{\"title\":\"Yes\",\"payload\":\"Y\"}]"));

        assertThat(r.statusCode()).as(r.raw()).isEqualTo(207);
        long cdlsId = r.ret().path("cdls_id").asLong();
        MetaDeliveries.await("the queued send to be sent", () -> gw.stores().log().find(cdlsId)
                .filter(row -> row.state() == LogState.SENT));
        assertGraphBody("{\"recipient\":{\"id\":\"" + peer + "\"},\"messaging_type\":\"RESPONSE\",\"message\":{"
                + "\"text\":\"Pick one\",\"quick_replies\":[{\"content_type\":\"text\",\"title\":\"Yes\",\"payload\":\"Y\"}]},"
                + "\"reply_to\":{\"mid\":\"" + IG_MID + "\"}}");
    }

    // ---- SenderAction -------------------------------------------------------------------------------------------

    @Test
    void sendsTypingOnAndMarkSeenAsMetasSamplesWithoutLoggingAMessage() {
        gw.metaAnswers(200, MetaSamples.read("ig-react-unreact-success.doc.json"));
        String peer = newPeer();
        int rowsBefore = gw.rows().size();

        Gateway.Response typing = gw.postJson(SENDER_ACTION, gw.sendJson("\"dest\":\"" + peer + "\",\"action\":\"typing_on\""));
        Gateway.Response seen = gw.post(SENDER_ACTION, "application/x-www-form-urlencoded", form(Map.of("tsid", gw.tsid,
                "app_id", Long.toString(gw.lineId), "dest", peer, "action", "mark_seen")), Map.of());
        Gateway.Response off = gw.post("/api/v2/SenderAction?" + form(Map.of("app_id", Long.toString(messenger.lineId()),
                "dest", peer, "action", "typing_off")), null, "", Map.of("Authorization", "Bearer " + gw.tsid));

        for (Gateway.Response r : new Gateway.Response[] {typing, seen, off}) {
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            assertThat(r.raw()).isEqualTo("{\"return\":{\"status\":\"OK\",\"status_code\":200}}");
        }
        gw.meta().verify(1, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH)).withRequestBody(equalToJson(
                sample("ig-sender-action-typing-on-request.doc.json", "<IGSID>", peer))));
        gw.meta().verify(1, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH)).withRequestBody(equalToJson(
                sample("ig-sender-action-mark-seen-request.doc.json", "<IGSID>", peer))));
        gw.meta().verify(1, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH))
                .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer " + MESSENGER_TOKEN))
                .withRequestBody(equalToJson("{\"recipient\":{\"id\":\"" + peer + "\"},\"sender_action\":\"typing_off\"}")));
        assertThat(gw.rows()).hasSize(rowsBefore);
    }

    @Test
    void senderActionAnswers239ForAnUnknownActionAnd230ForAnotherAccountsLineAnd101WithoutAValidToken() {
        Gateway.Response bad = gw.postJson(SENDER_ACTION, gw.sendJson("\"dest\":\"" + newPeer() + "\",\"action\":\"typing\""));
        Gateway.Response noLine = gw.postJson(SENDER_ACTION, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":987654,\"dest\":\"1\","
                + "\"action\":\"typing_on\"}");
        Gateway.Response badToken = gw.postJson(SENDER_ACTION, "{\"tsid\":\"nobody\",\"app_id\":1,\"dest\":\"1\","
                + "\"action\":\"typing_on\"}");

        assertRefused(bad, 400, 239, "Invalid action");
        assertThat(bad.ret().path("detail").asText()).contains("typing_on, typing_off, mark_seen");
        assertRefused(noLine, 404, 230, "Line not found");
        assertRefused(badToken, 401, 101, "Invalid tsid");
        gw.meta().verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void senderActionAnswersMetasRefusalInTheSendEnvelope() {
        gw.metaAnswers(400, MetaSamples.error(190, 463, "OAuthException", "Error validating access token: Session has"
                + " expired", "AbCdEf123"));

        Gateway.Response r = gw.postJson(SENDER_ACTION, gw.sendJson("\"dest\":\"" + newPeer() + "\",\"action\":\"typing_on\""));

        assertRefused(r, 422, 250, "Page access token rejected");
        assertThat(r.ret().path("meta_error").path("code").asInt()).isEqualTo(190);
        assertThat(r.ret().has("cdls_id")).isFalse();
    }

    // ---- every parameter from every source ----------------------------------------------------------------------

    /** The sources besides a JSON body that a parameter is read from (contract §11). */
    enum Source { FORM, MULTIPART, QUERY }

    /**
     * Each new parameter sent from {@code source} gives the Graph body its JSON send gives in the tests above (the
     * same samples and values); quick_replies is the JSON string. agent=human is sent three days after the customer
     * wrote, where it changes the body (the HUMAN_AGENT tag); inside 24 hours the body would be the same without it.
     */
    @ParameterizedTest
    @EnumSource(Source.class)
    void readsEachNewParameterFromAFormBodyAMultipartBodyAndTheQueryStringAsFromJson(Source source) {
        String line = Long.toString(gw.lineId);
        String quickPeer = newPeer();
        String replies = "[{\"title\":\"Tomorrow 10:00\",\"payload\":\"SLOT_1\"},{\"title\":\"Friday 15:30\","
                + "\"payload\":\"SLOT_2\"}]";
        Gateway.Response quick = post(source, INSTAGRAM, Map.of("tsid", gw.tsid, "app_id", line, "dest", quickPeer,
                "mdata", "Which time suits you?", "quick_replies", replies));

        String replyPeer = newPeer();
        Gateway.Response reply = post(source, INSTAGRAM, Map.of("tsid", gw.tsid, "app_id", line, "dest", replyPeer,
                "mdata", "TEXT", "reply_to", IG_MID));

        // a comment Linegate was told of 6 days ago (what the comment webhook stores): inside its 7 days
        String comment = "1785889" + newPeer().substring(7);
        long commented = System.currentTimeMillis() - 6 * DAY;
        assertThat(gw.stores().comments().record(new ReceivedComment(gw.accountId, gw.lineId, LineClass.INSTAGRAM,
                comment, newPeer(), commented, "{}"), commented)).isTrue();
        Gateway.Response privateReply = post(source, INSTAGRAM, Map.of("tsid", gw.tsid, "app_id", line,
                "comment_id", comment, "mdata", "It is cool"));

        String agentPeer = newPeer();
        long wrote = System.currentTimeMillis() - 3 * DAY;
        deliverAndAwaitWindow(gw, instagramMessage(AGENT_IG_ACCOUNT_ID, agentPeer, wrote), agentLine, agentPeer, wrote);
        Gateway.Response human = post(source, INSTAGRAM, Map.of("tsid", gw.tsid, "app_id", Long.toString(agentLine),
                "dest", agentPeer, "mdata", "Your doctor visit is scheduled", "agent", "human"));

        gw.metaAnswers(200, MetaSamples.read("ig-react-unreact-success.doc.json"));
        String reactPeer = newPeer();
        Gateway.Response react = post(source, INSTAGRAM, Map.of("tsid", gw.tsid, "app_id", line, "dest", reactPeer,
                "mtype", "reaction", "mdata", "love", "reply_to", IG_MID));
        String actionPeer = newPeer();
        Gateway.Response action = post(source, SENDER_ACTION, Map.of("tsid", gw.tsid, "app_id", line,
                "dest", actionPeer, "action", "typing_on"));

        for (Gateway.Response r : new Gateway.Response[] {quick, reply, privateReply, human, react}) {
            assertThat(r.statusCode()).as(r.raw()).isEqualTo(200);
        }
        assertThat(react.ret().has("messageId")).as(react.raw()).isFalse();
        assertThat(action.raw()).isEqualTo("{\"return\":{\"status\":\"OK\",\"status_code\":200}}");
        assertGraphBody(sample("ig-send-quick-replies-request.postman.json", "{{ig_scoped_id}}", quickPeer,
                "<SOME_TEXT>", "Which time suits you?", "<TITLE_1>", "Tomorrow 10:00", "<POSTBACK_PAYLOAD_1>", "SLOT_1",
                "<TITLE_2>", "Friday 15:30", "<POSTBACK_PAYLOAD_2>", "SLOT_2"));
        assertGraphBody(sample("ig-send-reply-to-request.doc.json", "<IGSID>", replyPeer, "<MESSAGE_ID>", IG_MID));
        assertGraphBody(sample("ig-send-private-reply-request.postman.jsonc", "{{comment_id}}", "\"" + comment + "\""));
        ObjectNode tagged = (ObjectNode) read(sample("ig-send-human-agent-request.postman.json", "{{ig_scoped_id}}",
                agentPeer));
        tagged.put("messaging_type", "MESSAGE_TAG");
        assertGraphBody(tagged.toString());
        assertGraphBody(sample("ig-send-reaction-request.postman.json", "{{instagram_scoped_id}}", reactPeer,
                "MESSAGE_ID", IG_MID));
        assertGraphBody(sample("ig-sender-action-typing-on-request.doc.json", "<IGSID>", actionPeer));
        assertThat(MetaStubs.graphCalls(gw.meta())).isEqualTo(6);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private Gateway.Response send(long line, String peer, String extra) {
        return gw.postJson(INSTAGRAM, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + line + ",\"dest\":\"" + peer
                + "\",\"mdata\":\"Your doctor visit is scheduled\"" + extra + "}");
    }

    private static String images(String peer, int n) {
        String urls = java.util.stream.IntStream.rangeClosed(1, n)
                .mapToObj(i -> "\"https://cdn.example.com/photo-" + i + ".jpg\"").collect(Collectors.joining(","));
        return "\"dest\":\"" + peer + "\",\"mtype\":\"image\",\"mdata\":[" + urls + "]";
    }

    /** Meta's sample with its placeholders filled (pairs: placeholder, value); a message gets messaging_type. */
    private static String sample(String name, String... pairs) {
        String s = MetaSamples.read(name);
        for (int i = 0; i < pairs.length; i += 2) {
            assertThat(s).as("placeholder %s in %s", pairs[i], name).contains(pairs[i]);
            s = s.replace(pairs[i], pairs[i + 1]);
        }
        JsonNode node = read(s);
        if (node.has("message") && !node.has("messaging_type")) {
            ((ObjectNode) node).put("messaging_type", node.has("tag") ? "MESSAGE_TAG" : "RESPONSE");
        }
        return node.toString();
    }

    private void assertGraphBody(String expected) {
        gw.meta().verify(1, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH)).withRequestBody(equalToJson(expected)));
    }

    private LogRow row(Gateway.Response r) {
        return gw.stores().log().find(r.ret().path("cdls_id").asLong()).orElseThrow();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    /** The fields posted from {@code source}: a form body, a multipart body, or the query string of a bare POST. */
    private Gateway.Response post(Source source, String path, Map<String, String> fields) {
        return switch (source) {
            case FORM -> gw.post(path, "application/x-www-form-urlencoded", form(fields), Map.of());
            case MULTIPART -> multipart(path, fields);
            case QUERY -> gw.post(path + "?" + form(fields), null, "", Map.of());
        };
    }

    private Gateway.Response multipart(String path, Map<String, String> fields) {
        String boundary = "------------------------d74496d66958873e";
        StringBuilder body = new StringBuilder();
        fields.forEach((name, value) -> body.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(name).append("\"\r\n\r\n")
                .append(value).append("\r\n"));
        body.append("--").append(boundary).append("--\r\n");
        return gw.post(path, "multipart/form-data; boundary=" + boundary, body.toString(), Map.of());
    }
}
