package linegate.http;

import com.github.tomakehurst.wiremock.client.WireMock;
import linegate.store.LogRow;
import linegate.store.LogState;
import linegate.testing.Gateway;
import linegate.testing.MetaSamples;
import linegate.testing.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** MakeInstagram end to end through the real HTTP server, on SQLite and PostgreSQL, with WireMock as Meta. */
@ParameterizedClass
@EnumSource(TestDb.class)
class MakeInstagramTest {
    @Parameter
    TestDb db;

    @TempDir
    Path tmp;

    Gateway gw;

    @BeforeEach
    void start() {
        gw = Gateway.start(db, tmp);
    }

    @AfterEach
    void stop() {
        gw.close();
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
    void keepsEveryDigitOfADestGivenAsAJsonNumber() {
        gw.metaAnswers(200, MetaSamples.read("ig-send-success.doc.json"));

        Gateway.Response r = gw.postJson("/api/v2/MakeInstagram", gw.sendJson("\"dest\":17841405793187218999,\"mdata\":\"hi\""));

        assertThat(r.statusCode()).isEqualTo(200);
        gw.meta().verify(postRequestedFor(urlEqualTo(Gateway.GRAPH_PATH))
                .withRequestBody(WireMock.matchingJsonPath("$.recipient.id", equalTo("17841405793187218999"))));
    }
}
