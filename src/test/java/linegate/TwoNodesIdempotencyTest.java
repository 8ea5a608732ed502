package linegate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import linegate.testing.MetaSamples;
import linegate.testing.MetaStubs;
import linegate.testing.Postgres;
import linegate.testing.Processes;
import linegate.testing.TestDb;
import linegate.testing.Together;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idempotent msg_id across nodes (docs/status-codes.md: "This holds across several Linegate nodes on one database"): two
 * {@code serve} processes on one PostgreSQL database and one Meta, and a burst of sends with the same msg_id split
 * between them. The database's unique index, not a lock inside one JVM, must make exactly one of them call Meta.
 */
class TwoNodesIdempotencyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IGSID = "1254477777772919";

    @TempDir
    Path tmp;

    private final WireMockServer meta = new WireMockServer(wireMockConfig().dynamicPort());
    private final List<Process> nodes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws InterruptedException {
        nodes.forEach(Process::destroy);
        for (Process p : nodes) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        meta.stop();
    }

    @Test
    void aBurstWithOneMsgIdOnTwoNodesCallsMetaOnce() throws Exception {
        meta.start();
        MetaStubs.answersAfter(meta, Duration.ofMillis(300), 200, MetaSamples.read("ig-send-success.doc.json"));
        String dbUrl = Postgres.freshDatabaseUrl();
        Map<String, String> env = new HashMap<>(Map.of(
                "LINEGATE_DB_URL", dbUrl,
                "LINEGATE_DB_USER", "postgres",
                "LINEGATE_MASTER_KEY", TestDb.MASTER_KEY,
                "LINEGATE_GRAPH_URL", meta.baseUrl()));
        long account = command(env, "account", "create", "--name", "Acme Dental").path("id").asLong();
        String tsid = command(env, "token", "create", "--account", Long.toString(account)).path("tsid").asText();
        long line = command(env, "line", "create", "--account", Long.toString(account), "--class", "instagram",
                "--page-token", "EAAGtwoNodesPageToken0123456789", "--ig-account-id", "17841405793187218").path("id").asLong();
        int first = Processes.freePort();
        int second = Processes.freePort();
        while (second == first) {
            second = Processes.freePort();
        }
        List<Integer> ports = List.of(first, second);
        for (int port : ports) {
            Map<String, String> nodeEnv = new HashMap<>(env);
            nodeEnv.put("LINEGATE_PORT", Integer.toString(port));
            nodes.add(serve(nodeEnv, tmp.resolve("node-" + port + ".log")));
        }
        for (int port : ports) {
            int up = port;
            Processes.awaitHealthy(http, port, Duration.ofSeconds(60), () -> nodes.stream().allMatch(Process::isAlive),
                    "see node-" + up + ".log in " + tmp);
        }
        String body = "{\"tsid\":\"" + tsid + "\",\"app_id\":" + line + ",\"dest\":\"" + IGSID
                + "\",\"mdata\":\"Your order has shipped\",\"msg_id\":\"crm-order-1001\"}";
        for (int port : ports) { // a first send on each node, so that neither is still warming up during the burst
            assertThat(send(port, body.replace("crm-order-1001", "warm-up-" + port)).path("status_code").asInt()).isEqualTo(200);
        }
        meta.resetRequests();

        List<JsonNode> answers = Together.run(24, i -> send(ports.get(i % 2), body));

        assertThat(MetaStubs.graphCalls(meta)).isEqualTo(1);
        assertThat(answers).allSatisfy(a -> assertThat(a.path("status_code").asInt()).as(a.toString()).isIn(200, 291));
        List<JsonNode> ok = answers.stream().filter(a -> a.path("status_code").asInt() == 200).toList();
        assertThat(ok).isNotEmpty();
        assertThat(ok).filteredOn(a -> !a.path("duplicate").asBoolean()).hasSize(1);
        int callerNode = IntStream.range(0, answers.size())
                .filter(i -> answers.get(i).path("status_code").asInt() == 200 && !answers.get(i).path("duplicate").asBoolean())
                .findFirst().orElseThrow() % 2;
        assertThat(IntStream.range(0, answers.size())
                .filter(i -> i % 2 != callerNode && answers.get(i).path("status_code").asInt() == 291))
                .as("the node that did not call Meta found the other node's attempt in flight").isNotEmpty();
        long cdlsId = ok.getFirst().path("cdls_id").asLong();
        String messageId = ok.getFirst().path("messageId").asText();
        assertThat(ok).allSatisfy(a -> {
            assertThat(a.path("cdls_id").asLong()).isEqualTo(cdlsId);
            assertThat(a.path("messageId").asText()).isEqualTo(messageId);
        });
        assertThat(answers).filteredOn(a -> a.path("status_code").asInt() == 291)
                .allSatisfy(a -> assertThat(a.path("cdls_id").asLong()).isEqualTo(cdlsId));
        assertThat(rowsWithMsgId(dbUrl, "crm-order-1001")).isEqualTo(1);

        // once Meta has answered, either node answers the original success
        for (int port : ports) {
            JsonNode repeat = send(port, body);
            assertThat(repeat.path("status_code").asInt()).isEqualTo(200);
            assertThat(repeat.path("duplicate").asBoolean()).isTrue();
            assertThat(repeat.path("cdls_id").asLong()).isEqualTo(cdlsId);
            assertThat(repeat.path("messageId").asText()).isEqualTo(messageId);
        }
        assertThat(MetaStubs.graphCalls(meta)).isEqualTo(1);
    }

    /** An operator command, run in this JVM with the nodes' environment; its one JSON line of output. */
    private static JsonNode command(Map<String, String> env, String... args) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8).strip();
        assertThat(exit).as(String.join(" ", args) + ": " + err.toString(StandardCharsets.UTF_8)).isZero();
        return JSON.readTree(printed.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("{}"));
    }

    private Process serve(Map<String, String> env, Path log) throws IOException {
        // C1 only and the serial collector: a node that starts in about half the time, for a test that sends 26 requests
        return Processes.start(tmp, env, log, List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), "serve");
    }

    private JsonNode send(int port, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v2/MakeInstagram.php"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode ret = JSON.readTree(r.body()).path("return");
            int expectedHttp = switch (ret.path("status_code").asInt()) {
                case 200 -> 200;
                case 291 -> 409;
                default -> r.statusCode();
            };
            assertThat(r.statusCode()).as(r.body()).isEqualTo(expectedHttp);
            return ret;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long rowsWithMsgId(String dbUrl, String msgId) throws Exception {
        try (Connection c = DriverManager.getConnection(dbUrl, "postgres", "");
             PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM message_log WHERE msg_id = ?")) {
            s.setString(1, msgId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
