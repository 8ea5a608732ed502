package linegate.http;

import linegate.store.LogRow;
import linegate.store.LogState;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.MetaSamples;
import linegate.testing.MetaStubs;
import linegate.testing.Together;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static linegate.http.Answers.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * 503 when no slot to call Meta comes free within the Graph timeout (LINEGATE_GRAPH_MAX_IN_FLIGHT): nothing is sent,
 * the row is {@code failed} with a local error, its msg_id is free again, and the client is told to retry after a
 * second. One slot here, and Meta answers after 2000 ms, inside the 2500 ms Graph timeout: C must start waiting
 * less than 2 × 2000 − 2500 = 1500 ms after A reached Meta, a margin a loaded machine keeps (with 1000 and 1500 it
 * was 500 ms, and a busy CI run missed it).
 */
class MakeInstagramGraphSlotsTest extends GatewayPerDatabase {
    private static final String PATH = "/api/v2/MakeInstagram.php";
    private static final Duration META_DELAY = Duration.ofMillis(2000);

    @Override
    protected Map<String, String> gatewayEnv() {
        return Gateway.env("LINEGATE_GRAPH_MAX_IN_FLIGHT", "1", "LINEGATE_GRAPH_TIMEOUT_MS", "2500");
    }

    @BeforeEach
    void resetMeta() {
        gw.meta().resetAll();
    }

    /** A send whose text is its msg_id, so Meta's journal shows which sends reached it. */
    private Gateway.Response send(String msgId) {
        return gw.postJson(PATH, gw.sendJson("\"dest\":\"1254477777772919\",\"mdata\":\"" + msgId + "\",\"msg_id\":\"" + msgId + "\""));
    }

    private CompletableFuture<Gateway.Response> sendLater(String msgId) {
        return CompletableFuture.supplyAsync(() -> send(msgId), task -> Thread.ofVirtual().start(task));
    }

    private int metaCallsCarrying(String text) {
        return gw.meta().countRequestsMatching(postRequestedFor(urlPathEqualTo(Gateway.GRAPH_PATH))
                .withRequestBody(containing("\"" + text + "\"")).build()).getCount();
    }

    /**
     * One slot: A holds it at Meta, B and then C wait. Meta answers A after 2000 ms and the slot goes to B, the first in
     * line, which holds it at Meta until about 4000 ms, past C's 2500 ms wait.
     */
    @Test
    void answers503WithRetryAfterAndAFailedRowWhenNoSlotToCallMetaComesFreeInTime() throws Exception {
        MetaStubs.answersAfter(gw.meta(), META_DELAY, 200, MetaSamples.read("ig-send-success.doc.json"));
        String a = "slot-a-" + UUID.randomUUID();
        String b = "slot-b-" + UUID.randomUUID();
        String c = "slot-c-" + UUID.randomUUID();
        double notSentBefore = metric("linegate_graph_not_sent_total");

        CompletableFuture<Gateway.Response> first = sendLater(a);
        MetaStubs.awaitGraphCalls(gw.meta(), 1);
        CompletableFuture<Gateway.Response> second = sendLater(b);
        awaitWaiting(1);
        CompletableFuture<Gateway.Response> third = sendLater(c);
        awaitWaiting(2);

        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).as(first.get().raw()).isEqualTo(200);
        assertThat(second.get(10, TimeUnit.SECONDS).statusCode()).as(second.get().raw()).isEqualTo(200);
        Gateway.Response r = third.get(10, TimeUnit.SECONDS);

