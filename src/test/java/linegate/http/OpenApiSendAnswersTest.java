package linegate.http;

import linegate.store.LineClass;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.MetaSamples;
import linegate.testing.MetaStubs;
import linegate.testing.OpenApiContract;
import linegate.testing.Processes;
import linegate.testing.RawHttp;
import linegate.testing.Tenant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real answers of the send endpoints, from each parameter source, checked against the OpenAPI document the gateway
 * serves (its schema for the path, method and HTTP status): successes, queued sends, every parameter refusal, the
 * line's and Meta's refusals (WireMock answering with Meta's error envelope), the media check, and the protocol's
 * own refusals. Each case also requires the status_code it aims at, so a case that stops reaching it fails too.
 */
class OpenApiSendAnswersTest extends GatewayPerDatabase {
    static final String SEND = "/api/v2/MakeInstagram.php";
    static final String IGSID = "1254477777772919";
    static final String SUCCESS = MetaSamples.read("ig-send-success.doc.json");

    OpenApiContract contract;
    Tenant messenger;

    @Override
    protected Map<String, String> gatewayEnv() {
        // the media check on, and allowed to ask WireMock on loopback, so 244 and 245 come from real answers
        return Map.of("LINEGATE_MEDIA_CHECK", "true", "LINEGATE_MEDIA_ALLOW_PRIVATE", "true");
    }

    @BeforeParameterizedClassInvocation(injectArguments = false)
    void readTheDocument() {
        contract = OpenApiContract.servedBy(gw);
        messenger = Tenant.newLine(gw, LineClass.MESSENGER, "EAAPageTokenOfTheMessengerLine0123456789");
    }

    private String text(String mdata) {
        return gw.sendJson("\"dest\":\"" + IGSID + "\",\"mdata\":\"" + mdata + "\"");
    }

    @Test
    void aSendFromEachParameterSourceAnswersAsDocumented() {
        gw.metaAnswers(200, SUCCESS);
        Map<String, String> fields = new java.util.LinkedHashMap<>(Map.of("tsid", gw.tsid,
                "app_id", Long.toString(gw.lineId), "dest", IGSID, "mdata", "Hello from a form"));
        String form = fields.entrySet().stream().map(f -> f.getKey() + "=" + enc(f.getValue()))
                .collect(java.util.stream.Collectors.joining("&"));
        Map<String, String> curl = Map.of("tsid", gw.tsid, "app_id", Long.toString(gw.lineId), "dest", IGSID,
                "mdata", "Hello from PHP's curl", "quick_replies", "[{\"title\":\"Yes\",\"payload\":\"Y\"}]");
        String json = gw.sendJson("\"dest\":" + IGSID + ",\"mdata\":\"Hello from JSON\",\"async\":false,"
                + "\"quick_replies\":[{\"title\":\"Yes\",\"payload\":\"Y\"}]");
        String bearer = "{\"app_id\":\"" + gw.lineId + "\",\"dest\":\"" + IGSID
                + "\",\"mdata\":\"Token in the header\"}";

        contract.checkJsonRequest("POST", SEND, json);
        contract.check(200, "POST", SEND, gw.postJson(SEND, json));
        contract.checkFormRequest("POST", SEND, "application/x-www-form-urlencoded", fields);
        contract.check(200, "POST", SEND, gw.post(SEND, "application/x-www-form-urlencoded", form, Map.of()));
        contract.checkFormRequest("POST", SEND, "multipart/form-data", curl);
        contract.check(200, "POST", SEND, multipart(SEND, curl));
        contract.checkRequest("POST", SEND + "?" + form, null, null);
        contract.check(200, "POST", SEND + "?" + form, gw.post(SEND + "?" + form, null, "", Map.of()));
        contract.checkJsonRequest("POST", SEND, bearer);
        contract.check(200, "POST", SEND, gw.post(SEND, "application/json", bearer,
                Map.of("Authorization", "Bearer " + gw.tsid)));
        contract.check(200, "POST", "/api/v2/MakeInstagram",
                gw.postJson("/api/v2/MakeInstagram", text("Without .php")));
        contract.check(200, "POST", "/api/v2/MakeMessenger.php", gw.postJson("/api/v2/MakeMessenger.php",
                messenger.sendJson("\"dest\":\"" + IGSID + "\",\"mdata\":\"On Messenger\"")));
        contract.check(200, "POST", "/api/v2/MakeMessenger", gw.postJson("/api/v2/MakeMessenger",
                messenger.sendJson("\"dest\":\"" + IGSID + "\",\"mdata\":\"On Messenger, without .php\"")));
    }

    @Test
    void repeatsAndQueuedSendsAnswerAsDocumented() {
        gw.metaAnswers(200, SUCCESS);
        String once = gw.sendJson("\"dest\":\"" + IGSID + "\",\"mdata\":\"Once\",\"msg_id\":\"oa-once-" + db + "\"");
        contract.check(200, "POST", SEND, gw.postJson(SEND, once));

        Gateway.Response duplicate = contract.check(200, "POST", SEND, gw.postJson(SEND, once));
        Gateway.Response reused = contract.check(292, "POST", SEND, gw.postJson(SEND, once.replace("Once", "Twice")));
        Gateway.Response queued = contract.check(207, "POST", SEND, gw.postJson(SEND,
                gw.sendJson("\"dest\":\"" + IGSID + "\",\"mdata\":\"Later\",\"async\":1")));
        gw.metaAnswers(200, MetaSamples.read("ig-react-unreact-success.doc.json"));
        Gateway.Response reaction = contract.check(200, "POST", SEND, gw.postJson(SEND, gw.sendJson("\"dest\":\""
                + IGSID + "\",\"mtype\":\"reaction\",\"mdata\":\"love\",\"reply_to\":\"aWdfZAG1faXRlbToxOklHTWVz\"")));

        assertThat(duplicate.ret().path("duplicate").asBoolean()).isTrue();
        assertThat(reused.status()).isEqualTo(422);
        assertThat(queued.status()).isEqualTo(202);
        assertThat(reaction.ret().has("messageId")).as("a reaction's answer: Meta gives no message id").isFalse();
    }

    @Test
    void aRepeatWhileTheFirstWaitsForMetaAnswers291AsDocumented() {
        MetaStubs.answersAfter(gw.meta(), Duration.ofMillis(600), 200, SUCCESS);
        gw.meta().resetRequests();
        String body = gw.sendJson("\"dest\":\"" + IGSID + "\",\"mdata\":\"Slow\",\"msg_id\":\"oa-slow-" + db + "\"");
        CompletableFuture<Gateway.Response> first = CompletableFuture.supplyAsync(() -> gw.postJson(SEND, body));
        MetaStubs.awaitGraphCalls(gw.meta(), 1);

        contract.check(291, "POST", SEND, gw.postJson(SEND, body));
        contract.check(200, "POST", SEND, first.join());
    }

    /** A JSON send body with the gateway's token ($TSID), its line ($LINE), dest 1, and these members. */
    private static String onTheLine(String members) {
        return "{\"tsid\":\"$TSID\",\"app_id\":$LINE,\"dest\":\"1\"," + members + "}";
    }

    static Stream<Arguments> parameterRefusals() {
        String mid = "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOj";
        return Stream.of(
                Arguments.of(201, "{\"tsid\":"),
                Arguments.of(100, "{\"app_id\":1,\"dest\":\"1\",\"mdata\":\"hi\"}"),
                Arguments.of(101, "{\"tsid\":\"lgt_nobodyHoldsThis\",\"app_id\":1,\"dest\":\"1\",\"mdata\":\"hi\"}"),
                Arguments.of(210, "{\"tsid\":\"$TSID\",\"dest\":\"1\",\"mdata\":\"hi\"}"),
                Arguments.of(211, "{\"tsid\":\"$TSID\",\"app_id\":\"line-1\",\"dest\":\"1\",\"mdata\":\"hi\"}"),
                Arguments.of(220, "{\"tsid\":\"$TSID\",\"app_id\":$LINE,\"mdata\":\"hi\"}"),
                Arguments.of(221, "{\"tsid\":\"$TSID\",\"app_id\":$LINE,\"dest\":\"@someone\",\"mdata\":\"hi\"}"),
                Arguments.of(225, onTheLine("\"mtype\":\"text\"")),
                Arguments.of(226, onTheLine("\"mtype\":\"sticker\",\"mdata\":\"hi\"")),
                Arguments.of(227, onTheLine("\"mtype\":\"image\",\"mdata\":\"menu.jpg\"")),
                Arguments.of(228, onTheLine("\"mdata\":\"" + "a".repeat(1001) + "\"")),
                Arguments.of(229, onTheLine("\"mdata\":\"hi\",\"msg_id\":\"" + "m".repeat(129) + "\"")),
                Arguments.of(231, onTheLine("\"mdata\":\"hi\",\"tag\":\"ACCOUNT_UPDATE\"")),
                Arguments.of(232, onTheLine("\"mdata\":\"hi\",\"quick_replies\":[]")),
                Arguments.of(237, onTheLine("\"mtype\":\"template\",\"mdata\":[]")),
                Arguments.of(238, onTheLine("\"mdata\":\"hi\",\"reply_to\":\"not a mid\"")),
                Arguments.of(239, onTheLine("\"mtype\":\"reaction\",\"mdata\":\"like\",\"reply_to\":\"" + mid + "\"")),
                Arguments.of(296, onTheLine("\"mdata\":\"hi\",\"async\":\"soon\"")),
                Arguments.of(230, "{\"tsid\":\"$TSID\",\"app_id\":987654321,\"dest\":\"1\",\"mdata\":\"hi\"}"),
                Arguments.of(234, onTheLine("\"mdata\":\"hi\",\"tag\":\"HUMAN_AGENT\"")));
    }

    @ParameterizedTest(name = "status_code {0}")
    @MethodSource("parameterRefusals")
    void aRefusedSendAnswersAsDocumented(int statusCode, String body) {
        gw.metaAnswers(200, SUCCESS);
        String json = body.replace("$TSID", gw.tsid).replace("$LINE", Long.toString(gw.lineId));

        contract.check(statusCode, "POST", SEND, gw.postJson(SEND, json));
    }

    @Test
    void aLineWithoutAPageTokenAnswers233AsDocumented() {
        long line = gw.newInstagramLine(true, false, Optional.empty());

        contract.check(233, "POST", SEND, gw.postJson(SEND, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + line
                + ",\"dest\":\"" + IGSID + "\",\"mdata\":\"hi\"}"));
    }

    static Stream<Arguments> metaRefusals() {
        return Stream.of(
                Arguments.of(240, 10, 2534022, "OAuthException", "(#10) Sent outside of allowed window"),
                Arguments.of(241, 551, 1545041, "OAuthException", "This person isn't available right now."),
                Arguments.of(242, 100, 2018001, "OAuthException", "(#100) No matching user found"),
                Arguments.of(243, 100, 2018008, "OAuthException", "(#100) Failed to fetch the file from the url"),
                Arguments.of(250, 190, 460, "OAuthException", "Error validating access token"),
                Arguments.of(255, 3, null, "OAuthException", "(#3) Application does not have the capability"),
                Arguments.of(260, 613, null, "OAuthException", "(#613) Calls to this api have exceeded the rate limit"),
                Arguments.of(270, 1, null, "OAuthException", "An unknown error occurred"),
                Arguments.of(280, 1, 1357046, "OAuthException", "Received invalid JSON reply."));
    }

    @ParameterizedTest(name = "status_code {0} for Meta''s {1}/{2}")
    @MethodSource("metaRefusals")
    void aSendMetaRefusesAnswersAsDocumented(int statusCode, int code, Integer subcode, String type, String message) {
        gw.metaAnswers(400, MetaSamples.error(code, subcode, type, message, "AmFGcW_3hwDB7qFbl_QdebZ"));

        contract.check(statusCode, "POST", SEND, gw.postJson(SEND, text("Refused by Meta")));
    }

    @Test
    void theMediaCheckAnswers244And245AsDocumented() throws java.io.IOException {
        gw.metaAnswers(200, SUCCESS);
        gw.meta().stubFor(any(urlPathEqualTo("/media/menu.jpg")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html").withHeader("Content-Length", "5").withBody("<html")));
        String closed = "http://127.0.0.1:" + Processes.freePort() + "/menu.jpg";

        contract.check(244, "POST", SEND, gw.postJson(SEND, gw.sendJson("\"dest\":\"" + IGSID
                + "\",\"mtype\":\"image\",\"mdata\":\"" + closed + "\"")));
        contract.check(245, "POST", SEND, gw.postJson(SEND, gw.sendJson("\"dest\":\"" + IGSID
                + "\",\"mtype\":\"image\",\"mdata\":\"" + gw.meta().baseUrl() + "/media/menu.jpg\"")));
    }

    @Test
    void theProtocolsOwnRefusalsAnswerAsDocumented() {
        contract.check(202, "POST", SEND, gw.postJson(SEND, text("x".repeat(70 * 1024))));
        contract.check(205, "POST", SEND, gw.post(SEND + "?pad=" + "p".repeat(9 * 1024), "application/json", text("hi"),
                Map.of()));
        // over raw bytes: the server closes the connection after this answer, which java.net.http may not wait for
        contract.check(206, "POST", SEND, raw("POST " + SEND + " HTTP/1.1\r\nHost: a\r\nX-Pad: " + "p".repeat(9 * 1024)
                + "\r\nContent-Length: 0\r\n\r\n"));
        contract.check(208, "POST", SEND, raw("POST " + SEND + " HTTP/3.7\r\nHost: a\r\nContent-Length: 0\r\n\r\n"));
        contract.checkComponent("UnknownEndpoint", gw.postJson("/api/v2/MakeTelegram.php", text("hi")));
        contract.checkComponent("MethodNotAllowed", gw.get(SEND));
    }

    private Gateway.Response raw(String request) {
        RawHttp.Answer a = RawHttp.exchange(URI.create(gw.baseUrl()).getPort(),
                request.getBytes(StandardCharsets.ISO_8859_1), Duration.ofSeconds(10));
        return new Gateway.Response(a.status(), a.json(), a.body(), HttpHeaders.of(a.headers(), (k, v) -> true));
    }

    private Gateway.Response multipart(String path, Map<String, String> fields) {
        String boundary = "----oa" + System.nanoTime();
        StringBuilder body = new StringBuilder();
        fields.forEach((name, value) -> body.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(name).append("\"\r\n\r\n")
                .append(value).append("\r\n"));
        body.append("--").append(boundary).append("--\r\n");
        return gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
