package linegate;

import com.github.tomakehurst.wiremock.WireMockServer;
import linegate.testing.MetaSamples;
import linegate.testing.Processes;
import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole application as an operator runs it: separate processes for {@code serve} and the commands, one SQLite
 * file, and a SIGTERM while a send is in flight.
 */
class ServeProcessTest {
    @TempDir
    Path tmp;

    private final WireMockServer meta = new WireMockServer(wireMockConfig().dynamicPort());
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
        meta.stop();
    }

    @Test
    void sigtermLetsTheSendInFlightFinishThenExits() throws Exception {
        meta.start();
        meta.stubFor(post(urlPathEqualTo("/v25.0/me/messages")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withFixedDelay(1500)
                .withBody(MetaSamples.read("ig-send-success.doc.json"))));
        int port = Processes.freePort();
        Map<String, String> env = Map.of(
                "LINEGATE_DB_URL", "jdbc:sqlite:" + tmp.resolve("data/linegate.db"),
                "LINEGATE_MASTER_KEY", TestDb.MASTER_KEY,
                "LINEGATE_PORT", Integer.toString(port),
                "LINEGATE_GRAPH_URL", meta.baseUrl());

        assertThat(command(env, "account", "create", "--name", "Acme")).isEqualTo("{\"id\":1}");
        String token = command(env, "token", "create", "--account", "1");
        String tsid = token.replaceAll(".*\"tsid\":\"([^\"]+)\".*", "$1");
        assertThat(command(env, "line", "create", "--account", "1", "--class", "instagram",
                "--page-token", "EAAGserveProcessTestToken", "--ig-account-id", "17841405793187218")).isEqualTo("{\"id\":1}");

        Path serverLog = tmp.resolve("serve.log");
        Process server = start(env, serverLog, "serve");
        HttpClient http = HttpClient.newHttpClient();
        Processes.awaitHealthy(http, port, Duration.ofSeconds(30));

        HttpRequest send = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v2/MakeInstagram.php"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"tsid\":\"" + tsid
                        + "\",\"app_id\":1,\"dest\":\"1254477777772919\",\"mdata\":\"hello\"}"))
                .build();
        CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(send, HttpResponse.BodyHandlers.ofString());
        // the send has reached Meta and waits for its answer (the start-up token check's GET is not it)
        while (meta.getAllServeEvents().stream().noneMatch(e -> e.getRequest().getUrl().endsWith("/messages"))) {
            Thread.sleep(20);
        }
        server.destroy(); // SIGTERM

        HttpResponse<String> answer = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"status_code\":200", "\"cdls_id\":1");
        assertThat(server.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(server.exitValue()).isIn(0, 143); // 143 = terminated by SIGTERM after the hooks ran
        assertThat(Files.readString(serverLog)).contains("stopping: finishing requests in flight", "stopped")
                .doesNotContain("Exception");
        assertThat(command(env, "log", "list")).contains("\"state\":\"sent\"", "\"cdls_id\":1");
    }

    @Test
    void badConfigurationStopsStartUpWithOneLineThatSaysHowToFixIt() throws Exception {
        Path log = tmp.resolve("bad.log");
        Process server = start(Map.of("LINEGATE_PORT", "eighty", "LINEGATE_DB_URL", "jdbc:sqlite:" + tmp.resolve("x.db")),
                log, "serve");
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(server.exitValue()).isEqualTo(1);
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).containsExactly(
                "linegate: LINEGATE_PORT must be a whole number from 0 to 65535, got 'eighty' (default 8080)");
    }

    @Test
    void aPortInUseStopsStartUpWithOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Path log = tmp.resolve("taken.log");
            Process server = start(Map.of("LINEGATE_PORT", Integer.toString(taken.getLocalPort()),
                    "LINEGATE_DB_URL", "jdbc:sqlite:" + tmp.resolve("y.db"), "LINEGATE_MASTER_KEY", TestDb.MASTER_KEY), log, "serve");
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(server.exitValue()).isEqualTo(1);
            assertThat(Files.readAllLines(log)).containsExactly("linegate: LINEGATE_PORT " + taken.getLocalPort()
                    + " is already in use by another process: stop that process, or set LINEGATE_PORT to a free port");
        }
    }

    private String command(Map<String, String> env, String... args) throws Exception {
        Path out = Files.createTempFile(tmp, "cmd", ".out");
        Process p = start(env, out, args);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = Files.readString(out).strip();
        assertThat(p.exitValue()).as(text).isZero();
        return text.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> a + "\n" + b).orElse("");
    }

    private Process start(Map<String, String> env, Path output, String... args) throws IOException {
        Process p = Processes.start(tmp, env, output, List.of(), args);
        processes.add(p);
        return p;
    }

}
