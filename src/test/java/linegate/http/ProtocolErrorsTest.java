package linegate.http;

import com.fasterxml.jackson.databind.JsonNode;
import linegate.testing.Gateway;
import linegate.testing.RawHttp;
import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import org.junit.jupiter.params.provider.Arguments;

/**
 * Requests Jetty refuses before any route runs, and paths or methods no route has, sent as raw bytes over a socket:
 * each answers the {@code {"return":{...}}} envelope with its documented status_code, never Jetty's HTML error page
 * and never Javalin's {"title":…}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtocolErrorsTest {
    private static final String SEND = "/api/v2/MakeInstagram.php";
    private static final Duration LIMIT = Duration.ofSeconds(10);

    Gateway gw;
    int port;

    @BeforeAll
    void start(@TempDir Path tmp) {
        gw = Gateway.start(TestDb.SQLITE, tmp);
        port = URI.create(gw.baseUrl()).getPort();
    }

    @AfterAll
    void stop() {
        gw.close();
    }

    private RawHttp.Answer exchange(String request) {
        return exchange(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    private RawHttp.Answer exchange(byte[] request) {
        return RawHttp.exchange(port, request, LIMIT);
    }

    private static void assertEnvelope(RawHttp.Answer a, int httpStatus, int statusCode) {
        assertThat(a.body()).as("not HTML").doesNotContainIgnoringCase("<html").doesNotContainIgnoringCase("<body");
        JsonNode json = a.json();
        assertThat(json).as("a JSON envelope, got %s %s", a.status(), a.body()).isNotNull();
        assertThat(json.path("return").path("status_code").asInt()).as(a.body()).isEqualTo(statusCode);
        assertThat(json.path("return").path("status").asText()).isNotBlank();
        assertThat(a.status()).as(a.body()).isEqualTo(httpStatus);
        assertThat(a.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(json.has("title")).isFalse();
    }

    static Stream<Arguments> badFraming() {
        String body = "{\"tsid\":\"x\"}";
        return Stream.of(
                arguments("duplicate Content-Length", "POST " + SEND + " HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 12\r\nContent-Length: 13\r\n\r\n" + body),
                arguments("negative Content-Length", "POST " + SEND + " HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n" + body),
                arguments("Content-Length with Transfer-Encoding", "POST " + SEND + " HTTP/1.1\r\nHost: a\r\n"
                        + "Content-Length: 12\r\nTransfer-Encoding: chunked\r\n\r\nc\r\n" + body + "\r\n0\r\n\r\n"),
                arguments("NUL in a header", "GET /api/v2/MessageStatus.php HTTP/1.1\r\nHost: a\r\nX-Note: a\u0000b\r\n\r\n"),
                arguments("%00 in the path", "GET /api/v2/MessageStatus.php%00 HTTP/1.1\r\nHost: a\r\n\r\n"),
                arguments("%00 in a path segment", "GET /api/v2/Message%00Status.php HTTP/1.1\r\nHost: a\r\n\r\n"),
                arguments("no Host", "GET /api/v2/MessageStatus.php HTTP/1.1\r\n\r\n"),
                arguments("garbage request line", "HELLO\r\n\r\n"),
                arguments("space in the path", "GET /api/v2/Message Status.php HTTP/1.1\r\nHost: a\r\n\r\n"),
                arguments("header without colon", "GET /health HTTP/1.1\r\nHost: a\r\nnot a header\r\n\r\n"),
                arguments("bad chunk size", "POST " + SEND + " HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + body + "\r\n0\r\n\r\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFraming")
    void answers201ForARequestThatIsNotValidHttp(String what, String request) {
        assertEnvelope(exchange(request), 400, 201);
    }

    @Test
    void answers201ForATlsHelloOnThePlainPort() {
        byte[] hello = {0x16, 0x03, 0x01, 0x00, (byte) 0xa5, 0x01, 0x00, 0x00, (byte) 0xa1, 0x03, 0x03, 0x5a, 0x5b, 0x5c,
                0x0d, 0x0a, 0x0d, 0x0a};
        assertEnvelope(exchange(hello), 400, 201);
    }

    @Test
    void answers205ForARequestLineOverJettysLimit() {
        assertEnvelope(exchange("GET /api/v2/MessageStatus.php?cdls_id=" + "1".repeat(20_000) + " HTTP/1.1\r\nHost: a\r\n\r\n"),
                414, 205);
    }

    @Test
    void answers206ForHeadersOverJettysLimit() {
        assertEnvelope(exchange("GET /api/v2/MessageStatus.php HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(20_000)
                + "\r\n\r\n"), 431, 206);
    }

    @Test
    void answers208ForAnUnknownHttpVersion() {
        assertEnvelope(exchange("GET /api/v2/MessageStatus.php HTTP/3.7\r\nHost: a\r\n\r\n"), 505, 208);
    }

    @Test
    void answers203ForAnUnknownPathUnderApi() {
        RawHttp.Answer a = exchange("GET /api/v2/NoSuchThing.php HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertEnvelope(a, 404, 203);
        assertThat(a.body()).doesNotContain("NoSuchThing");
    }

    @Test
    void answers203ForAnUnknownPathElsewhere() {
        assertEnvelope(exchange("GET /admin.php HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"), 404, 203);
    }

    @Test
    void answers204WithAllowForAWrongMethod() {
        RawHttp.Answer send = exchange("GET " + SEND + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        RawHttp.Answer status = exchange("DELETE /api/v2/MessageStatus.php HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");

        assertEnvelope(send, 405, 204);
        assertThat(send.header("Allow")).hasValue("POST");
        assertEnvelope(status, 405, 204);
        assertThat(status.header("Allow")).hasValueSatisfying(v -> assertThat(v.split(", *")).containsExactlyInAnyOrder("GET", "POST"));
    }

    @Test
    void answers204ForAnUnknownMethod() {
        RawHttp.Answer a = exchange("BREW /health HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertEnvelope(a, 405, 204);
        assertThat(a.header("Allow")).hasValue("GET");
    }

    @Test
    void stillServesAWellFormedRequestOnTheSamePort() {
        RawHttp.Answer a = exchange("GET /health HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertThat(a.status()).isEqualTo(200);
    }
}
