package linegate.http;

import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.MetaStubs;
import linegate.testing.RawHttp;
import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * LINEGATE_REQUEST_READ_TIMEOUT_MS bounds the time to read a request's headers and body, however slowly the client
 * trickles them (Jetty's idle timeout restarts with every byte); a request that has arrived is never cut short.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestReadDeadlineTest {
    private static final Duration DEADLINE = Duration.ofSeconds(1);
    /** Well under Jetty's idle timeout (30 s), so only the read deadline can end these connections. */
    private static final Duration TRICKLE = Duration.ofMillis(300);

    Gateway gw;
    int port;

    @BeforeAll
    void start(@TempDir Path tmp) {
        gw = Gateway.start(TestDb.SQLITE, tmp, Gateway.env("LINEGATE_REQUEST_READ_TIMEOUT_MS",
                Long.toString(DEADLINE.toMillis()), "LINEGATE_GRAPH_TIMEOUT_MS", "10000"));
        port = URI.create(gw.baseUrl()).getPort();
    }

    @AfterAll
    void stop() {
        gw.close();
    }

    @Test
    void closesAConnectionWhoseHeadersTrickleIn() {
        StringBuilder headers = new StringBuilder("GET /health HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < 40; i++) {
            headers.append("X-Slow-").append(i).append(": x\r\n");
        }
        byte[] request = (headers + "\r\n").getBytes(StandardCharsets.ISO_8859_1);

        // one header line every 300 ms would take about 12 s
        RawHttp.Answer a = RawHttp.exchange(port, request, Duration.ofSeconds(8), 12, TRICKLE);

        assertThat(a.closedWithoutAnswer()).as("answer %s %s", a.status(), a.body()).isTrue();
        assertThat(a.took()).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void closesAConnectionWhoseBodyTrickles() {
        String body = gw.sendJson("\"dest\":\"1254477777772919\",\"mdata\":\"" + "s".repeat(400) + "\"");
        byte[] request = ("POST /api/v2/MakeInstagram.php HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1);

        RawHttp.Answer a = RawHttp.exchange(port, request, Duration.ofSeconds(8), 10, TRICKLE);

        assertThat(a.status()).as("answer %s", a.body()).isNotEqualTo(200);
        assertThat(a.took()).isLessThan(Duration.ofSeconds(5));
        assertThat(gw.rows()).isEmpty();
    }

    @Test
    void closesAConnectionThatTricklesBlankLinesBeforeARequest() {
        byte[] request = ("\r\n".repeat(30) + "GET /health HTTP/1.1\r\nHost: a\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);

        // Jetty skips blank lines before a request: one every 300 ms would take about 9 s
        RawHttp.Answer a = RawHttp.exchange(port, request, Duration.ofSeconds(8), 2, TRICKLE);

        assertThat(a.closedWithoutAnswer()).as("answer %s %s", a.status(), a.body()).isTrue();
        assertThat(a.took()).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void keepsAnIdleKeptAliveConnectionBetweenRequests() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            for (int i = 0; i < 3; i++) {
                out.write("GET /health HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                assertThat(in.readLine()).as("answer %d on one connection", i).startsWith("HTTP/1.1 200");
                int length = 0;
                for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
                    if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).strip());
                    }
                }
                for (long left = length; left > 0; ) {
                    left -= in.skip(left);
                }
                Thread.sleep(DEADLINE.multipliedBy(2)); // quiet between requests: no deadline runs
            }
        }
    }

    @Test
    void neverCutsShortARequestThatArrivedWhileItIsHandled() {
        MetaStubs.answersAfter(gw.meta(), DEADLINE.multipliedBy(3), 200, MetaSamples.read("ig-send-success.doc.json"));
        String body = gw.sendJson("\"dest\":\"1254477777772919\",\"mdata\":\"hi\"");

        RawHttp.Answer a = RawHttp.exchange(port, ("POST /api/v2/MakeInstagram.php HTTP/1.1\r\nHost: a\r\n"
                + "Connection: close\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n"
                + body).getBytes(StandardCharsets.ISO_8859_1), Duration.ofSeconds(15));

        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.statusCode()).isEqualTo(200);
    }
}
