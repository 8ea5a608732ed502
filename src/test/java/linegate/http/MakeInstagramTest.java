package linegate.http;

import com.github.tomakehurst.wiremock.client.WireMock;
import linegate.store.LogRow;
import linegate.store.LogState;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.MetaSamples;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** MakeInstagram end to end through the real HTTP server, on SQLite and PostgreSQL, with WireMock as Meta. */
class MakeInstagramTest extends GatewayPerDatabase {
    @BeforeEach
    void resetMeta() {
        gw.meta().resetAll();
    }

    @Test
    void sendsTheSeedRequestAndAnswersMetasMessageIdAndTheLogId() {
        gw.metaAnswers(200, MetaSamples.read("ig-send-generic-template-success.postman-example.json"));

        Gateway.Response r = gw.postJson("/api/v2/MakeInstagram.php", gw.sendJson("""
                "dest":"1254477777772919","mtype":"text","mdata":"Thanks for reaching out — how can we help?\""""));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.ret().path("status").asText()).isEqualTo("OK");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.ret().path("messageId").asText()).startsWith("aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjEy").endsWith("ZDZD");
        long cdlsId = r.ret().path("cdls_id").asLong();
        gw.meta().verify(1, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH))
                .withHeader("Authorization", equalTo("Bearer " + Gateway.PAGE_TOKEN))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("""
                        {"recipient":{"id":"1254477777772919"},"messaging_type":"RESPONSE",
                         "message":{"text":"Thanks for reaching out — how can we help?"}}""")));
        LogRow row = gw.stores().log().find(cdlsId).orElseThrow();
        assertThat(row.state()).isEqualTo(LogState.SENT);
        assertThat(row.metaMessageId()).contains(r.ret().path("messageId").asText());
        assertThat(row.peerId()).isEqualTo("1254477777772919");
        assertThat(row.lineId()).isEqualTo(gw.lineId);
        assertThat(row.sentAt()).isPresent();
    }

    @Test
    void answersExactlyTheDocumentedSuccessEnvelope() {
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));

        Gateway.Response r = gw.postJson("/api/v2/MakeInstagram.php", gw.sendJson("\"dest\":\"1254477777772919\",\"mdata\":\"hi\""));

        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(names(r.body().fieldNames())).containsExactly("return");
        assertThat(names(r.ret().fieldNames())).containsExactly("status", "status_code", "messageId", "cdls_id");
        assertThat(r.ret().path("status_code").isInt()).isTrue();
        assertThat(r.ret().path("cdls_id").isIntegralNumber()).isTrue();
        assertThat(r.ret().path("messageId").asText()).isEqualTo("MESSAGE-ID");
    }

    @Test
    void writesAnAcceptedRowBeforeCallingMetaAndFinishesItWithMetasAnswer() throws Exception {
        gw.meta().stubFor(WireMock.post(urlPathEqualTo(Gateway.GRAPH_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(MetaSamples.read("ig-send-success.doc.json"))
                .withFixedDelay(600)));
        int before = gw.rows().size();

        CompletableFuture<Gateway.Response> answer = CompletableFuture.supplyAsync(() -> gw.postJson(
                "/api/v2/MakeInstagram.php", gw.sendJson("\"dest\":\"1254477777772919\",\"mdata\":\"in flight\"")));
        LogRow inFlight = awaitNewRow(before);

        assertThat(inFlight.state()).isEqualTo(LogState.ACCEPTED);
        assertThat(inFlight.mdata()).isEqualTo("in flight");
        assertThat(answer).isNotDone();
        Gateway.Response r = answer.get();
        assertThat(r.ret().path("cdls_id").asLong()).isEqualTo(inFlight.id());
        assertThat(gw.stores().log().find(inFlight.id()).orElseThrow().state()).isEqualTo(LogState.SENT);
    }

    @Test
    void keepsEveryDigitOfADestGivenAsAJsonNumber() {
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));

        Gateway.Response r = gw.postJson("/api/v2/MakeInstagram", gw.sendJson("\"dest\":17841405793187218999,\"mdata\":\"hi\""));

        assertThat(r.statusCode()).isEqualTo(200);
        gw.meta().verify(postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH))
                .withRequestBody(WireMock.matchingJsonPath("$.recipient.id", equalTo("17841405793187218999"))));
    }

    private LogRow awaitNewRow(int before) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            List<LogRow> rows = gw.rows();
            if (rows.size() > before) {
                return rows.getFirst();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no row was written within 5 s");
    }

    private static List<String> names(Iterator<String> it) {
        List<String> names = new ArrayList<>();
        it.forEachRemaining(names::add);
        return names;
    }
}
