package linegate.http;

import linegate.store.LogRow;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.MetaSamples;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where MakeInstagram reads its parameters (docs/api.md, "Parameters"): a JSON object, a form or multipart body, the query
 * string, tsid as a Bearer token; a body value wins over the query string; unknown names are ignored. Each case checks
 * the exact Graph body Meta receives, so a parameter read from the wrong place cannot pass.
 */
class MakeInstagramParametersTest extends GatewayPerDatabase {
    private static final String PATH = "/api/v2/MakeInstagram.php";
    private static final String IGSID = "1254477777772919";
    private static final String TEXT_BODY = """
            {"recipient":{"id":"1254477777772919"},"messaging_type":"RESPONSE","message":{"text":"Grüße — ok?"}}""";

    /** The message_id in Meta's sample answer. */
    private static final String META_MESSAGE_ID = "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjEyNTAyNDAyNjQwOTMwOjM0MDI4MjM2Njg0MTcxMDMwMTI0"
            + "NDI1ODE4NzUxOTk3OTcyODI5MjozMjM4NzQ4MDk1NTU2NDIxMjIzNDE1NjY3NTg0NzY4NDA5NgZDZD";

    @BeforeEach
    void resetMeta() {
        gw.meta().resetAll();
        gw.metaAnswers(200, MetaSamples.read("ig-send-generic-template-success.postman-example.json"));
    }