        assertRefused(r, 503, 503, "Service unavailable");
        assertThat(r.headers().firstValue("Retry-After")).contains("1");
        assertThat(r.ret().path("retry_after").asLong()).isEqualTo(1);
        assertThat(r.ret().path("detail").asText()).contains("nothing was sent");
        assertThat(r.ret().has("meta_error")).isFalse();
        assertThat(r.ret().path("cdls_id").isIntegralNumber()).as("cdls_id in %s", r.raw()).isTrue();
        LogRow row = gw.stores().log().find(r.ret().path("cdls_id").asLong()).orElseThrow();
        assertThat(row.state()).isEqualTo(LogState.FAILED);
        assertThat(row.error()).hasValueSatisfying(e -> {
            assertThat(e.statusCode()).isEqualTo(503);
            assertThat(e.detail()).contains("LINEGATE_GRAPH_MAX_IN_FLIGHT=1");
            assertThat(e.hasMetaError()).isFalse();
        });
        assertThat(row.metaMessageId()).isEmpty();
        assertThat(MetaStubs.graphCalls(gw.meta())).as("A and B reached Meta").isEqualTo(2);
        assertThat(metaCallsCarrying(c)).as("C never reached Meta").isZero();
        assertThat(metric("linegate_graph_not_sent_total")).isEqualTo(notSentBefore + 1);

        MetaStubs.answers(gw.meta(), MetaStubs.answer(200, MetaSamples.read("ig-send-success.doc.json")));
        Gateway.Response retry = send(c);
        assertThat(retry.statusCode()).as("the msg_id was freed: %s", retry.raw()).isEqualTo(200);
        assertThat(retry.ret().has("duplicate")).isFalse();
        assertThat(retry.ret().path("cdls_id").asLong()).isNotEqualTo(row.id());
        assertThat(metaCallsCarrying(c)).isEqualTo(1);
        assertThat(metric("linegate_graph_in_flight")).isZero();
        assertThat(metric("linegate_graph_waiting")).isZero();
    }

    /**
     * Eight sends at once through one slot, each call taking 500 ms: the first few get the slot within the 2500 ms
     * timeout, the last ones cannot. Every answer is a success or a 503 that sent nothing, and each 503's msg_id can be
     * sent again.
     */
    @Test
    void everySendOfABurstIsEitherSentOrAnswered503WithNothingSent() throws Exception {
        MetaStubs.answersAfter(gw.meta(), Duration.ofMillis(500), 200, MetaSamples.read("ig-send-success.doc.json"));
        String burst = "burst-" + UUID.randomUUID() + "-";

        List<Gateway.Response> answers = Together.run(8, i -> send(burst + i));

        List<Integer> codes = answers.stream().map(Gateway.Response::statusCode).toList();
        assertThat(codes).as("answers %s", codes).allMatch(code -> code == 200 || code == 503).contains(200, 503);
        long sent = codes.stream().filter(code -> code == 200).count();
        assertThat(MetaStubs.graphCalls(gw.meta())).as("one Graph call per success").isEqualTo(sent);

        MetaStubs.answers(gw.meta(), MetaStubs.answer(200, MetaSamples.read("ig-send-success.doc.json")));
        for (int i = 0; i < answers.size(); i++) {
            Gateway.Response r = answers.get(i);
            if (r.statusCode() != 503) {
                continue;
            }
            assertRefused(r, 503, 503, "Service unavailable");
            assertThat(r.headers().firstValue("Retry-After")).contains("1");
            assertThat(metaCallsCarrying(burst + i)).as("send %d reached Meta", i).isZero();
            assertThat(gw.stores().log().find(r.ret().path("cdls_id").asLong()).orElseThrow().state())
                    .isEqualTo(LogState.FAILED);
            assertThat(send(burst + i).statusCode()).as("send %d again", i).isEqualTo(200);
        }
    }

    private void awaitWaiting(int sends) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (metric("linegate_graph_waiting") != sends) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + sends + " sends waiting for a slot within 5 s");
            }
            Thread.sleep(5);
        }
    }

    /** A sample without labels from /metrics. */
    private double metric(String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " ([0-9.eE+-]+)$").matcher(gw.get("/metrics").raw());
        assertThat(m.find()).as("%s in /metrics", name).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
