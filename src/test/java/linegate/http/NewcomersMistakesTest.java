package linegate.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import linegate.store.LineClass;
import linegate.store.NewLine;
import linegate.store.PageAccessToken;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.MetaSamples;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mistakes a newcomer makes on a first send, answered clearly, over raw HTTP where the bytes matter (issue 16,
 * item 5; docs/api.md, "Parameters" and 230): JSON sent as curl -d's form type is 201 saying to set the type;
 * a form in another charset is decoded by it; a dest beyond 2^53 keeps every digit; a 230 says what is wrong.
 */
class NewcomersMistakesTest extends GatewayPerDatabase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PEER = "1254477777772919";

    @BeforeEach
    void metaAccepts() {
        gw.meta().resetRequests();
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
    }

    private Gateway.Response raw(Map<String, String> headers, byte[] body) {
        return gw.sendRaw("POST", "/api/v2/MakeInstagram.php", headers, body);
    }

    private List<JsonNode> graphBodies() {
        return gw.meta().findAll(postRequestedFor(urlPathEqualTo(Gateway.GRAPH_PATH))).stream()
                .map(LoggedRequest::getBodyAsString).map(b -> {
                    try {
                        return JSON.readTree(b);
                    } catch (Exception e) {
                        throw new AssertionError(b, e);
                    }
                }).toList();
    }

    @Test
    void jsonSentAsCurlsDefaultFormTypeIs201WithADetailThatSaysToSetTheContentType() {
        byte[] body = gw.sendJson("\"dest\":\"" + PEER + "\",\"mdata\":\"Hello from curl -d\"")
                .getBytes(StandardCharsets.UTF_8);
        int rows = gw.rows().size();

        Gateway.Response r = raw(Map.of("Content-Type", "application/x-www-form-urlencoded"), body);

        Answers.assertRefusedWithoutRow(gw, rows, r, 400, 201, "Malformed request");
        assertThat(r.ret().path("detail").asText()).contains("starts with '{' like a JSON object",
                "application/x-www-form-urlencoded", "curl -d", "Content-Type: application/json");
        assertThat(graphBodies()).as("nothing sent to Meta").isEmpty();
    }

    @Test
    void jsonWithAWrongTokenAsCurlsDefaultFormTypeIs201NotNoTsid() {
        byte[] body = ("{\"tsid\":\"lgt_notARealToken\",\"app_id\":" + gw.lineId + ",\"dest\":\"" + PEER
                + "\",\"mdata\":\"hi\"}").getBytes(StandardCharsets.UTF_8);

        Gateway.Response r = raw(Map.of("Content-Type", "application/x-www-form-urlencoded"), body);

        Answers.assertRefused(r, 400, 201, "Malformed request");
        assertThat(r.ret().path("detail").asText()).contains("Content-Type: application/json")
                .doesNotContain("lgt_notARealToken");
    }

    @Test
    void jsonWithoutAnyContentTypeIs201WithTheSameAdvice() {
        byte[] body = ("  \n" + gw.sendJson("\"dest\":\"" + PEER + "\",\"mdata\":\"no type at all\""))
                .getBytes(StandardCharsets.UTF_8);

        Gateway.Response r = raw(Map.of(), body);

        Answers.assertRefused(r, 400, 201, "Malformed request");
        assertThat(r.ret().path("detail").asText()).contains("without a Content-Type",
                "Content-Type: application/json");
        assertThat(graphBodies()).isEmpty();
    }

    @Test
    void aRealFormAndARealJsonRequestAreSent() {
        Gateway.Response form = raw(Map.of("Content-Type", "application/x-www-form-urlencoded"),
                ("tsid=" + gw.tsid + "&app_id=" + gw.lineId + "&dest=" + PEER + "&mdata=form").getBytes(StandardCharsets.UTF_8));
        Gateway.Response json = raw(Map.of("Content-Type", "application/json"),
                gw.sendJson("\"dest\":\"" + PEER + "\",\"mdata\":\"json\"").getBytes(StandardCharsets.UTF_8));

        assertThat(form.status()).as(form.raw()).isEqualTo(200);
        assertThat(json.status()).as(json.raw()).isEqualTo(200);
        assertThat(graphBodies()).extracting(g -> g.path("message").path("text").asText())
                .containsExactly("form", "json");
    }

    @Test
    void aFormInIso88591IsDecodedByItsCharset() {
        String text = "Café crème à 3 €"; // € is not in ISO-8859-1: windows-1252 below
        byte[] latin1 = ("tsid=" + gw.tsid + "&app_id=" + gw.lineId + "&dest=" + PEER + "&mdata=Caf%E9+cr%E8me+%E0+3"
                + "&msg_id=latin-" + db.name()).getBytes(StandardCharsets.US_ASCII);
        byte[] cp1252 = ("tsid=" + gw.tsid + "&app_id=" + gw.lineId + "&dest=" + PEER + "&mdata=").getBytes(StandardCharsets.US_ASCII);
        byte[] raw1252 = text.getBytes(Charset.forName("windows-1252")); // unescaped bytes, as some clients send them

        Gateway.Response r = raw(Map.of("Content-Type", "application/x-www-form-urlencoded; charset=ISO-8859-1"), latin1);
        Gateway.Response w = raw(Map.of("Content-Type", "application/x-www-form-urlencoded;charset=\"windows-1252\""),
                concat(cp1252, raw1252));

        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(w.status()).as(w.raw()).isEqualTo(200);
        assertThat(graphBodies()).extracting(g -> g.path("message").path("text").asText())
                .containsExactlyInAnyOrder("Café crème à 3", text);
    }

    @Test
    void aFormInACharsetLinegateCannotDecodeAnswers201() {
        Gateway.Response r = raw(Map.of("Content-Type", "application/x-www-form-urlencoded; charset=x-no-such-charset"),
                ("tsid=" + gw.tsid + "&app_id=" + gw.lineId + "&dest=" + PEER + "&mdata=x").getBytes(StandardCharsets.US_ASCII));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().path("return").path("status_code").asInt()).isEqualTo(201);
        assertThat(r.body().path("return").path("detail").asText()).contains("charset", "UTF-8")
                .doesNotContain("x-no-such-charset");
        assertThat(graphBodies()).isEmpty();
    }

    @Test
    void aDestGivenAsAJsonNumberBeyondTwoToThe53KeepsEveryDigit() {
        String beyond = "9007199254740993"; // 2^53 + 1: a double would make it ...992
        String twenty = "12544777777729190001";

        Gateway.Response a = raw(Map.of("Content-Type", "application/json"),
                gw.sendJson("\"dest\":" + beyond + ",\"mdata\":\"a\"").getBytes(StandardCharsets.UTF_8));
        Gateway.Response b = raw(Map.of("Content-Type", "application/json"),
                gw.sendJson("\"dest\":" + twenty + ",\"mdata\":\"b\"").getBytes(StandardCharsets.UTF_8));

        assertThat(a.status()).as(a.raw()).isEqualTo(200);
        assertThat(b.status()).as(b.raw()).isEqualTo(200);
        assertThat(graphBodies()).extracting(g -> g.path("recipient").path("id").asText())
                .containsExactlyInAnyOrder(beyond, twenty);
        assertThat(gw.rows()).extracting(row -> row.peerId()).contains(beyond, twenty);
    }

    @Test
    void a230SaysWhenTheLineIsOfTheOtherChannel() {
        long messenger = gw.stores().lines().create(new NewLine(gw.accountId, LineClass.MESSENGER,
                Optional.of(new PageAccessToken(Gateway.PAGE_TOKEN)), Optional.empty(),
                Optional.of(Webhooks.newId("10450")), true, false));

        Gateway.Response toInstagram = gw.postJson("/api/v2/MakeInstagram.php", "{\"tsid\":\"" + gw.tsid
                + "\",\"app_id\":" + messenger + ",\"dest\":\"" + PEER + "\",\"mdata\":\"hi\"}");
        Gateway.Response toMessenger = gw.postJson("/api/v2/MakeMessenger.php",
                gw.sendJson("\"dest\":\"" + PEER + "\",\"mdata\":\"hi\""));

        assertThat(toInstagram.statusCode()).isEqualTo(230);
        assertThat(toInstagram.ret().path("detail").asText()).contains("line " + messenger + " is a messenger line",
                "/api/v2/MakeMessenger.php");
        assertThat(toMessenger.statusCode()).isEqualTo(230);
        assertThat(toMessenger.ret().path("detail").asText()).contains("line " + gw.lineId + " is an instagram line",
                "/api/v2/MakeInstagram.php");
        assertThat(graphBodies()).isEmpty();
    }

    @Test
    void a230SaysThatAppIdIsTheLineIdWhenItIsTheInstagramAccountId() {
        Gateway.Response r = gw.postJson("/api/v2/MakeInstagram.php", "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":"
                + Gateway.IG_ACCOUNT_ID + ",\"dest\":\"" + PEER + "\",\"mdata\":\"hi\"}");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.statusCode()).isEqualTo(230);
        assertThat(r.ret().path("detail").asText()).contains("app_id is the line's id, not the Instagram account id",
                "is line " + gw.lineId);
    }

    @Test
    void a230NeverTellsOfAnotherAccountsLines() {
        long other = gw.stores().accounts().create("Other Clinic");
        String otherIg = Webhooks.newId("178415");
        long otherLine = gw.stores().lines().create(new NewLine(other, LineClass.INSTAGRAM,
                Optional.of(new PageAccessToken(Gateway.PAGE_TOKEN)), Optional.of(otherIg), Optional.empty(), true, false));
        long otherMessenger = gw.stores().lines().create(new NewLine(other, LineClass.MESSENGER,
                Optional.of(new PageAccessToken(Gateway.PAGE_TOKEN)), Optional.empty(), Optional.of(Webhooks.newId("10451")),
                true, false));

        Gateway.Response byIgId = gw.postJson("/api/v2/MakeInstagram.php", "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":"
                + otherIg + ",\"dest\":\"" + PEER + "\",\"mdata\":\"hi\"}");
        Gateway.Response byLineId = gw.postJson("/api/v2/MakeInstagram.php", "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":"
                + otherMessenger + ",\"dest\":\"" + PEER + "\",\"mdata\":\"hi\"}");
        Gateway.Response missing = gw.postJson("/api/v2/MakeInstagram.php", "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":"
                + (otherMessenger + 1000) + ",\"dest\":\"" + PEER + "\",\"mdata\":\"hi\"}");

        assertThat(byIgId.statusCode()).isEqualTo(230);
        assertThat(byIgId.ret().path("detail").asText()).as("line " + otherLine + " stays unseen")
                .doesNotContain("is line", "Instagram account");
        assertThat(byLineId.ret().path("detail").asText()).doesNotContain("messenger")
                .isEqualTo(missing.ret().path("detail").asText().replace(Long.toString(otherMessenger + 1000),
                        Long.toString(otherMessenger)));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
