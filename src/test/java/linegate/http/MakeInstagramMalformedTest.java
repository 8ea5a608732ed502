package linegate.http;

import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.MetaSamples;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static linegate.http.Answers.assertRefusedWithoutRow;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bodies that cannot be read (201) or are too large (202, default 64 KiB, LINEGATE_MAX_BODY_BYTES): answered before
 * authentication, with the envelope, never a 500, never a stack trace or a Java class name, and without a row.
 */
class MakeInstagramMalformedTest extends GatewayPerDatabase {
    private static final String PATH = "/api/v2/MakeInstagram.php";
    private static final String IGSID = "1254477777772919";
    private static final int DEFAULT_LIMIT = 64 * 1024;

    int rowsBefore;

    @BeforeEach
    void resetMeta() {
        gw.meta().resetAll();
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
        rowsBefore = gw.rows().size();
    }

    private void assertMalformed(Gateway.Response r) {
        assertRefusedWithoutRow(gw, rowsBefore, r, 400, 201, "Malformed request");
        gw.meta().verify(0, anyRequestedFor(anyUrl()));
    }

    private void assertTooLarge(Gateway.Response r) {
        assertRefusedWithoutRow(gw, rowsBefore, r, 413, 202, "Request too large");
        gw.meta().verify(0, anyRequestedFor(anyUrl()));
    }

    /** A valid JSON send whose whole body is exactly {@code bytes} long, padded with an unknown parameter. */
    private String jsonOfSize(int bytes) {
        String start = gw.sendJson("\"dest\":\"" + IGSID + "\",\"mdata\":\"hi\",\"pad\":\"");
        return start + "p".repeat(bytes - start.length() - 2) + "\"}";
    }

