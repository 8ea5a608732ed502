package linegate.http;

import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile but small bodies through the real server: numbers with huge exponents or many digits, deep nesting, huge
 * arrays, long names, many parameters. Each answers its documented code within a short, fixed time (the exponent bomb
 * took seconds and gigabytes before the reader stopped converting numbers), and no 201 quotes the body.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestBoundsTest {
    private static final String SEND = "/api/v2/MakeInstagram.php";
    private static final String STATUS = "/api/v2/MessageStatus.php";
    private static final String IGSID = "1254477777772919";
    /** Far above what any of these requests needs now, far below what the exponent bomb took. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);

    Gateway gw;

    @BeforeAll
    void start(@TempDir Path tmp) {
        gw = Gateway.start(TestDb.SQLITE, tmp);
    }

    @AfterAll
    void stop() {
        gw.close();
    }

    @BeforeEach
    void metaAccepts() {
        gw.meta().resetAll();
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
    }

    private Gateway.Response post(String path, String json) {
        return gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                .timeout(ANSWER_WITHIN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    private Gateway.Response form(String body) {
        return gw.post(SEND, "application/x-www-form-urlencoded", body, Map.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e999999999", "1e2147483647", "1E+2147483648", "-1e999999999", "1e-999999999", "1.5e99999"})
    void answers211ForAnAppIdWithAHugeExponent(String number) {
        Gateway.Response r = post(SEND, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + number
                + ",\"dest\":\"" + IGSID + "\",\"mdata\":\"x\"}");

        Answers.assertRefused(r, 400, 211, "Invalid app_id");
        gw.meta().verify(0, anyRequestedFor(anyUrl()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e999999999", "1e2147483647", "12544777e99999999"})
    void answers221ForADestWithAHugeExponent(String number) {
        Gateway.Response r = post(SEND, gw.sendJson("\"dest\":" + number + ",\"mdata\":\"x\""));

        Answers.assertRefused(r, 400, 221, "Invalid dest");
    }

    @Test
    void answers101ForTheUnauthenticatedExponentBomb() {
        Gateway.Response r = post(SEND, "{\"tsid\":\"x\",\"app_id\":1e999999999,\"dest\":\"1\",\"mdata\":\"x\"}");

        Answers.assertRefused(r, 401, 101, "Invalid tsid");
    }

    @Test
    void answers297ForACdlsIdWithAHugeExponent() {
        Gateway.Response r = post(STATUS, "{\"tsid\":\"" + gw.tsid + "\",\"cdls_id\":1e999999999}");

        Answers.assertRefused(r, 400, 297, "Invalid cdls_id");
    }

    @Test
    void stillReadsAnExponentThatNamesAnInteger() {
        Gateway.Response r = post(SEND, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + gw.lineId + "e0,\"dest\":"
                + IGSID + ".0e0,\"mdata\":\"hi\"}");
        Gateway.Response fraction = post(SEND, gw.sendJson("\"dest\":" + IGSID + ".5,\"mdata\":\"hi\""));

        assertThat(r.statusCode()).as(r.raw()).isEqualTo(200);
        assertThat(fraction.statusCode()).as(fraction.raw()).isEqualTo(221);
    }

    @Test
    void answers201ForANumberLongerThanTheLimit() {
        Gateway.Response r = post(SEND, gw.sendJson("\"dest\":" + "7".repeat(1001) + ",\"mdata\":\"x\""));

        Answers.assertRefused(r, 400, 201, "Malformed request");
        assertThat(r.ret().path("detail").asText()).contains("a number longer than 1000 characters")
                .contains("line 1, column").doesNotContain("StreamReadConstraints").doesNotContain("777");
    }

    @Test
    void answers201ForDeepNesting() {
        Gateway.Response r = post(SEND, gw.sendJson("\"dest\":\"" + IGSID + "\",\"mdata\":\"x\",\"pad\":"
                + "[".repeat(40) + "]".repeat(40)));

        Answers.assertRefused(r, 400, 201, "Malformed request");
        assertThat(r.ret().path("detail").asText()).contains("nested deeper than 32 levels");
    }

    @Test
    void answers201ForVeryDeepNestingAsFastAsForAnyOther() {
        Gateway.Response r = post(SEND, "{\"pad\":" + "[".repeat(30_000) + "]".repeat(30_000) + "}");

        Answers.assertRefused(r, 400, 201, "Malformed request");
    }

    @Test
    void skipsAHugeArrayInAnUnknownParameter() {
        String array = IntStream.range(0, 5_000).mapToObj(i -> "1e99999999").collect(Collectors.joining(",", "[", "]"));
        Gateway.Response r = post(SEND, gw.sendJson("\"dest\":\"" + IGSID + "\",\"mdata\":\"hi\",\"pad\":" + array));

        assertThat(r.statusCode()).as(r.raw()).isEqualTo(200);
    }

    @Test
    void answers201ForMoreThan1000JsonParameters() {
        String many = IntStream.range(0, 1001).mapToObj(i -> "\"p" + i + "\":1").collect(Collectors.joining(","));
        Gateway.Response r = post(SEND, gw.sendJson("\"dest\":\"" + IGSID + "\",\"mdata\":\"hi\"," + many));

        Answers.assertRefused(r, 400, 201, "Malformed request");
        assertThat(r.ret().path("detail").asText()).contains("more than 1000 parameters");
    }

    @Test
    void answers201ForMoreThan1000FormParameters() {
        String many = IntStream.range(0, 1001).mapToObj(i -> "p" + i + "=1").collect(Collectors.joining("&"));

        Answers.assertRefused(form("tsid=" + gw.tsid + "&" + many), 400, 201, "Malformed request");
    }

    @Test
    void answers201ForMoreThan1000QueryParameters() {
        String many = IntStream.range(0, 1001).mapToObj(i -> "p" + i).collect(Collectors.joining("&"));

        Answers.assertRefused(gw.post(SEND + "?" + many, "application/json", gw.sendJson("\"dest\":\"" + IGSID
                + "\",\"mdata\":\"hi\""), Map.of()), 400, 201, "Malformed request");
    }

    @Test
    void answers201ForMoreThan1000MultipartParameters() {
        String boundary = "bnd7xq";
        String parts = IntStream.range(0, 1001).mapToObj(i -> "--" + boundary + "\r\nContent-Disposition: form-data; name=\"p"
                + i + "\"\r\n\r\n1\r\n").collect(Collectors.joining()) + "--" + boundary + "--\r\n";

        Answers.assertRefused(gw.post(SEND, "multipart/form-data; boundary=" + boundary, parts, Map.of()),
                400, 201, "Malformed request");
    }

    @Test
    void answers201ForALongParameterName() {
        Gateway.Response json = post(SEND, gw.sendJson("\"" + "n".repeat(300) + "\":1"));
        Gateway.Response form = form("tsid=" + gw.tsid + "&" + "n".repeat(300) + "=1");

        Answers.assertRefused(json, 400, 201, "Malformed request");
        assertThat(json.ret().path("detail").asText()).contains("parameter name longer than 256");
        Answers.assertRefused(form, 400, 201, "Malformed request");
    }

    @Test
    void readsAStringAsLongAsTheBodyLimitAllows() {
        Gateway.Response r = post(SEND, gw.sendJson("\"dest\":\"" + IGSID + "\",\"mdata\":\"hi\",\"pad\":\""
                + "p".repeat(60_000) + "\""));

        assertThat(r.statusCode()).as(r.raw()).isEqualTo(200);
    }

    // ---- a 201 says what and where, and never quotes the body ----

    @Test
    void aJsonErrorNamesLineAndColumnAndNeverQuotesTheToken() {
        Gateway.Response r = post(SEND, "{\n  \"tsid\": " + gw.tsid + ",\n  \"app_id\": 1}");

        Answers.assertRefused(r, 400, 201, "Malformed request");
        assertThat(r.ret().path("detail").asText()).contains("line 2, column").doesNotContain(gw.tsid)
                .doesNotContain("lgt_").doesNotContain("Unrecognized token");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"tsid\":\"lgt_secret\"", "{\"tsid\":'lgt_secret'}", "{\"lgt_secret\" 1}",
            "{\"tsid\":\"lgt_secret\"} lgt_secret", "[\"lgt_secret\"]", "{\"a\":\"lgt_secret\u0001\"}", "{lgt_secret:1}",
            "{\"a\":tru_lgt_secret}", "{\"a\":1lgt_secret}", "{\"a\":-lgt_secret}"})
    void noJsonErrorQuotesTheBody(String body) {
        Gateway.Response r = post(SEND, body);

        Answers.assertRefused(r, 400, 201, "Malformed request");
        assertThat(r.raw()).doesNotContain("lgt_secret").doesNotContain("secret");
    }

    @Test
    void noContentTypeErrorQuotesTheHeader() {
        Gateway.Response r = gw.post(SEND, "text/lgt_secret", "x", Map.of());

        Answers.assertRefused(r, 400, 201, "Malformed request");
        assertThat(r.raw()).doesNotContain("lgt_secret");
    }

    @Test
    void noNulErrorQuotesAParameterNameItDoesNotRead() {
        Gateway.Response r = form("lgt_secret=a%00b");

        Answers.assertRefused(r, 400, 201, "Malformed request");
        assertThat(r.raw()).doesNotContain("lgt_secret");
    }
}
