package linegate.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import linegate.store.LineClass;
import linegate.store.NewLine;
import linegate.store.PageAccessToken;
import linegate.store.Stores;
import linegate.testing.MetaSamples;
import linegate.testing.MetaStubs;
import linegate.testing.Processes;
import linegate.testing.ServedNodes;
import linegate.testing.TestDb;
import linegate.testing.Webhooks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbox is durable: a serving process killed with SIGKILL while its events are still pending (the CRM answered
 * 503 so far) loses none of them. The process restarted on the same database delivers every event the feed lists,
 * each signed, once the CRM answers 200.
 */
class EventsSurviveKillTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "whsec_killTestSecret0123456789abcdefghijklmnopqrstu";
    private static final String PATH = "/crm";
    private static final int SENDS = 20;

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
    void pendingEventsKilledWithTheProcessAreAllDeliveredAfterARestart() throws Exception {
        WireMockServer meta = new WireMockServer(wireMockConfig().dynamicPort());
        meta.start();
        try (CallbackReceiver crm = new CallbackReceiver()) {
            MetaStubs.answersAfter(meta, Duration.ZERO, 200, MetaSamples.read("ig-send-success.doc.json"));
            crm.behaviors.put(PATH, r -> 503);
            Map<String, String> env = ServedNodes.sqliteEnv(tmp, meta.baseUrl());
            env.put("LINEGATE_CALLBACK_ALLOW_PRIVATE", "true");
            env.put("LINEGATE_CALLBACK_RETRY_BASE_MS", "100");
            String tsid;
            try (Stores stores = Stores.open(env.get("LINEGATE_DB_URL"), "", "",
                    Base64.getDecoder().decode(TestDb.MASTER_KEY), Clock.systemUTC())) {
                long account = stores.accounts().create("Acme");
                tsid = stores.tokens().create(account, "crm").tsid();
                stores.lines().create(new NewLine(account, LineClass.INSTAGRAM,
                        Optional.of(new PageAccessToken("EAAGeventsSurviveKillToken")), Optional.of("17841405793187218"),
                        Optional.empty(), true, false));
                assertThat(stores.callbacks().setUrl(account, crm.url(PATH), SECRET)).isTrue();
            }
            int port = Processes.freePort();
            env.put("LINEGATE_PORT", Integer.toString(port));

            Process first = nodes.serve(env, "first.log");
            Processes.awaitHealthy(http, port, Duration.ofSeconds(30));
            for (int i = 0; i < SENDS; i++) {
                HttpResponse<String> sent = http.send(send(port, tsid, i), HttpResponse.BodyHandlers.ofString());
                assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
            }
            // One conversation: its first event is tried (0.1 s, 0.3 s, 1.2 s apart), the others wait behind it. The
            // kill may land while the first event's lease is held: the restarted node frees leases left by an earlier
            // process (embedded database, one node), so nothing waits out CallbackDelivery.LEASE.
            Webhooks.await("three failed attempts", () -> crm.at(PATH).size() >= 3 ? Optional.of(true) : Optional.empty());
            Processes.kill(first);
            int beforeKill = crm.at(PATH).size();
            assertThat(distinctEventIds(crm)).as("delivered before the kill").hasSizeLessThan(SENDS);

            crm.behaviors.put(PATH, r -> 200);
            nodes.serve(env, "second.log");
            Processes.awaitHealthy(http, port, Duration.ofSeconds(30));

            Set<String> feed = feedEventIds(port, tsid);
            assertThat(feed).as("the feed from after=0 has one message.status event per send, and the line's health"
                    + " (unknown -> ok at the first send Meta took)").hasSize(SENDS + 1);
            Webhooks.await("every event of the feed delivered after the restart", () ->
                    answered200(crm, beforeKill).containsAll(feed) ? Optional.of(true) : Optional.empty());
            for (CallbackReceiver.Received r : crm.at(PATH)) {
                long t = Long.parseLong(r.signature().substring(2, r.signature().indexOf(',')));
                assertThat(r.signature()).as("signature of %s", r.eventId())
                        .isEqualTo(CallbackSignature.header(t, r.body(), SECRET, Optional.empty()));
                assertThat(r.eventId()).isEqualTo(JSON.readTree(r.body()).path("event_id").asText());
            }
            assertThat(distinctEventIds(crm)).as("nothing posted that the feed does not have").isEqualTo(feed);
        } finally {
            meta.stop();
        }
    }

    /** The events posted after the receiver switched to 200 (requests from index {@code from} on). */
    private static Set<String> answered200(CallbackReceiver crm, int from) {
        List<CallbackReceiver.Received> all = crm.at(PATH);
        return all.subList(Math.min(from, all.size()), all.size()).stream().map(CallbackReceiver.Received::eventId)
                .collect(Collectors.toSet());
    }

    private static Set<String> distinctEventIds(CallbackReceiver crm) {
        return crm.at(PATH).stream().map(CallbackReceiver.Received::eventId).collect(Collectors.toCollection(TreeSet::new));
    }

    private Set<String> feedEventIds(int port, String tsid) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/v2/Events.php?tsid=" + tsid + "&after=0&limit=500")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Set<String> ids = new TreeSet<>();
        List<String> types = new java.util.ArrayList<>();
        for (JsonNode e : JSON.readTree(r.body()).path("return").path("events")) {
            types.add(e.path("type").asText());
            ids.add(e.path("event_id").asText());
        }
        assertThat(types).filteredOn(t -> !t.equals("message.status")).containsExactly("line.status");
        return ids;
    }

    private static HttpRequest send(int port, String tsid, int i) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v2/MakeInstagram.php"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"tsid\":\"" + tsid + "\",\"app_id\":1,"
                        + "\"dest\":\"1254477777772919\",\"mdata\":\"hello " + i + "\",\"msg_id\":\"crm-kill-" + i + "\"}",
                        StandardCharsets.UTF_8))
                .build();
    }
}