    private void assertSentExactly(Gateway.Response r, String graphBody) {
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.ret().path("status").asText()).isEqualTo("OK");
        assertThat(r.ret().path("messageId").asText()).isEqualTo(META_MESSAGE_ID);
        assertThat(r.ret().path("cdls_id").isIntegralNumber()).isTrue();
        gw.meta().verify(1, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH))
                .withHeader("Authorization", equalTo("Bearer " + Gateway.PAGE_TOKEN))
                .withRequestBody(equalToJson(graphBody)));
    }

    private static String form(Map<String, String> fields) {
        StringBuilder b = new StringBuilder();
        fields.forEach((k, v) -> b.append(b.isEmpty() ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return b.toString();
    }

    private Map<String, String> fields(String... extra) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("tsid", gw.tsid);
        m.put("app_id", Long.toString(gw.lineId));
        m.put("dest", IGSID);
        m.put("mdata", "Grüße — ok?");
        for (int i = 0; i < extra.length; i += 2) {
            if (extra[i + 1] == null) {
                m.remove(extra[i]);
            } else {
                m.put(extra[i], extra[i + 1]);
            }
        }
        return m;
    }

    // ---- the sources ----

    @Test
    void readsAJsonObjectBody() {
        assertSentExactly(gw.postJson(PATH, gw.sendJson("\"dest\":\"" + IGSID + "\",\"mdata\":\"Grüße — ok?\"")), TEXT_BODY);
    }

    @Test
    void readsAJsonBodyWithACharsetParameter() {
        assertSentExactly(gw.post(PATH, "application/json; charset=UTF-8",
                gw.sendJson("\"dest\":\"" + IGSID + "\",\"mdata\":\"Grüße — ok?\""), Map.of()), TEXT_BODY);
    }

    @Test
    void readsAFormUrlencodedBody() {
        assertSentExactly(gw.post(PATH, "application/x-www-form-urlencoded", form(fields()), Map.of()), TEXT_BODY);
    }

    @Test
    void readsAFormBodyWherePlusIsASpace() {
        Gateway.Response r = gw.post(PATH, "application/x-www-form-urlencoded", "tsid=" + gw.tsid + "&app_id=" + gw.lineId
                + "&dest=" + IGSID + "&mdata=see+you+at+10%3A00", Map.of());

        assertSentExactly(r, """
                {"recipient":{"id":"1254477777772919"},"messaging_type":"RESPONSE","message":{"text":"see you at 10:00"}}""");
    }

    @Test
    void readsAMultipartFormBodyAsPhpsCurlSendsAnArray() {
        String boundary = "------------------------d74496d66958873e";
        StringBuilder body = new StringBuilder();
        fields().forEach((name, value) -> body.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(name).append("\"\r\n\r\n")
                .append(value).append("\r\n"));
        body.append("--").append(boundary).append("--\r\n");

        Gateway.Response r = gw.post(PATH, "multipart/form-data; boundary=" + boundary, body.toString(), Map.of());

        assertSentExactly(r, TEXT_BODY);
    }

    @Test
    void readsTheQueryStringOfAPostWithoutBody() {
        Gateway.Response r = gw.post(PATH + "?" + form(fields()), null, "", Map.of());

        assertSentExactly(r, TEXT_BODY);
    }

    @Test
    void readsTheQueryStringTogetherWithABody() {
        Gateway.Response r = gw.post(PATH + "?tsid=" + gw.tsid + "&app_id=" + gw.lineId, "application/json",
                "{\"dest\":\"" + IGSID + "\",\"mdata\":\"Grüße — ok?\"}", Map.of());

        assertSentExactly(r, TEXT_BODY);
    }

    @Test
    void takesTsidFromAnAuthorizationBearerHeader() {
        Gateway.Response r = gw.post(PATH, "application/json",
                "{\"app_id\":" + gw.lineId + ",\"dest\":\"" + IGSID + "\",\"mdata\":\"Grüße — ok?\"}",
                Map.of("Authorization", "Bearer " + gw.tsid));

        assertSentExactly(r, TEXT_BODY);
    }

    @Test
    void takesTsidFromAnAuthorizationBearerHeaderWithAFormBody() {
        Gateway.Response r = gw.post(PATH, "application/x-www-form-urlencoded", form(fields("tsid", null)),
                Map.of("Authorization", "Bearer " + gw.tsid));

        assertSentExactly(r, TEXT_BODY);
    }

    // ---- precedence and leniency ----

    @Test
    void aJsonBodyValueWinsOverTheQueryString() {
        Gateway.Response r = gw.post(PATH + "?dest=999999999&mdata=from-query&app_id=987654", "application/json",
                gw.sendJson("\"dest\":\"" + IGSID + "\",\"mdata\":\"Grüße — ok?\""), Map.of());

        assertSentExactly(r, TEXT_BODY);
    }

    @Test
    void aFormBodyValueWinsOverTheQueryString() {
        Gateway.Response r = gw.post(PATH + "?dest=999999999&mdata=from-query&tsid=not-the-token",
                "application/x-www-form-urlencoded", form(fields()), Map.of());

        assertSentExactly(r, TEXT_BODY);
    }

    @Test
    void aMultipartBodyValueWinsOverTheQueryString() {
        String boundary = "XyZ123boundary";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"dest\"\r\n\r\n" + IGSID + "\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"mdata\"\r\n\r\nGrüße — ok?\r\n"
                + "--" + boundary + "--\r\n";

        Gateway.Response r = gw.post(PATH + "?tsid=" + gw.tsid + "&app_id=" + gw.lineId + "&dest=999999999&mdata=q",
                "multipart/form-data; boundary=" + boundary, body, Map.of());

        assertSentExactly(r, TEXT_BODY);
    }

    @Test
    void acceptsTheLegacyAliasV8lId() {
        Gateway.Response r = gw.postJson(PATH, "{\"tsid\":\"" + gw.tsid + "\",\"v8l_id\":" + gw.lineId + ",\"dest\":\""
                + IGSID + "\",\"mdata\":\"Grüße — ok?\"}");

        assertSentExactly(r, TEXT_BODY);
        LogRow row = gw.stores().log().find(r.ret().path("cdls_id").asLong()).orElseThrow();
        assertThat(row.lineId()).isEqualTo(gw.lineId);
    }

    @Test
    void acceptsAppIdAsANumericString() {
        Gateway.Response r = gw.postJson(PATH, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":\"" + gw.lineId + "\",\"dest\":\""
                + IGSID + "\",\"mdata\":\"Grüße — ok?\"}");

        assertSentExactly(r, TEXT_BODY);
    }

    @Test
    void acceptsAppIdAsAJsonNumber() {
        Gateway.Response r = gw.postJson(PATH, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + gw.lineId + ",\"dest\":\""
                + IGSID + "\",\"mdata\":\"Grüße — ok?\"}");

        assertSentExactly(r, TEXT_BODY);
    }

    @Test
    void keepsEveryDigitOfA20DigitDestGivenAsAJsonNumber() {
        Gateway.Response r = gw.postJson(PATH, gw.sendJson("\"dest\":17841405793187218999,\"mdata\":\"Grüße — ok?\""));

        assertSentExactly(r, TEXT_BODY.replace(IGSID, "17841405793187218999"));
        assertThat(gw.stores().log().find(r.ret().path("cdls_id").asLong()).orElseThrow().peerId())
                .isEqualTo("17841405793187218999");
    }

    @Test
    void ignoresUnknownParameters() {
        Gateway.Response r = gw.postJson(PATH, gw.sendJson("\"dest\":\"" + IGSID + "\",\"mdata\":\"Grüße — ok?\","
                + "\"callback_url\":\"https://crm.example.com/hook\",\"priority\":{\"level\":3},\"labels\":[1,2],\"x\":null"));

        assertSentExactly(r, TEXT_BODY);
    }

    @Test
    void answersOnThePathWithoutPhp() {
        assertSentExactly(gw.postJson("/api/v2/MakeInstagram",
                gw.sendJson("\"dest\":\"" + IGSID + "\",\"mdata\":\"Grüße — ok?\"")), TEXT_BODY);
    }

    // ---- mtype ----

    @Test
    void sendsTextWhenMtypeIsNotGiven() {
        Gateway.Response r = gw.postJson(PATH, gw.sendJson("\"dest\":\"" + IGSID + "\",\"mdata\":\"Grüße — ok?\""));

        assertSentExactly(r, TEXT_BODY);
        assertThat(gw.stores().log().find(r.ret().path("cdls_id").asLong()).orElseThrow().mtype()).isEqualTo("text");
    }

    @Test
    void sendsTextWhenMtypeIsAnEmptyString() {
        assertSentExactly(gw.postJson(PATH, gw.sendJson("\"dest\":\"" + IGSID + "\",\"mtype\":\"\",\"mdata\":\"Grüße — ok?\"")),
                TEXT_BODY);
    }

    @Test
    void sendsAnHttpsUrlAsTextWhenMtypeIsText() {
        String url = "https://cdn.example.com/promo.jpg";

        assertSentExactly(gw.postJson(PATH, gw.sendJson("\"dest\":\"" + IGSID + "\",\"mtype\":\"text\",\"mdata\":\"" + url
                + "\"")), TEXT_BODY.replace("Grüße — ok?", url));
    }

    @ParameterizedTest
    @ValueSource(strings = {"image", "audio", "video"})
    void sendsMediaAsAnAttachmentWithItsUrl(String mtype) {
        String url = "https://cdn.example.com/media/" + mtype + "?v=2&sig=Ab_9";

        Gateway.Response r = gw.postJson(PATH, gw.sendJson("\"dest\":\"" + IGSID + "\",\"mtype\":\"" + mtype
                + "\",\"mdata\":\"" + url + "\",\"msg_id\":\"crm-media-" + mtype + "\""));

        assertSentExactly(r, """
                {"recipient":{"id":"1254477777772919"},"messaging_type":"RESPONSE",
                 "message":{"attachment":{"type":"%s","payload":{"url":"%s"}}}}""".formatted(mtype, url));
        LogRow row = gw.stores().log().find(r.ret().path("cdls_id").asLong()).orElseThrow();
        assertThat(row.mtype()).isEqualTo(mtype);
        assertThat(row.mdata()).isEqualTo(url);
        assertThat(row.msgId()).contains("crm-media-" + mtype);
    }

    @Test
    void sendsAnHttpMediaUrl() {
        assertSentExactly(gw.postJson(PATH, gw.sendJson("\"dest\":\"" + IGSID
                        + "\",\"mtype\":\"image\",\"mdata\":\"http://cdn.example.com/a.png\"")),
                """
                {"recipient":{"id":"1254477777772919"},"messaging_type":"RESPONSE",
                 "message":{"attachment":{"type":"image","payload":{"url":"http://cdn.example.com/a.png"}}}}""");
    }
}
