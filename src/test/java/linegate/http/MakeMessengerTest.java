package linegate.http;

import com.fasterxml.jackson.databind.JsonNode;
import linegate.store.LineChanges;
import linegate.store.LineClass;
import linegate.store.LogRow;
import linegate.store.LogState;
import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.MetaStubs;
import linegate.testing.Tenant;
import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MakeMessenger end to end (docs/api.md 1 to 4): the same call as MakeInstagram on a line of class messenger, with
 * Messenger's mtypes, its limit of 2000 characters, its own 230 text, and Meta's Messenger errors. Both databases.
 */
@ParameterizedClass
@EnumSource(TestDb.class)
class MakeMessengerTest {
    static final String MESSENGER_TOKEN = "EAAGm0PX4ZCpsBAmessengerPageToken9876543210fedcbaZDZD";
    static final String PSID = "5275811702471834";
    static final String MAKE_MESSENGER = "/api/v2/MakeMessenger.php";
    static final String MAKE_INSTAGRAM = "/api/v2/MakeInstagram.php";
    /** Meta's Messenger success sample: {@code "message_id": "AG5Hz2U..."}. */
    static final String MESSENGER_MESSAGE_ID = "AG5Hz2U...";

    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    Gateway gw;
    Tenant messenger;

    @BeforeEach
    void start() {
        gw = Gateway.start(db, tmp);
        messenger = Tenant.newLine(gw, LineClass.MESSENGER, MESSENGER_TOKEN);
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    private Gateway.Response sendMessenger(String members) {
        return gw.postJson(MAKE_MESSENGER, messenger.sendJson(members));
    }

    private static String text(String mdata) {
        return "\"dest\":\"" + PSID + "\",\"mdata\":\"" + mdata + "\"";
    }

    @Test
    void sendsEveryMtypeWithTheExactGraphBodyAndTheMessengerLinesToken() {
        gw.metaAnswers(200, MetaSamples.read("messenger-send-success.doc.json"));
        record Case(String mtype, String mdata, String graphMessage) {
        }
        List<Case> cases = List.of(
                new Case("text", "Your table for 4 is booked for 19:30.", "{\"text\":\"Your table for 4 is booked for 19:30.\"}"),
                new Case("image", "https://cdn.example.com/menu.png",
                        "{\"attachment\":{\"type\":\"image\",\"payload\":{\"url\":\"https://cdn.example.com/menu.png\"}}}"),
                new Case("audio", "https://cdn.example.com/voice-note.mp4",
                        "{\"attachment\":{\"type\":\"audio\",\"payload\":{\"url\":\"https://cdn.example.com/voice-note.mp4\"}}}"),
                new Case("video", "https://cdn.example.com/tour.mp4",
                        "{\"attachment\":{\"type\":\"video\",\"payload\":{\"url\":\"https://cdn.example.com/tour.mp4\"}}}"),
                new Case("file", "https://cdn.example.com/invoice-42.pdf",
                        "{\"attachment\":{\"type\":\"file\",\"payload\":{\"url\":\"https://cdn.example.com/invoice-42.pdf\"}}}"));

        for (Case c : cases) {
            Gateway.Response r = sendMessenger("\"dest\":\"" + PSID + "\",\"mtype\":\"" + c.mtype() + "\",\"mdata\":\""
                    + c.mdata() + "\"");

            assertThat(r.status()).as(c.mtype()).isEqualTo(200);
            assertThat(r.statusCode()).as(c.mtype()).isEqualTo(200);
            assertThat(r.ret().path("messageId").asText()).as(c.mtype()).isEqualTo(MESSENGER_MESSAGE_ID);
            assertThat(r.ret().has("duplicate")).as(c.mtype()).isFalse();
            gw.meta().verify(1, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH))
                    .withHeader("Authorization", equalTo("Bearer " + MESSENGER_TOKEN))
                    .withHeader("Content-Type", equalTo("application/json"))
                    .withRequestBody(equalToJson("{\"recipient\":{\"id\":\"" + PSID + "\"},\"messaging_type\":\"RESPONSE\","
                            + "\"message\":" + c.graphMessage() + "}")));
            LogRow row = gw.stores().log().find(r.ret().path("cdls_id").asLong()).orElseThrow();
            assertThat(row.channel()).as(c.mtype()).isEqualTo(LineClass.MESSENGER);
            assertThat(row.lineId()).isEqualTo(messenger.lineId());
            assertThat(row.mtype()).isEqualTo(c.mtype());
            assertThat(row.state()).isEqualTo(LogState.SENT);
            assertThat(row.metaMessageId()).contains(MESSENGER_MESSAGE_ID);
        }
        assertThat(MetaStubs.graphCalls(gw.meta())).isEqualTo(cases.size());
        gw.meta().verify(0, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH))
                .withHeader("Authorization", equalTo("Bearer " + Gateway.PAGE_TOKEN)));
    }

    @Test
    void aReactionIsAnInstagramMtypeOnlyMessengerAnswers226() {
        // file is on both channels since Instagram took PDFs (Dec 2025); reactions are documented for Instagram only
        Gateway.Response r = sendMessenger("\"dest\":\"" + PSID + "\",\"mtype\":\"reaction\",\"mdata\":\"love\","
                + "\"reply_to\":\"m_qr6GPBlzTU4jqP0PBqaIoIAcfn2p3T7uiO5jm0L_PMTKMJhEIUGFkEKQBhGkpCnPXVZNsYdkN7A2Sel0dOz_Iw\"");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.statusCode()).isEqualTo(226);
        assertThat(r.ret().path("status").asText()).isEqualTo("Invalid mtype");
        assertThat(MetaStubs.graphCalls(gw.meta())).isZero();
    }

    @Test
    void acceptsTwoThousandCharactersAndAnswers228ForOneMore() {
        gw.metaAnswers(200, MetaSamples.read("messenger-send-success.doc.json"));

        Gateway.Response limit = sendMessenger(text("a".repeat(2000)));
        Gateway.Response over = sendMessenger(text("a".repeat(2001)));
        // the same 1001 bytes that Instagram refuses are well within Messenger's limit
        Gateway.Response overInstagramsLimit = sendMessenger(text("b".repeat(1001)));
        Gateway.Response onInstagram = gw.postJson(MAKE_INSTAGRAM, gw.sendJson(
                "\"dest\":\"1254477777772919\",\"mdata\":\"" + "b".repeat(1001) + "\""));

        assertThat(limit.statusCode()).isEqualTo(200);
        assertThat(over.status()).isEqualTo(400);
        assertThat(over.statusCode()).isEqualTo(228);
        assertThat(over.ret().path("status").asText()).isEqualTo("Message too long");
        assertThat(over.ret().has("cdls_id")).isFalse();
        assertThat(overInstagramsLimit.statusCode()).isEqualTo(200);
        assertThat(onInstagram.statusCode()).isEqualTo(228);
        assertThat(MetaStubs.graphCalls(gw.meta())).isEqualTo(2);
        gw.meta().verify(1, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH))
                .withRequestBody(matchingJsonPath("$.message.text", equalTo("a".repeat(2000)))));
    }

    @Test
    void countsACharacterOutsideTheBmpAsOneCharacter() {
        gw.metaAnswers(200, MetaSamples.read("messenger-send-success.doc.json"));
        String emoji = "\uD83D\uDE00"; // U+1F600: one character, two UTF-16 units, four UTF-8 bytes
        String twoThousandEmoji = emoji.repeat(2000);
        assertThat(twoThousandEmoji.length()).isEqualTo(4000);
        String mixed = "a".repeat(1999) + emoji;

        Gateway.Response atLimit = sendMessenger(text(twoThousandEmoji));
        Gateway.Response mixedAtLimit = sendMessenger(text(mixed));
        Gateway.Response over = sendMessenger(text(emoji.repeat(2001)));

        assertThat(atLimit.status()).isEqualTo(200);
        assertThat(atLimit.statusCode()).isEqualTo(200);
        assertThat(mixedAtLimit.statusCode()).isEqualTo(200);
        assertThat(over.statusCode()).isEqualTo(228);
        assertThat(MetaStubs.graphCalls(gw.meta())).isEqualTo(2);
        gw.meta().verify(1, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH))
                .withRequestBody(equalToJson("{\"recipient\":{\"id\":\"" + PSID + "\"},\"messaging_type\":\"RESPONSE\","
                        + "\"message\":{\"text\":\"" + twoThousandEmoji + "\"}}")));
        assertThat(gw.stores().log().find(atLimit.ret().path("cdls_id").asLong()).orElseThrow().mdata())
                .isEqualTo(twoThousandEmoji);
    }

    @Test
    void anInstagramLineOnMakeMessengerAnswers230MessengerLineNotFound() {
        gw.metaAnswers(200, MetaSamples.read("messenger-send-success.doc.json"));

        Gateway.Response r = gw.postJson(MAKE_MESSENGER, gw.sendJson(text("hello")));

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.statusCode()).isEqualTo(230);
        assertThat(r.ret().path("status").asText()).isEqualTo("Messenger line not found");
        assertThat(r.ret().has("cdls_id")).isFalse();
        assertThat(MetaStubs.graphCalls(gw.meta())).isZero();
        assertThat(gw.stores().log().list(Optional.of(gw.accountId), 10)).isEmpty();
    }

    @Test
    void aMessengerLineOnMakeInstagramAnswers230InstagramLineNotFound() {
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));

        Gateway.Response r = gw.postJson(MAKE_INSTAGRAM, messenger.sendJson(text("hello")));

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.statusCode()).isEqualTo(230);
        assertThat(r.ret().path("status").asText()).isEqualTo("Instagram line not found");
        assertThat(MetaStubs.graphCalls(gw.meta())).isZero();
        assertThat(gw.stores().log().list(Optional.of(gw.accountId), 10)).isEmpty();
    }

    @Test
    void anotherAccountsOrAnInactiveMessengerLineAnswers230() {
        Tenant other = Tenant.newAccount(gw, "Other Clinic", LineClass.MESSENGER, "EAAGotherAccountsPageToken");
        gw.stores().lines().update(messenger.lineId(), new LineChanges(Optional.empty(), Optional.of(false), Optional.empty()));

        Gateway.Response foreign = gw.postJson(MAKE_MESSENGER,
                "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + other.lineId() + "," + text("hello") + "}");
        Gateway.Response inactive = sendMessenger(text("hello"));

        for (Gateway.Response r : List.of(foreign, inactive)) {
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.statusCode()).isEqualTo(230);
            assertThat(r.ret().path("status").asText()).isEqualTo("Messenger line not found");
        }
        assertThat(MetaStubs.graphCalls(gw.meta())).isZero();
    }

    @Test
    void answersTheSameWithoutPhpInThePath() {
        gw.metaAnswers(200, MetaSamples.read("messenger-send-success.doc.json"));

        Gateway.Response r = gw.postJson("/api/v2/MakeMessenger", messenger.sendJson(text("hello")));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.ret().path("messageId").asText()).isEqualTo(MESSENGER_MESSAGE_ID);
        gw.meta().verify(1, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH))
                .withHeader("Authorization", equalTo("Bearer " + MESSENGER_TOKEN)));
    }

    @Test
    void anInvalidPageTokenAnswers250WithMetasError() {
        gw.metaAnswers(400, MetaSamples.read("error-envelope-messenger-common.doc.json"));

        Gateway.Response r = sendMessenger(text("hello"));

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.statusCode()).isEqualTo(250);
        assertThat(r.ret().path("status").asText()).isEqualTo("Page access token rejected");
        JsonNode meta = r.ret().path("meta_error");
        assertThat(meta.path("code").asInt()).isEqualTo(190);
        assertThat(meta.path("subcode").asInt()).isEqualTo(1234567);
        assertThat(meta.path("type").asText()).isEqualTo("OAuthException");
        assertThat(meta.path("message").asText()).isEqualTo("Invalid OAuth access token.");
        assertThat(meta.path("fbtrace_id").asText()).isEqualTo("BLBz/WZt8dN");
        LogRow row = gw.stores().log().find(r.ret().path("cdls_id").asLong()).orElseThrow();
        assertThat(row.state()).isEqualTo(LogState.FAILED);
        assertThat(row.channel()).isEqualTo(LineClass.MESSENGER);
        assertThat(row.error().orElseThrow().statusCode()).isEqualTo(250);
        assertThat(r.raw()).doesNotContain(MESSENGER_TOKEN);
    }

    @Test
    void messengersClosedWindowAnswers240() {
        gw.metaAnswers(400, MetaSamples.error(10, 2018278, "OAuthException",
                "This message is sent outside of allowed window. Learn more about the new policy here", "AbC12dEfGh3"));

        Gateway.Response r = sendMessenger(text("hello"));

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.statusCode()).isEqualTo(240);
        assertThat(r.ret().path("status").asText()).isEqualTo("Outside messaging window");
        assertThat(r.ret().path("meta_error").path("subcode").asInt()).isEqualTo(2018278);
        assertThat(r.ret().path("cdls_id").asLong()).isPositive();
    }

    @Test
    void aBlockedOrUnavailableRecipientAnswers241ForAnySubcodeOf551() {
        gw.metaAnswers(400, MetaSamples.error(551, null, "OAuthException",
                "User Block Error: This person isn't receiving messages from you right now.", "AqZ1xY2wV3u"));
        Gateway.Response blocked = sendMessenger(text("hello"));
        MetaStubs.answers(gw.meta(), MetaStubs.answer(400, MetaSamples.error(551, 1545041, "OAuthException",
                "This person isn't available right now.", "BqZ1xY2wV3u")));
        Gateway.Response unavailable = sendMessenger(text("hello again"));

        for (Gateway.Response r : List.of(blocked, unavailable)) {
            assertThat(r.status()).isEqualTo(422);
            assertThat(r.statusCode()).isEqualTo(241);
            assertThat(r.ret().path("status").asText()).isEqualTo("Recipient unavailable");
            assertThat(r.ret().path("meta_error").path("code").asInt()).isEqualTo(551);
        }
        assertThat(unavailable.ret().path("meta_error").path("subcode").asInt()).isEqualTo(1545041);
    }

    @Test
    void aMetaRateLimitAnswers260WithRetryAfterAndWithAUsageHeaderPausesTheLine() {
        MetaStubs.answers(gw.meta(), MetaStubs.answer(400, MetaSamples.error(613, 2534040, "OAuthException",
                "Calls to this api have exceeded the rate limit.", "CqZ1xY2wV3u")));
        Gateway.Response withoutHeader = sendMessenger(text("hello"));
        // Meta's BUC header: estimated_time_to_regain_access is in minutes
        MetaStubs.answers(gw.meta(), MetaStubs.answer(400, MetaSamples.read("error-rate-limit-80001-buc-page.doc.json"))
                .withHeader("X-Business-Use-Case-Usage", "{\"" + Tenant.PAGE_ID + "\":[{\"type\":\"messenger\","
                        + "\"call_count\":100,\"total_cputime\":12,\"total_time\":14,\"estimated_time_to_regain_access\":7}]}"));
        Gateway.Response withHeader = sendMessenger(text("hello again"));
        int metaCalls = gw.meta().getAllServeEvents().size();
        Gateway.Response paused = sendMessenger(text("and again"));

        assertThat(withoutHeader.statusCode()).as("no header: Meta's code, nothing paused").isEqualTo(260);
        assertThat(withoutHeader.ret().path("retry_after").asLong()).isEqualTo(60);
        assertThat(withHeader.status()).isEqualTo(429);
        assertThat(withHeader.statusCode()).isEqualTo(260);
        assertThat(withHeader.ret().path("status").asText()).isEqualTo("Rate limited");
        assertThat(withHeader.ret().path("retry_after").asLong()).isEqualTo(420);
        assertThat(withHeader.headers().firstValue("Retry-After")).contains("420");
        assertThat(withHeader.ret().path("meta_error").path("code").asInt()).isEqualTo(80001);
        assertThat(paused.statusCode()).as(paused.raw()).isEqualTo(260);
        assertThat(paused.ret().path("retry_after").asLong()).isBetween(410L, 420L);
        assertThat(paused.ret().has("meta_error")).as("Meta was not called").isFalse();
        assertThat(gw.meta().getAllServeEvents()).hasSize(metaCalls);
    }

    @Test
    void countsItsAnswersInTheMetricsWithChannelMessenger() {
        gw.metaAnswers(200, MetaSamples.read("messenger-send-success.doc.json"));
        sendMessenger(text("one"));
        gw.postJson("/api/v2/MakeMessenger", messenger.sendJson(text("two")));
        sendMessenger(text("x".repeat(2001)));
        gw.postJson(MAKE_MESSENGER, gw.sendJson(text("on the Instagram line")));

        String metrics = gw.get("/metrics").raw();

        assertThat(sendsTotal(metrics, "messenger", 200)).isEqualTo(2.0);
        assertThat(sendsTotal(metrics, "messenger", 228)).isEqualTo(1.0);
        assertThat(sendsTotal(metrics, "messenger", 230)).isEqualTo(1.0);
        assertThat(sendsTotal(metrics, "instagram", 200)).isZero();
    }

    /** The value of {@code linegate_sends_total} for this channel and status_code, 0 when absent. */
    static double sendsTotal(String metrics, String channel, int statusCode) {
        String series = "linegate_sends_total{channel=\"" + channel + "\",status_code=\"" + statusCode + "\"} ";
        return metrics.lines().filter(l -> l.startsWith(series))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length()).strip().split(" ")[0]))
                .findFirst().orElse(0.0);
    }
}
