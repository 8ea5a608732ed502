package linegate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import linegate.testing.Processes;
import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exponent bomb against {@code linegate serve} in its own JVM with a 128 MB heap: eight at once, each answered
 * with its documented code within a few seconds, and the node still healthy after. Before the reader stopped
 * converting numbers, one such 56-byte request needed a billion-character string (an OutOfMemoryError, answered 500).
 */
class NumberBombProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);

    @TempDir
    Path tmp;
    private Process server;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    @Test
    void aSmallHeapAnswersEightExponentBombsAtOnceWithTheirCodes() throws Exception {
        int port = Processes.freePort();
        Map<String, String> env = Map.of("LINEGATE_DB_URL", "jdbc:sqlite:" + tmp.resolve("linegate.db"),
                "LINEGATE_MASTER_KEY", TestDb.MASTER_KEY, "LINEGATE_PORT", Integer.toString(port));
        long account = command(env, "account", "create", "--name", "Acme Dental").path("id").asLong();
        String tsid = command(env, "token", "create", "--account", Long.toString(account)).path("tsid").asText();
        Path log = tmp.resolve("serve.log");
        server = serve(env, log);
        Processes.awaitHealthy(http, port, Duration.ofSeconds(60));

        List<String> bodies = List.of(
                "{\"tsid\":\"x\",\"app_id\":1e999999999,\"dest\":\"1\",\"mdata\":\"x\"}",
                "{\"tsid\":\"" + tsid + "\",\"app_id\":1e999999999,\"dest\":\"1\",\"mdata\":\"x\"}",
                "{\"tsid\":\"" + tsid + "\",\"app_id\":1e2147483647,\"dest\":\"1\",\"mdata\":\"x\"}",
                "{\"tsid\":\"" + tsid + "\",\"app_id\":1,\"dest\":1e999999999,\"mdata\":\"x\"}",
                "{\"tsid\":\"" + tsid + "\",\"app_id\":1,\"dest\":1e2147483647,\"mdata\":\"x\"}",
                "{\"tsid\":\"" + tsid + "\",\"app_id\":1e999999999,\"dest\":1e999999999,\"mdata\":1e999999999}",
                "{\"tsid\":\"" + tsid + "\",\"cdls_id\":1e999999999}",
                "{\"tsid\":\"" + tsid + "\",\"cdls_id\":1e2147483647}");
        List<String> paths = List.of("MakeInstagram.php", "MakeInstagram.php", "MakeInstagram.php", "MakeInstagram.php",
                "MakeInstagram.php", "MakeInstagram.php", "MessageStatus.php", "MessageStatus.php");
        List<Integer> expected = List.of(101, 211, 211, 221, 221, 211, 297, 297); // 297: a cdls_id that is no id

        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v2/" + paths.get(i)))
                    .timeout(ANSWER_WITHIN)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i)))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < answers.size(); i++) {
            HttpResponse<String> r = answers.get(i).get(ANSWER_WITHIN.toSeconds() + 5, TimeUnit.SECONDS);
            assertThat(JSON.readTree(r.body()).path("return").path("status_code").asInt()).as("%s -> %s", bodies.get(i), r.body())
                    .isEqualTo(expected.get(i));
        }
        assertThat(server.isAlive()).isTrue();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(ANSWER_WITHIN).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError").doesNotContain("answered 500");
    }

    private JsonNode command(Map<String, String> env, String... args) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(exit).as(String.join(" ", args) + ": " + err.toString(StandardCharsets.UTF_8)).isZero();
        String printed = out.toString(StandardCharsets.UTF_8).strip();
        return JSON.readTree(printed.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("{}"));
    }

    private Process serve(Map<String, String> env, Path log) throws IOException {
        return Processes.start(tmp, env, log, List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), "serve");
    }
}
