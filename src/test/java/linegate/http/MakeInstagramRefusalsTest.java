package linegate.http;

import linegate.store.LineClass;
import linegate.store.LogRow;
import linegate.store.LogState;
import linegate.store.NewLine;
import linegate.store.PageAccessToken;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.MetaSamples;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static linegate.http.Answers.assertRefused;
import static linegate.http.Answers.assertRefusedWithoutRow;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every status code MakeInstagram answers by itself, without asking Meta (docs/status-codes.md): 100 to 234. Each case
 * checks the HTTP status, the status text and the status_code, that Meta was not called, and whether a row was written
 * (only once the line resolved: 233 and 234 carry a cdls_id, everything before carries none).
 */
class MakeInstagramRefusalsTest extends GatewayPerDatabase {
    private static final String PATH = "/api/v2/MakeInstagram.php";
    private static final String IGSID = "1254477777772919";

    int rowsBefore;

    @BeforeEach
    void resetMeta() {
        gw.meta().resetAll();
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
        rowsBefore = gw.rows().size();
    }

    private Gateway.Response send(String members) {
        return gw.postJson(PATH, gw.sendJson(members));
    }

    private void assertMetaNotCalled() {
        gw.meta().verify(0, anyRequestedFor(anyUrl()));
    }

    private void assertSent(Gateway.Response r) {
        assertThat(r.statusCode()).as("%s", r.raw()).isEqualTo(200);
        assertThat(r.status()).isEqualTo(200);
        gw.meta().verify(1, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH)));
    }

    // ---- 100, 101: the token ----

    @Test
    void answers100WhenNoTsidIsGiven() {
        Gateway.Response r = gw.postJson(PATH, "{\"app_id\":" + gw.lineId + ",\"dest\":\"" + IGSID + "\",\"mdata\":\"hi\"}");

        assertRefusedWithoutRow(gw, rowsBefore, r, 401, 100, "No tsid");
        assertMetaNotCalled();
    }

    @Test
    void answers100WhenTsidIsAnEmptyString() {
        Gateway.Response r = gw.postJson(PATH, "{\"tsid\":\"\",\"app_id\":" + gw.lineId + ",\"dest\":\"" + IGSID
                + "\",\"mdata\":\"hi\"}");

        assertRefusedWithoutRow(gw, rowsBefore, r, 401, 100, "No tsid");
        assertMetaNotCalled();
    }

    @Test
    void answers101ForAnUnknownToken() {
        Gateway.Response r = gw.postJson(PATH, "{\"tsid\":\"not-a-token-of-anyone\",\"app_id\":" + gw.lineId
                + ",\"dest\":\"" + IGSID + "\",\"mdata\":\"hi\"}");

        assertRefusedWithoutRow(gw, rowsBefore, r, 401, 101, "Invalid tsid");
        assertMetaNotCalled();
    }

    @Test
    void answers101ForAnUnknownBearerToken() {
        Gateway.Response r = gw.post(PATH, "application/json", "{\"app_id\":" + gw.lineId + ",\"dest\":\"" + IGSID
                + "\",\"mdata\":\"hi\"}", Map.of("Authorization", "Bearer not-a-token-of-anyone"));

        assertRefusedWithoutRow(gw, rowsBefore, r, 401, 101, "Invalid tsid");
        assertMetaNotCalled();
    }

    @Test
    void answers101ForARevokedToken() {
        var token = gw.stores().tokens().create(gw.accountId, "old crm");
        String body = "{\"tsid\":\"" + token.tsid() + "\",\"app_id\":" + gw.lineId + ",\"dest\":\"" + IGSID
                + "\",\"mdata\":\"hi\"}";
        assertSent(gw.postJson(PATH, body));
        gw.meta().resetRequests();

        gw.stores().tokens().revoke(token.id());
        Gateway.Response r = gw.postJson(PATH, body);

        assertRefusedWithoutRow(gw, rowsBefore + 1, r, 401, 101, "Invalid tsid");
        assertMetaNotCalled();
    }

    // ---- 210, 211: app_id ----

    @Test
    void answers210WhenNoAppIdIsGiven() {
        Gateway.Response r = gw.postJson(PATH, "{\"tsid\":\"" + gw.tsid + "\",\"dest\":\"" + IGSID + "\",\"mdata\":\"hi\"}");

        assertRefusedWithoutRow(gw, rowsBefore, r, 400, 210, "No app_id");
        assertMetaNotCalled();
    }

    @Test
    void answers210WhenAppIdIsAnEmptyString() {
        Gateway.Response r = gw.postJson(PATH, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":\"\",\"dest\":\"" + IGSID
                + "\",\"mdata\":\"hi\"}");

        assertRefusedWithoutRow(gw, rowsBefore, r, 400, 210, "No app_id");
        assertMetaNotCalled();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"abc\"", "\"0\"", "0", "-3", "\"-3\"", "1.5", "\"12x\"", "true", "{\"id\":1}", "[1]",
            "99999999999999999999999"})
    void answers211WhenAppIdIsNotAPositiveInteger(String appId) {
        Gateway.Response r = gw.postJson(PATH, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + appId + ",\"dest\":\""
                + IGSID + "\",\"mdata\":\"hi\"}");

        assertRefusedWithoutRow(gw, rowsBefore, r, 400, 211, "Invalid app_id");
        assertMetaNotCalled();
    }

    @Test
    void answers211WhenTheLegacyAliasIsNotAPositiveInteger() {
        Gateway.Response r = gw.postJson(PATH, "{\"tsid\":\"" + gw.tsid + "\",\"v8l_id\":\"line-7\",\"dest\":\"" + IGSID
                + "\",\"mdata\":\"hi\"}");

        assertRefusedWithoutRow(gw, rowsBefore, r, 400, 211, "Invalid app_id");
        assertMetaNotCalled();
    }

    // ---- 220, 221: dest ----

    @Test
    void answers220WhenNoDestIsGiven() {
        Gateway.Response r = send("\"mdata\":\"hi\"");

        assertRefusedWithoutRow(gw, rowsBefore, r, 400, 220, "No dest");
        assertMetaNotCalled();
    }

    @Test
    void answers220WhenDestIsAnEmptyString() {
        Gateway.Response r = send("\"dest\":\"\",\"mdata\":\"hi\"");

        assertRefusedWithoutRow(gw, rowsBefore, r, 400, 220, "No dest");
        assertMetaNotCalled();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"12ab\"", "\"-1254477777772919\"", "1.5", "-12", "\"1254 4777\"", "\"+1254477777772919\"",
            "true", "{\"id\":\"1254477777772919\"}", "[\"1254477777772919\"]",
            "\"12345678901234567890123456789012345678901234567890123456789012345\""})
    void answers221WhenDestIsNotDigitsOrLongerThan64(String dest) {
        Gateway.Response r = send("\"dest\":" + dest + ",\"mdata\":\"hi\"");

        assertRefusedWithoutRow(gw, rowsBefore, r, 400, 221, "Invalid dest");
        assertMetaNotCalled();
    }

    @Test
    void acceptsADestOf64Digits() {
        String dest = "1234567890123456789012345678901234567890123456789012345678901234";

        assertSent(send("\"dest\":\"" + dest + "\",\"mdata\":\"hi\""));
        gw.meta().verify(postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH))
                .withRequestBody(equalToJson("{\"recipient\":{\"id\":\"" + dest + "\"}}", true, true)));
    }

    // ---- 225: mdata ----

    @Test
    void answers225WhenNoMdataIsGiven() {
        Gateway.Response r = send("\"dest\":\"" + IGSID + "\"");

        assertRefusedWithoutRow(gw, rowsBefore, r, 400, 225, "No mdata");
        assertMetaNotCalled();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\"", "null", "{\"text\":\"hi\"}", "[\"hi\"]"})
    void answers225WhenMdataIsEmptyOrNotAString(String mdata) {
        Gateway.Response r = send("\"dest\":\"" + IGSID + "\",\"mdata\":" + mdata);

        assertRefusedWithoutRow(gw, rowsBefore, r, 400, 225, "No mdata");
        assertMetaNotCalled();
    }

    @Test
    void answers225WhenAMediaSendHasNoUrl() {
        Gateway.Response r = send("\"dest\":\"" + IGSID + "\",\"mtype\":\"image\"");

        assertRefusedWithoutRow(gw, rowsBefore, r, 400, 225, "No mdata");
        assertMetaNotCalled();
    }

    // ---- 226: mtype ----

    @ParameterizedTest
    @ValueSource(strings = {"sticker", "like_heart", "media_share", "img"}) // file and template are Instagram's now (§11)
    void answers226ForAnMtypeInstagramDoesNotHave(String mtype) {
        Gateway.Response r = send("\"dest\":\"" + IGSID + "\",\"mtype\":\"" + mtype + "\",\"mdata\":\"https://cdn.example.com/a.pdf\"");

        assertRefusedWithoutRow(gw, rowsBefore, r, 400, 226, "Invalid mtype");
        assertMetaNotCalled();
    }

    // ---- 227: media URL ----

    @ParameterizedTest
    @ValueSource(strings = {"ftp://cdn.example.com/a.png", "file:///etc/passwd", "javascript:alert(1)", "/images/a.png",
            "cdn.example.com/a.png", "a.png", "https:///a.png", "https://exa mple.com/a.png", "http://"})
    void answers227ForAMediaUrlThatIsNotAnAbsoluteHttpUrl(String url) {
        Gateway.Response r = send("\"dest\":\"" + IGSID + "\",\"mtype\":\"image\",\"mdata\":\"" + url + "\"");

        assertRefusedWithoutRow(gw, rowsBefore, r, 400, 227, "Invalid media URL");
        assertMetaNotCalled();
    }

    @Test
    void answers227ForAMediaUrlOver2048Characters() {
        String prefix = "https://cdn.example.com/";
        String url = prefix + "a".repeat(2049 - prefix.length());

        Gateway.Response r = send("\"dest\":\"" + IGSID + "\",\"mtype\":\"video\",\"mdata\":\"" + url + "\"");

        assertRefusedWithoutRow(gw, rowsBefore, r, 400, 227, "Invalid media URL");
        assertMetaNotCalled();
    }

    @Test
    void acceptsAMediaUrlOfExactly2048Characters() {
        String prefix = "https://cdn.example.com/";
        String url = prefix + "a".repeat(2048 - prefix.length());

        assertSent(send("\"dest\":\"" + IGSID + "\",\"mtype\":\"image\",\"mdata\":\"" + url + "\""));
    }

    // ---- 228: Instagram's 1000 UTF-8 bytes ----

    @Test
    void acceptsATextOfExactly1000Utf8Bytes() {
        String text = "é".repeat(500); // 500 characters, 1000 bytes

        assertSent(send("\"dest\":\"" + IGSID + "\",\"mdata\":\"" + text + "\""));
        gw.meta().verify(postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH))
                .withRequestBody(equalToJson("{\"message\":{\"text\":\"" + text + "\"}}", true, true)));
    }

    @Test
    void answers228ForATextOf1001Utf8Bytes() {
        Gateway.Response r = send("\"dest\":\"" + IGSID + "\",\"mdata\":\"" + "é".repeat(500) + "a\"");

        assertRefusedWithoutRow(gw, rowsBefore, r, 400, 228, "Message too long");
        assertMetaNotCalled();
    }

    @Test
    void answers228ForFewerThan1000CharactersThatAreOver1000Bytes() {
        String text = "€".repeat(334) + "👍".repeat(10); // 374 characters, 1002 + 40 bytes

        Gateway.Response r = send("\"dest\":\"" + IGSID + "\",\"mdata\":\"" + text + "\"");

        assertRefusedWithoutRow(gw, rowsBefore, r, 400, 228, "Message too long");
        assertMetaNotCalled();
    }

    @Test
    void acceptsAnAsciiTextOf1000Bytes() {
        assertSent(send("\"dest\":\"" + IGSID + "\",\"mdata\":\"" + "x".repeat(1000) + "\""));
    }

    @Test
    void answers228ForAnAsciiTextOf1001Bytes() {
        Gateway.Response r = send("\"dest\":\"" + IGSID + "\",\"mdata\":\"" + "x".repeat(1001) + "\"");

        assertRefusedWithoutRow(gw, rowsBefore, r, 400, 228, "Message too long");
        assertMetaNotCalled();
    }

    // ---- 229: msg_id ----

    @Test
    void acceptsAMsgIdOf128CharactersAndStoresIt() {
        String msgId = "crm-" + "7".repeat(124);

        Gateway.Response r = send("\"dest\":\"" + IGSID + "\",\"mdata\":\"hi\",\"msg_id\":\"" + msgId + "\"");

        assertSent(r);
        assertThat(gw.stores().log().find(r.ret().path("cdls_id").asLong()).orElseThrow().msgId()).contains(msgId);
    }

    @Test
    void countsMsgIdCharactersNotUtf16Units() {
        String msgId = "🦷".repeat(128); // 128 characters, 256 UTF-16 units

        Gateway.Response r = send("\"dest\":\"" + IGSID + "\",\"mdata\":\"hi\",\"msg_id\":\"" + msgId + "\"");

        assertSent(r);
        assertThat(gw.stores().log().find(r.ret().path("cdls_id").asLong()).orElseThrow().msgId()).contains(msgId);
    }

    @Test
    void answers229ForAMsgIdOf129CharactersOutsideTheBasicPlane() {
        Gateway.Response r = send("\"dest\":\"" + IGSID + "\",\"mdata\":\"hi\",\"msg_id\":\"" + "🦷".repeat(129) + "\"");

        assertRefusedWithoutRow(gw, rowsBefore, r, 400, 229, "Invalid msg_id");
        assertMetaNotCalled();
    }

    @Test
    void answers229ForAMsgIdOver128Characters() {
        Gateway.Response r = send("\"dest\":\"" + IGSID + "\",\"mdata\":\"hi\",\"msg_id\":\"" + "m".repeat(129) + "\"");

        assertRefusedWithoutRow(gw, rowsBefore, r, 400, 229, "Invalid msg_id");
        assertMetaNotCalled();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[\"crm-42\"]", "{\"id\":\"crm-42\"}"})
    void answers229ForAMsgIdThatIsNotAScalar(String msgId) {
        Gateway.Response r = send("\"dest\":\"" + IGSID + "\",\"mdata\":\"hi\",\"msg_id\":" + msgId);

        assertRefusedWithoutRow(gw, rowsBefore, r, 400, 229, "Invalid msg_id");
        assertMetaNotCalled();
    }

    // ---- 231: tag ----

    @ParameterizedTest
    @ValueSource(strings = {"CONFIRMED_EVENT_UPDATE", "ACCOUNT_UPDATE", "POST_PURCHASE_UPDATE", "HUMAN"})
    void answers231ForATagOtherThanHumanAgent(String tag) {
        Gateway.Response r = send("\"dest\":\"" + IGSID + "\",\"mdata\":\"hi\",\"tag\":\"" + tag + "\"");

        assertRefusedWithoutRow(gw, rowsBefore, r, 400, 231, "Invalid tag");
        assertMetaNotCalled();
    }

    // ---- 230: the line ----

    @Test
    void answers230ForALineThatDoesNotExist() {
        Gateway.Response r = gw.postJson(PATH, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":987654,\"dest\":\"" + IGSID
                + "\",\"mdata\":\"hi\"}");

        assertRefusedWithoutRow(gw, rowsBefore, r, 404, 230, "Instagram line not found");
        assertMetaNotCalled();
    }

    @Test
    void answers230ForAnInactiveLine() {
        long inactive = gw.newInstagramLine(false, false, Optional.of(Gateway.PAGE_TOKEN));

        Gateway.Response r = gw.postJson(PATH, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + inactive + ",\"dest\":\""
                + IGSID + "\",\"mdata\":\"hi\"}");

        assertRefusedWithoutRow(gw, rowsBefore, r, 404, 230, "Instagram line not found");
        assertMetaNotCalled();
    }

    @Test
    void answers230ForALineOfAnotherAccount() {
        long other = gw.stores().accounts().create("Other Clinic");
        long theirLine = gw.stores().lines().create(new NewLine(other, LineClass.INSTAGRAM,
                Optional.of(new PageAccessToken("EAAtheirOwnPageToken")), Optional.of("17841400000000001"), Optional.empty(),
                true, false));

        Gateway.Response r = gw.postJson(PATH, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + theirLine + ",\"dest\":\""
                + IGSID + "\",\"mdata\":\"hi\"}");

        assertRefusedWithoutRow(gw, rowsBefore, r, 404, 230, "Instagram line not found");
        assertThat(gw.stores().log().list(Optional.of(other), 10)).isEmpty();
        assertMetaNotCalled();
    }

    @Test
    void answers230ForAMessengerLine() {
        long messenger = gw.stores().lines().create(new NewLine(gw.accountId, LineClass.MESSENGER,
                Optional.of(new PageAccessToken(Gateway.PAGE_TOKEN)), Optional.empty(), Optional.of("107206397796372"),
                true, false));

        Gateway.Response r = gw.postJson(PATH, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + messenger + ",\"dest\":\""
                + IGSID + "\",\"mdata\":\"hi\"}");

        assertRefusedWithoutRow(gw, rowsBefore, r, 404, 230, "Instagram line not found");
        assertMetaNotCalled();
    }

    // ---- 233, 234: after the line resolved, so with a row and a cdls_id ----

    @Test
    void answers233ForALineWithoutAPageAccessTokenWithAFailedRow() {
        long noToken = gw.newInstagramLine(true, false, Optional.empty());

        Gateway.Response r = gw.postJson(PATH, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + noToken + ",\"dest\":\""
                + IGSID + "\",\"mdata\":\"hi\",\"msg_id\":\"crm-233\"}");

        assertRefused(r, 422, 233, "No page access token");
        assertMetaNotCalled();
        LogRow row = failedRow(r, 233);
        assertThat(row.lineId()).isEqualTo(noToken);
        assertThat(row.msgId()).contains("crm-233");
    }

    @Test
    void answers234ForTheHumanAgentTagOnALineWithoutItWithAFailedRow() {
        Gateway.Response r = send("\"dest\":\"" + IGSID + "\",\"mdata\":\"hi\",\"tag\":\"HUMAN_AGENT\"");

        assertRefused(r, 422, 234, "Human agent tag not enabled");
        assertMetaNotCalled();
        LogRow row = failedRow(r, 234);
        assertThat(row.lineId()).isEqualTo(gw.lineId);
        assertThat(row.tag()).contains("HUMAN_AGENT");
    }

    @Test
    void sendsWithTheHumanAgentTagOnALineThatHasIt() {
        long agentLine = gw.newInstagramLine(true, true, Optional.of(Gateway.PAGE_TOKEN));

        Gateway.Response r = gw.postJson(PATH, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + agentLine + ",\"dest\":\""
                + IGSID + "\",\"mdata\":\"Your doctor visit is scheduled\",\"tag\":\"HUMAN_AGENT\"}");

        assertSent(r);
        gw.meta().verify(postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH)).withRequestBody(equalToJson("""
                {"recipient":{"id":"1254477777772919"},"messaging_type":"MESSAGE_TAG","tag":"HUMAN_AGENT",
                 "message":{"text":"Your doctor visit is scheduled"}}""")));
        LogRow row = gw.stores().log().find(r.ret().path("cdls_id").asLong()).orElseThrow();
        assertThat(row.state()).isEqualTo(LogState.SENT);
        assertThat(row.tag()).contains("HUMAN_AGENT");
    }

    private LogRow failedRow(Gateway.Response r, int code) {
        assertThat(r.ret().has("cdls_id")).as("cdls_id in %s", r.raw()).isTrue();
        assertThat(gw.rows()).hasSize(rowsBefore + 1);
        LogRow row = gw.stores().log().find(r.ret().path("cdls_id").asLong()).orElseThrow();
        assertThat(row.accountId()).isEqualTo(gw.accountId);
        assertThat(row.state()).isEqualTo(LogState.FAILED);
        assertThat(row.error()).hasValueSatisfying(e -> assertThat(e.statusCode()).isEqualTo(code));
        assertThat(row.metaMessageId()).isEmpty();
        return row;
    }
}
