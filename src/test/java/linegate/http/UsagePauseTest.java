package linegate.http;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import linegate.meta.GraphOutcome;
import linegate.meta.MetaUsage;
import linegate.pacing.LinePauses;
import linegate.store.LogRow;
import linegate.store.LogState;
import linegate.store.Stores;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerTest;
import linegate.testing.MetaSamples;
import linegate.testing.TestDb;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static linegate.http.Answers.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract §10 through the real server: Meta's usage header on an answer pauses the line, and while it holds a direct
 * send answers 260 with retry_after and a failed row, without calling Meta; a pause another node records holds here
 * within about a second; {@code /metrics} shows the line's usage and pause. Both databases.
 */
class UsagePauseTest extends GatewayPerTest {
    private static final String PATH = "/api/v2/MakeInstagram.php";
    private static final String BUSY = "{\"17841405793187218\":[{\"type\":\"instagram\",\"call_count\":97,"
            + "\"total_cputime\":12,\"total_time\":30,\"estimated_time_to_regain_access\":2}]}";

    private Gateway.Response send(String msgId) {
        return gw.postJson(PATH, gw.sendJson("\"dest\":\"1254477777772919\",\"mdata\":\"hi\",\"msg_id\":\"" + msgId + "\""));
    }

    private void metaAnswersWithUsage(String header, String value) {
        gw.meta().stubFor(WireMock.post(urlPathEqualTo(Gateway.GRAPH_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withHeader(header, value)
                .withBody(MetaSamples.read("ig-send-success.doc.json"))));
    }

    @Test
    void aHighUsageFigurePausesTheLineAndItsSendsAnswer260WithoutCallingMeta() {
        metaAnswersWithUsage("X-Business-Use-Case-Usage", BUSY);

        Gateway.Response first = send("crm-1");
        Gateway.Response paused = send("crm-2");

        assertThat(first.statusCode()).as(first.raw()).isEqualTo(200);
        assertRefused(paused, 429, 260, "Rate limited");
        assertThat(paused.ret().path("retry_after").asLong()).isBetween(110L, 120L);
        assertThat(paused.headers().firstValue("Retry-After")).contains(paused.ret().path("retry_after").asText());
        assertThat(paused.raw()).contains("paused until").contains("97%").contains("LINEGATE_USAGE_PAUSE_PERCENT=95");
        gw.meta().verify(1, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH)));
        LogRow row = gw.stores().log().find(paused.ret().path("cdls_id").asLong()).orElseThrow();
        assertThat(row.state()).isEqualTo(LogState.FAILED);
        assertThat(row.error()).hasValueSatisfying(e -> assertThat(e.statusCode()).isEqualTo(260));

        String metrics = gw.get("/metrics").raw();
        assertThat(metrics).contains("linegate_line_paused{line=\"" + gw.lineId + "\"} 1.0")
                .contains("linegate_line_usage_percent{header=\"business\",line=\"" + gw.lineId + "\"} 97.0");
    }

    @Test
    void aQueuedSendWaitsOutThePauseWithoutCallingMetaWhileOtherLinesQueuedSendsGo() throws Exception {
        metaAnswersWithUsage("X-Business-Use-Case-Usage", BUSY);
        assertThat(send("crm-1").statusCode()).isEqualTo(200);
        long other = gw.newInstagramLine(true, false, Optional.of(Gateway.PAGE_TOKEN));
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));

        Gateway.Response queued = gw.postJson(PATH, gw.sendJson("\"dest\":\"1254477777772919\",\"mdata\":\"later\","
                + "\"async\":1"));
        Gateway.Response elsewhere = gw.postJson(PATH, "{\"tsid\":\"" + gw.tsid + "\",\"app_id\":" + other
                + ",\"dest\":\"1254477777772919\",\"mdata\":\"now\",\"async\":1}");

        assertThat(queued.statusCode()).as(queued.raw()).isEqualTo(207);
        assertThat(elsewhere.statusCode()).as(elsewhere.raw()).isEqualTo(207);
        long elsewhereId = elsewhere.ret().path("cdls_id").asLong();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (gw.stores().log().find(elsewhereId).orElseThrow().state() != LogState.SENT) {
            assertThat(System.nanoTime()).as("the other line's queued send went").isLessThan(deadline);
            Thread.sleep(50);
        }
        Thread.sleep(500);
        assertThat(gw.stores().log().find(queued.ret().path("cdls_id").asLong()).orElseThrow().state())
                .as("still waiting out the pause").isEqualTo(LogState.QUEUED);
        gw.meta().verify(2, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH)));
    }

    @Test
    void aFigureBelowTheThresholdPausesNothing() {
        metaAnswersWithUsage("X-Business-Use-Case-Usage", BUSY.replace("97", "60"));

        assertThat(send("crm-1").statusCode()).isEqualTo(200);
        assertThat(send("crm-2").statusCode()).isEqualTo(200);
        gw.meta().verify(2, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH)));
        assertThat(gw.get("/metrics").raw())
                .contains("linegate_line_usage_percent{header=\"business\",line=\"" + gw.lineId + "\"} 60.0")
                .contains("linegate_line_paused{line=\"" + gw.lineId + "\"} 0.0");
    }

    @Test
    void aMalformedUsageHeaderIsIgnored() {
        metaAnswersWithUsage("X-App-Usage", "{\"call_count\":");

        assertThat(send("crm-1").statusCode()).isEqualTo(200);
        assertThat(send("crm-2").statusCode()).isEqualTo(200);
    }

    @Test
    void aPauseAnotherNodeRecordedHoldsHereWithinAboutASecond() throws Exception {
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));
        Map<String, String> env = gw.env();
        try (Stores other = Stores.open(env.get("LINEGATE_DB_URL"), env.getOrDefault("LINEGATE_DB_USER", ""), "",
                Base64.getDecoder().decode(TestDb.MASTER_KEY), Clock.systemUTC())) {
            LinePauses otherNode = new LinePauses(other.pauses(), 95, Clock.systemUTC(), new SimpleMeterRegistry());
            otherNode.observe(gw.lineId, new GraphOutcome.Sent("aWdf.x", "1254477777772919",
                    new MetaUsage(Optional.of("{\"call_count\":100,\"total_cputime\":1,\"total_time\":1}"),
                            Optional.empty(), Optional.empty())));
            long deadline = System.nanoTime() + 3_000_000_000L;
            Gateway.Response r;
            int n = 0;
            do {
                Thread.sleep(100);
                r = send("crm-" + n++);
            } while (r.statusCode() == 200 && System.nanoTime() < deadline);

            assertRefused(r, 429, 260, "Rate limited");
            assertThat(r.raw()).contains("X-App-Usage reached 100%");
            assertThat(n).as("sends before the pause held here (one every 100 ms)").isLessThanOrEqualTo(15);
        }
    }
}