    // ---- 201 ----

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"tsid\":",
            "{tsid: 'abc'}",
            "{\"tsid\":\"abc\",}",
            "[{\"tsid\":\"abc\",\"app_id\":1}]",
            "[]",
            "\"tsid\"",
            "42",
            "null",
            "{\"tsid\":\"abc\",\"app_id\":1} trailing",
            "{\"tsid\":\"abc\",\"app_id\":1}{\"dest\":\"1\"}",
            "{\"tsid\":\"abc\",\"app_id\":1}]"})
    void answers201ForAJsonBodyThatIsNotOneObject(String body) {
        assertMalformed(gw.postJson(PATH, body));
    }

    @Test
    void answers201ForAJsonBodyWithTrailingGarbageEvenWithAValidToken() {
        assertMalformed(gw.postJson(PATH, gw.sendJson("\"dest\":\"" + IGSID + "\",\"mdata\":\"hi\"") + " x"));
    }

    @Test
    void answers201ForAJsonBodyThatIsNotUtf8() {
        byte[] start = ("{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + gw.lineId + ",\"dest\":\"" + IGSID + "\",\"mdata\":\"")
                .getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[start.length + 3];
        System.arraycopy(start, 0, body, 0, start.length);
        body[start.length] = (byte) 0xC3; // a lone lead byte
        body[start.length + 1] = '"';
        body[start.length + 2] = '}';

        assertMalformed(gw.sendRaw("POST", PATH, Map.of("Content-Type", "application/json"), body));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tsid=%zz", "tsid=abc&mdata=100%", "%G1=x", "tsid=abc&dest=%4"})
    void answers201ForABadPercentEscapeInAFormBody(String body) {
        assertMalformed(gw.post(PATH, "application/x-www-form-urlencoded", body, Map.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tsid=%zz", "mdata=100%", "app_id=1&dest=%4"})
    void answers201ForABadPercentEscapeInTheQueryString(String query) {
        assertMalformed(gw.sendRaw("POST", PATH + "?" + query, Map.of("Content-Type", "application/json"),
                gw.sendJson("\"dest\":\"" + IGSID + "\",\"mdata\":\"hi\"").getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/xml", "text/html; charset=utf-8", "application/octet-stream"})
    void answers201ForABodyOfAnUnsupportedContentType(String contentType) {
        assertMalformed(gw.post(PATH, contentType, gw.sendJson("\"dest\":\"" + IGSID + "\",\"mdata\":\"hi\""), Map.of()));
    }

    /** A form or a JSON object without Content-Type: 201 (NewcomersMistakesTest checks the JSON case's detail). */
    @Test
    void answers201ForABodyWithoutContentType() {
        assertMalformed(gw.post(PATH, null, "tsid=" + gw.tsid + "&app_id=" + gw.lineId + "&dest=" + IGSID + "&mdata=hi",
                Map.of()));
        assertMalformed(gw.post(PATH, null, gw.sendJson("\"dest\":\"" + IGSID + "\",\"mdata\":\"hi\""), Map.of()));
    }

    @Test
    void answers201ForAMultipartBodyThatDoesNotParse() {
        assertMalformed(gw.post(PATH, "multipart/form-data; boundary=abc123",
                "this is not multipart at all, no boundary anywhere", Map.of()));
    }

    @Test
    void answers201ForAMultipartBodyWithoutBoundary() {
        assertMalformed(gw.post(PATH, "multipart/form-data",
                "--abc\r\nContent-Disposition: form-data; name=\"tsid\"\r\n\r\nx\r\n--abc--\r\n", Map.of()));
    }

    // ---- 202 ----

    @Test
    void acceptsABodyOfExactlyTheLimit() {
        Gateway.Response r = gw.postJson(PATH, jsonOfSize(DEFAULT_LIMIT));

        assertThat(r.statusCode()).as(r.raw()).isEqualTo(200);
    }

    @Test
    void answers202ForAJsonBodyOverTheLimitWithContentLength() {
        assertTooLarge(gw.postJson(PATH, jsonOfSize(DEFAULT_LIMIT + 1)));
    }

    @Test
    void answers202ForAFormBodyOverTheLimit() {
        assertTooLarge(gw.post(PATH, "application/x-www-form-urlencoded", "tsid=" + gw.tsid + "&app_id=" + gw.lineId
                + "&dest=" + IGSID + "&mdata=hi&pad=" + "p".repeat(DEFAULT_LIMIT), Map.of()));
    }

    @Test
    void answers202ForAMultipartBodyOverTheLimit() {
        String boundary = "bnd7xq";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"mdata\"\r\n\r\n" + "m".repeat(DEFAULT_LIMIT)
                + "\r\n--" + boundary + "--\r\n";

        assertTooLarge(gw.post(PATH, "multipart/form-data; boundary=" + boundary, body, Map.of()));
    }

    @Test
    void answers202ForAChunkedBodyOverTheLimit() {
        byte[] body = jsonOfSize(DEFAULT_LIMIT * 2).getBytes(StandardCharsets.UTF_8);
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(gw.baseUrl() + PATH))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();

        assertTooLarge(gw.send(chunked));
    }

    @Test
    void answers202BeforeLookingAtTheToken() {
        assertTooLarge(gw.postJson(PATH, "{\"tsid\":\"not-a-token\",\"pad\":\"" + "p".repeat(DEFAULT_LIMIT) + "\"}"));
    }

    @Test
    void appliesALowerConfiguredLimit(@TempDir Path tmp) {
        try (Gateway small = Gateway.start(db, tmp, Gateway.env("LINEGATE_MAX_BODY_BYTES", "2048"))) {
            small.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
            String start = small.sendJson("\"dest\":\"" + IGSID + "\",\"mdata\":\"hi\",\"pad\":\"");
            String fits = start + "p".repeat(2048 - start.length() - 2) + "\"}";
            String over = start + "p".repeat(2049 - start.length() - 2) + "\"}";

            Gateway.Response ok = small.postJson(PATH, fits);
            Gateway.Response tooLarge = small.postJson(PATH, over);
            Gateway.Response tooLargeForm = small.post(PATH, "application/x-www-form-urlencoded",
                    "tsid=" + small.tsid + "&pad=" + "p".repeat(3000), Map.of());

            assertThat(ok.statusCode()).as(ok.raw()).isEqualTo(200);
            Answers.assertRefused(tooLarge, 413, 202, "Request too large");
            Answers.assertRefused(tooLargeForm, 413, 202, "Request too large");
            assertThat(small.rows()).hasSize(1);
        }
    }

    @Test
    void answers202ForAChunkedMultipartBodyOverTheLimit() {
        String boundary = "bnd7xq";
        byte[] body = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"mdata\"\r\n\r\n"
                + "m".repeat(DEFAULT_LIMIT * 2) + "\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(gw.baseUrl() + PATH))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();

        assertTooLarge(gw.send(chunked));
    }

    // ---- never a 500: a NUL character is refused as malformed on both databases ----

    @ParameterizedTest
    @ValueSource(strings = {"mdata", "msg_id", "dest", "tsid", "app_id", "mtype", "tag"})
    void answers201ForANulCharacterInAJsonParameter(String name) {
        Map<String, String> values = new LinkedHashMap<>(Map.of("tsid", gw.tsid, "app_id", Long.toString(gw.lineId),
                "dest", IGSID, "mdata", "hi"));
        values.put(name, values.getOrDefault(name, "x") + "\\u0000");
        StringBuilder json = new StringBuilder("{");
        values.forEach((k, v) -> json.append(json.length() == 1 ? "" : ",").append('"').append(k).append("\":\"")
                .append(v).append('"'));
        json.append('}');

        assertMalformed(gw.postJson(PATH, json.toString()));
    }

    @Test
    void answers201ForANulCharacterInAFormParameter() {
        assertMalformed(gw.post(PATH, "application/x-www-form-urlencoded", "tsid=" + gw.tsid + "&app_id=" + gw.lineId
                + "&dest=" + IGSID + "&mdata=hi%00there", Map.of()));
    }

    @Test
    void answers201ForANulCharacterInTheQueryString() {
        assertMalformed(gw.post(PATH + "?msg_id=crm%00-1", "application/json",
                gw.sendJson("\"dest\":\"" + IGSID + "\",\"mdata\":\"hi\""), Map.of()));
    }
}
