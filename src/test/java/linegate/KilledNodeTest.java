package linegate;

import com.github.tomakehurst.wiremock.WireMockServer;
import linegate.store.LineClass;
import linegate.store.LogState;
import linegate.store.NewLine;
import linegate.store.PageAccessToken;
import linegate.store.Stores;
import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.MetaStubs;
import linegate.testing.Processes;
import linegate.testing.ServedNodes;
import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A serving process killed with SIGKILL while its send waits for Meta leaves that row {@code accepted}, with no
 * process left to record Meta's answer. A retry of its msg_id must then hear 280 ("may have been delivered"), not 291
 * ("waiting for Meta") for the five minutes of the age-based sweep: at once after a restart on the embedded database,
 * and within the heartbeat bound on PostgreSQL, where another node reconciles the gone node's rows.
 */
class KilledNodeTest {
    private static final String DEST = "1254477777772919";

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();
    private ServedNodes nodes;

    @BeforeEach
    void nodes() {
        nodes = new ServedNodes(tmp);
    }

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void afterASigkillMidSendARestartedNodeAnswersTheRetryWith280AtOnce() throws Exception {
        WireMockServer meta = new WireMockServer(wireMockConfig().dynamicPort());
        meta.start();
        try {
            MetaStubs.answersAfter(meta, Duration.ofSeconds(30), 200, MetaSamples.read("ig-send-success.doc.json"));
            Map<String, String> env = ServedNodes.sqliteEnv(tmp, meta.baseUrl());
            env.put("LINEGATE_GRAPH_TIMEOUT_MS", "60000");
            String tsid;
            try (Stores stores = Stores.open(env.get("LINEGATE_DB_URL"), "", "",
                    Base64.getDecoder().decode(TestDb.MASTER_KEY), Clock.systemUTC())) {
                long account = stores.accounts().create("Acme");
                tsid = stores.tokens().create(account, "crm").tsid();
                stores.lines().create(new NewLine(account, LineClass.INSTAGRAM,
                        Optional.of(new PageAccessToken("EAAGkilledNodeTestToken")), Optional.of("17841405793187218"),
                        Optional.empty(), true, false));
            }
            int port = Processes.freePort();
            env.put("LINEGATE_PORT", Integer.toString(port));

            Process first = nodes.serve(env, "first.log");
            Processes.awaitHealthy(http, port, Duration.ofSeconds(30));
            http.sendAsync(send(port, tsid, "crm-killed"), HttpResponse.BodyHandlers.ofString());
            MetaStubs.awaitGraphCalls(meta, 1);
            assertThat(send(http, port, tsid, "crm-killed").body()).as("while the first node waits for Meta")
                    .contains("\"status_code\":291");
            Processes.kill(first);

            nodes.serve(env, "second.log");
            Processes.awaitHealthy(http, port, Duration.ofSeconds(30));
            HttpResponse<String> retry = http.send(send(port, tsid, "crm-killed"), HttpResponse.BodyHandlers.ofString());

            assertThat(retry.statusCode()).as(retry.body()).isEqualTo(504);
            assertThat(retry.body()).contains("\"status_code\":280", "\"cdls_id\":1");
            assertThat(MetaStubs.graphCalls(meta)).isEqualTo(1);
        } finally {
            meta.stop();
        }
    }

    @Test
    void onPostgresqlAnotherNodeReconcilesTheKilledNodesRowWithinTheHeartbeatBound() throws Exception {
        try (Gateway survivor = Gateway.start(TestDb.POSTGRESQL, tmp)) {
            MetaStubs.answersAfter(survivor.meta(), Duration.ofSeconds(60), 200, MetaSamples.read("ig-send-success.doc.json"));
            Map<String, String> env = new HashMap<>(survivor.env());
            int port = Processes.freePort();
            env.put("LINEGATE_PORT", Integer.toString(port));
            env.put("LINEGATE_GRAPH_TIMEOUT_MS", "120000");
            Process doomed = nodes.serve(env, "doomed.log");
            Processes.awaitHealthy(http, port, Duration.ofSeconds(30));
            http.sendAsync(send(port, survivor.tsid, "crm-gone"), HttpResponse.BodyHandlers.ofString());
            MetaStubs.awaitGraphCalls(survivor.meta(), 1);
            Processes.kill(doomed);
            long killedAt = System.nanoTime();

            String body = survivor.sendJson("\"dest\":\"" + DEST + "\",\"mdata\":\"hello\",\"msg_id\":\"crm-gone\"");
            Gateway.Response answer = survivor.postJson("/api/v2/MakeInstagram.php", body);
            assertThat(answer.statusCode()).as("the gone node's heartbeat is still fresh: %s", answer.raw()).isEqualTo(291);
            Duration bound = Duration.ofSeconds(45); // 15 s of silence, a 5 s sweep, far below the 5-minute age rule
            while (answer.statusCode() == 291 && System.nanoTime() - killedAt < bound.toNanos()) {
                Thread.sleep(500);
                answer = survivor.postJson("/api/v2/MakeInstagram.php", body);
            }

            assertThat(answer.statusCode()).as(answer.raw()).isEqualTo(280);
            long cdlsId = answer.ret().path("cdls_id").asLong();
            assertThat(survivor.stores().log().find(cdlsId).orElseThrow().state()).isEqualTo(LogState.UNKNOWN);
            assertThat(MetaStubs.graphCalls(survivor.meta())).isEqualTo(1);
        }
    }

    private HttpResponse<String> send(HttpClient client, int port, String tsid, String msgId) throws Exception {
        return client.send(send(port, tsid, msgId), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest send(int port, String tsid, String msgId) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v2/MakeInstagram.php"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"tsid\":\"" + tsid + "\",\"app_id\":1,\"dest\":\"" + DEST
                        + "\",\"mdata\":\"hello\",\"msg_id\":\"" + msgId + "\"}"))
                .build();
    }
}
