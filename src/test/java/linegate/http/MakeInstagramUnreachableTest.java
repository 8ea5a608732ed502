package linegate.http;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import linegate.store.LogRow;
import linegate.store.LogState;
import linegate.testing.Gateway;
import linegate.testing.GatewayPerDatabase;
import linegate.testing.MetaSamples;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;


import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static linegate.http.Answers.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * 280: no usable answer from Meta. The message may have been delivered, so the row is {@code unknown} (never
 * {@code failed}), the client is told so, and Linegate does not call Meta a second time.
 */
class MakeInstagramUnreachableTest extends GatewayPerDatabase {
    private static final String PATH = "/api/v2/MakeInstagram.php";
    private static final int GRAPH_TIMEOUT_MS = 500;

    @Override
    protected Map<String, String> gatewayEnv() {
        return Gateway.env("LINEGATE_GRAPH_TIMEOUT_MS", Integer.toString(GRAPH_TIMEOUT_MS));
    }

    @BeforeEach
    void resetMeta() {
        gw.meta().resetAll();
    }

    private void metaDoes(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer) {
        gw.meta().stubFor(WireMock.post(urlPathEqualTo(Gateway.GRAPH_PATH)).willReturn(answer));
    }

    private void assertUnknownAfterOneCall(Gateway.Response r) {
        assertRefused(r, 504, 280, "Meta API unreachable");
        assertThat(r.ret().has("meta_error")).isFalse();
        assertThat(r.ret().path("cdls_id").isIntegralNumber()).as("cdls_id in %s", r.raw()).isTrue();
        LogRow row = gw.stores().log().find(r.ret().path("cdls_id").asLong()).orElseThrow();
        assertThat(row.state()).isEqualTo(LogState.UNKNOWN);
        assertThat(row.error()).hasValueSatisfying(e -> assertThat(e.statusCode()).isEqualTo(280));
        assertThat(row.metaMessageId()).isEmpty();
        assertThat(row.msgId()).contains(msgId);
        gw.meta().verify(1, postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH)));
    }

    /** Each send has its own msg_id: a repeated one would be answered from the earlier unknown attempt (idempotency). */
    private String msgId;

    private Gateway.Response send() {
        msgId = "crm-280-" + java.util.UUID.randomUUID();
        return gw.postJson(PATH, gw.sendJson("\"dest\":\"1254477777772919\",\"mdata\":\"hi\",\"msg_id\":\"" + msgId + "\""));
    }

    @Test
    void answers280AndLeavesTheRowUnknownWhenMetaDoesNotAnswerInTime() {
        metaDoes(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(MetaSamples.read("ig-send-success.doc.json")).withFixedDelay(GRAPH_TIMEOUT_MS * 3));

        long start = System.nanoTime();
        Gateway.Response r = send();
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertUnknownAfterOneCall(r);
        assertThat(tookMs).as("answered after the Graph timeout, not after Meta's delay").isLessThan(GRAPH_TIMEOUT_MS * 3);
    }

    @Test
    void answers280AndLeavesTheRowUnknownWhenTheConnectionIsReset() {
        metaDoes(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        assertUnknownAfterOneCall(send());
    }

    @Test
    void answers280AndLeavesTheRowUnknownWhenMetaClosesTheConnectionWithoutAnswering() {
        metaDoes(aResponse().withFault(Fault.EMPTY_RESPONSE));

        assertUnknownAfterOneCall(send());
    }

    @Test
    void answers280AndLeavesTheRowUnknownForA5xxWithAnHtmlBody() {
        metaDoes(aResponse().withStatus(502).withHeader("Content-Type", "text/html")
                .withBody("<html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>"));

        assertUnknownAfterOneCall(send());
    }

    @Test
    void answers280AndLeavesTheRowUnknownForA200WithoutAMessageId() {
        metaDoes(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"recipient_id\":\"1254477777772919\"}"));

        assertUnknownAfterOneCall(send());
    }

    @Test
    void answers280AndLeavesTheRowUnknownForA200ThatIsNotJson() {
        metaDoes(aResponse().withStatus(200).withHeader("Content-Type", "text/html").withBody("<html>OK</html>"));

        assertUnknownAfterOneCall(send());
    }
}
