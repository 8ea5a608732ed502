package linegate.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import linegate.store.LineClass;
import linegate.store.NewLine;
import linegate.store.PageAccessToken;
import linegate.store.Stores;
import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.MetaStubs;
import linegate.testing.Postgres;
import linegate.testing.Processes;
import linegate.testing.ServedNodes;
import linegate.testing.TestDb;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static linegate.testing.MetaStubs.answer;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A serving process killed with SIGKILL while one queued send waits for Meta and more are queued behind it: the one
 * in flight becomes {@code unknown} (it may have been delivered) and is never sent again; the queued ones are sent
 * after the restart, in order, each once. On the embedded database at the restart; on PostgreSQL by the node that
 * survives, once the killed node's heartbeat is silent.
 */
class QueueSurvivesKillTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PEER = "1254477777772919";

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
    void onTheEmbeddedDatabaseTheRestartedNodeSendsTheQueuedRowsAndMarksTheOneInFlightUnknown() throws Exception {
        WireMockServer meta = new WireMockServer(wireMockConfig().dynamicPort());
        meta.start();
        try {
            slowFirstAnswer(meta);
            Map<String, String> env = ServedNodes.sqliteEnv(tmp, meta.baseUrl());
            env.put("LINEGATE_GRAPH_TIMEOUT_MS", "60000");
            String tsid = tenant(env);
            int port = Processes.freePort();
            env.put("LINEGATE_PORT", Integer.toString(port));

            Process first = nodes.serve(env, "first.log");
            Processes.awaitHealthy(http, port, Duration.ofSeconds(30));
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ids.add(queue(port, tsid, "k" + i));
            }
            MetaStubs.awaitGraphCalls(meta, 1);
            assertThat(states(port, tsid, ids)).as("k0 in flight, the others queued behind it")
                    .containsExactly("accepted", "queued", "queued", "queued");
            Processes.kill(first);

            nodes.serve(env, "second.log");
            Processes.awaitHealthy(http, port, Duration.ofSeconds(30));
            Webhooks.await("every row final after the restart", () -> Optional.of(states(port, tsid, ids))
                    .filter(s -> s.equals(List.of("unknown", "sent", "sent", "sent"))));

            assertThat(QueuedSends.received(meta)).extracting(QueuedSends.Received::text)
                    .as("each once, in order; k0 never again").containsExactly("k0", "k1", "k2", "k3");
        } finally {
            meta.stop();
        }
    }

    @Test
    void onPostgresqlTheSurvivingNodeSendsTheQueuedRowsOfTheKilledOneAndMarksItsSendInFlightUnknown() throws Exception {
        WireMockServer doomedMeta = new WireMockServer(wireMockConfig().dynamicPort());
        doomedMeta.start();
        try {
            MetaStubs.answersAfter(doomedMeta, Duration.ofSeconds(60), 200, MetaSamples.read("ig-send-success.doc.json"));
            Map<String, String> env = new HashMap<>(Map.of(
                    "LINEGATE_DB_URL", Postgres.freshDatabaseUrl(),
                    "LINEGATE_DB_USER", "postgres",
                    "LINEGATE_MASTER_KEY", TestDb.MASTER_KEY,
                    "LINEGATE_GRAPH_URL", doomedMeta.baseUrl(),
                    "LINEGATE_GRAPH_TIMEOUT_MS", "120000"));
            String tsid = tenant(env);
            int port = Processes.freePort();
            env.put("LINEGATE_PORT", Integer.toString(port));
            Process doomed = nodes.serve(env, "doomed.log");
            Processes.awaitHealthy(http, port, Duration.ofSeconds(30));
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ids.add(queue(port, tsid, "p" + i));
            }
            MetaStubs.awaitGraphCalls(doomedMeta, 1);
            Processes.kill(doomed);

            // the other node starts after the kill, so that only the doomed node could have claimed p0
            env.remove("LINEGATE_PORT");
            env.remove("LINEGATE_GRAPH_URL");
            try (Gateway survivor = Gateway.start(env)) {
                MetaStubs.answersAfter(survivor.meta(), Duration.ZERO, 200, MetaSamples.read("ig-send-success.doc.json"));
                // 15 s of silence and of the survivor's own beats, a 5 s sweep: p0 unknown, then p1 heads the conversation
                Webhooks.await("every row final on the survivor", () -> Optional.of(states(survivor, ids))
                        .filter(s -> s.equals(List.of("unknown", "sent", "sent", "sent"))), Duration.ofSeconds(60));

                assertThat(MetaStubs.graphCalls(doomedMeta)).isEqualTo(1);
                assertThat(QueuedSends.received(survivor.meta())).extracting(QueuedSends.Received::text)
                        .as("each once, in order; p0 never again").containsExactly("p1", "p2", "p3");
            }
        } finally {
            doomedMeta.stop();
        }
    }

    /** The first send waits 30 s for Meta (the kill lands meanwhile); every later one is answered at once. */
    private static void slowFirstAnswer(WireMockServer meta) {
        String ok = MetaSamples.read("ig-send-success.doc.json");
        meta.stubFor(MetaStubs.sendApi().inScenario("kill").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(answer(200, ok).withFixedDelay(30_000)).willSetStateTo("after"));
        meta.stubFor(MetaStubs.sendApi().inScenario("kill").whenScenarioStateIs("after").willReturn(answer(200, ok)));
    }

    private static String tenant(Map<String, String> env) {
        try (Stores stores = Stores.open(env.get("LINEGATE_DB_URL"), env.getOrDefault("LINEGATE_DB_USER", ""), "",
                Base64.getDecoder().decode(TestDb.MASTER_KEY), Clock.systemUTC())) {
            long account = stores.accounts().create("Acme");
            String tsid = stores.tokens().create(account, "crm").tsid();
            stores.lines().create(new NewLine(account, LineClass.INSTAGRAM,
                    Optional.of(new PageAccessToken("EAAGqueueKillTestToken")), Optional.of("17841405793187218"),
                    Optional.empty(), true, false));
            return tsid;
        }
    }

    private long queue(int port, String tsid, String text) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/v2/MakeInstagram.php"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"tsid\":\"" + tsid + "\",\"app_id\":1,\"dest\":\"" + PEER
                        + "\",\"mdata\":\"" + text + "\",\"async\":1}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).path("return").path("cdls_id").asLong();
    }

    private List<String> states(int port, String tsid, List<Long> ids) {
        List<String> states = new ArrayList<>();
        for (long id : ids) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/v2/MessageStatus.php?tsid=" + tsid + "&cdls_id=" + id)).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode m = JSON.readTree(r.body()).path("return").path("message");
                states.add(m.path("state").asText());
            } catch (IOException e) {
                states.add("no answer");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return states;
    }

    private static List<String> states(Gateway gw, List<Long> ids) {
        return ids.stream().map(id -> gw.stores().log().find(id).orElseThrow().state().dbValue()).toList();
    }
}
